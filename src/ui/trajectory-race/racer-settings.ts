/** The editable state of each racer: included or not, and its hyperparameters as typed. */
import type { HyperKey, Hyperparameters } from '../../optim/hyperparameters';
import { checkRacerText, racerText } from '../../optim/racer-spec';
import { optimizerIds, type OptimizerId } from '../../optim/registry';
import type { Point } from '../../race2d/functions';
import { kSeedTrajectoryRace } from '../../race2d/trajectory';
import { pointText } from '../../util/point-text';

export interface RacerSetting {
  optimizer: OptimizerId;
  included: boolean;
  /** Text of each hyperparameter input, kept as typed so an invalid entry stays visible. */
  values: Partial<Record<HyperKey, string>>;
}

/** One of the seed's six (always drawn; the others only once included). */
export const isSeedRacer = (optimizer: OptimizerId): boolean => kSeedTrajectoryRace.racers.some((r) => r.optimizer === optimizer);

/**
 * The seed's six racers in the seed's order, with its learning rates and default coefficients, then
 * every other registered optimizer at its defaults, left out of the race until it is ticked (so the
 * seed's figure stays the seed's).
 */
export function seedRacerSettings(): RacerSetting[] {
  const seed = kSeedTrajectoryRace.racers.map((racer) => ({ optimizer: racer.optimizer, included: true, values: racerText(racer).values }));
  const others = optimizerIds()
    .filter((id) => !seed.some((r) => r.optimizer === id))
    .map((optimizer) => ({ optimizer, included: false, values: racerText({ optimizer }).values }));
  return [...seed, ...others];
}

export interface ParsedRacer {
  hyperparameters: Hyperparameters;
  /** resolveHyperparameters' message for each invalid input. */
  errors: Partial<Record<HyperKey, string>>;
}

/** The shared racer check (src/optim/racer-spec.ts), hyperparameters only: the 2D race has no network. */
export function parseRacer(setting: RacerSetting): ParsedRacer {
  const { racer, problems } = checkRacerText({ optimizer: setting.optimizer, values: setting.values });
  const hyperparameters = Object.fromEntries(Object.entries(racer.hyperparameters ?? {}).filter(([key]) => !(key in problems.hyper)));
  return { hyperparameters, errors: problems.hyper };
}

/** Rounds to a precision that suits the plot: 2 decimals for a 20-wide view, 3 for a 4-wide one. */
export function formatStart([x, y]: Point, span: number): string {
  const decimals = Math.max(0, Math.ceil(-Math.log10(span / 1000)));
  const round = (v: number): number => Number(v.toFixed(decimals));
  return pointText([round(x), round(y)]);
}
