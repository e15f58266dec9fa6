/**
 * The rounds of a search on the page (the book's "narrow the ranges and search again"): the spec
 * and seed each round races, the finished rounds' results kept for the landscape, and the box
 * proposed for the next round (narrowedSpec of src/optim/sweep/ around the top trials). Pure.
 */
import { formatSearchSpec, narrowedSpec, parseSearchSpec, type SearchSpec } from '../../optim/sweep';
import type { SearchRound, TrialResult } from './search-figure-data';

/** The trials the narrowed box is drawn around (the landscape rings as many). */
export const kNarrowTop = 5;

/** A finished round: what it raced and how its trials ended. */
export interface FinishedRound extends SearchRound {
  seed: number;
}

/**
 * The seed of round `round` (1-based): the race seed, then one more per round, so a narrowed
 * round draws new numbers (the same seed would put its trials at the same places in the smaller
 * box); the CLI reproduces round k with `--seed` this value and the round's spec.
 */
export const roundSeed = (seed: number, round: number): number => (seed + round - 1) >>> 0;

/** The box around the top trials as text, to edit; or the reason there is none yet. */
export function proposeNarrowed(spec: SearchSpec, results: readonly TrialResult[]): { text: string } | { problem: string } {
  try {
    const scored = results.map((t) => ({ values: t.values, score: t.diverged || t.validation === null ? Number.NaN : t.validation }));
    return { text: formatSearchSpec(narrowedSpec(spec, scored, kNarrowTop)) };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}

/** The proposed (or edited) box while it parses, to draw on the landscape; null otherwise. */
export function proposedBox(narrow: { text: string } | { problem: string } | null): SearchSpec | null {
  if (!narrow || !('text' in narrow)) return null;
  try {
    return parseSearchSpec(narrow.text);
  } catch {
    return null;
  }
}
