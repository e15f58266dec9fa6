/** The editable state of each racer: included or not, and its hyperparameters as typed. */
import type { HyperKey, Hyperparameters } from '../../optim/hyperparameters';
import { optimizerSpec, resolveHyperparameters, type OptimizerId } from '../../optim/registry';
import type { Point } from '../../race2d/functions';
import { kSeedTrajectoryRace } from '../../race2d/trajectory';

export interface RacerSetting {
  optimizer: OptimizerId;
  included: boolean;
  /** Text of each hyperparameter input, kept as typed so an invalid entry stays visible. */
  values: Partial<Record<HyperKey, string>>;
}

/** The seed's six racers in the seed's order, with its learning rates and default coefficients. */
export function seedRacerSettings(): RacerSetting[] {
  return kSeedTrajectoryRace.racers.map((racer) => {
    const spec = optimizerSpec(racer.optimizer);
    const values = Object.fromEntries(spec.hyperparameters.map((h) => [h.key, String(racer.hyperparameters?.[h.key] ?? h.default)]));
    return { optimizer: racer.optimizer, included: true, values };
  });
}

export interface ParsedRacer {
  hyperparameters: Hyperparameters;
  /** resolveHyperparameters' message for each invalid input. */
  errors: Partial<Record<HyperKey, string>>;
}

const parseNumber = (text: string | undefined): number => (text === undefined || text.trim() === '' ? NaN : Number(text));

export function parseRacer(setting: RacerSetting): ParsedRacer {
  const spec = optimizerSpec(setting.optimizer);
  const hyperparameters: Hyperparameters = {};
  const errors: Partial<Record<HyperKey, string>> = {};
  for (const { key } of spec.hyperparameters) {
    const value = parseNumber(setting.values[key]);
    try {
      resolveHyperparameters(spec, { [key]: value });
      hyperparameters[key] = value;
    } catch (error) {
      errors[key] = error instanceof Error ? error.message : String(error);
    }
  }
  return { hyperparameters, errors };
}

/** "x,y" to a point; NaN where a coordinate is not a number (the engine's check names the problem). */
export function parseStart(text: string): Point {
  const parts = text.split(',');
  if (parts.length !== 2) return [NaN, NaN];
  return [parseNumber(parts[0]), parseNumber(parts[1])];
}

/** Rounds to a precision that suits the plot: 2 decimals for a 20-wide view, 3 for a 4-wide one. */
export function formatStart([x, y]: Point, span: number): string {
  const decimals = Math.max(0, Math.ceil(-Math.log10(span / 1000)));
  const round = (v: number): number => Number(v.toFixed(decimals));
  return `${round(x)},${round(y)}`;
}
