/**
 * The names a race's racers go by, on the leaderboard, in the charts and in every message: each its
 * own, or its optimizer's label, made unique in order with " 2", " 3", …
 */
import { optimizerSpec } from '../optim/registry';

export function racerNames(racers: readonly { readonly name?: string; readonly optimizer: string }[]): string[] {
  const taken = new Set<string>();
  return racers.map((r) => {
    const base = r.name ?? optimizerSpec(r.optimizer).label;
    let name = base;
    for (let k = 2; taken.has(name); k++) name = `${base} ${k}`;
    taken.add(name);
    return name;
  });
}
