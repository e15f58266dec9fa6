/**
 * Grid sweeps: the text form `KEY=MIN..MAX:COUNT` (`lr=1e-4..1:8`, `momentum=0.5..0.99:6`),
 * its values (log-spaced for `lr`, linear for every other key, both ends included), and its
 * expansion into ordinary racers: one per optimizer and value, the key set, every other
 * hyperparameter at its default, named "Adam lr=0.001". Also the LR range test's racers (one per
 * optimizer, lr growing exponentially over the race: the `range` schedule of ../schedule.ts).
 * Ranges come from the registry; numbers are read by src/util/decimal.ts.
 */
import { parseDecimal } from '../../util/decimal';
import { checkHyperparameter, describeRange, type HyperKey, type HyperparameterSpec } from '../hyperparameters';
import type { RacerSpec } from '../racer-spec';
import { optimizerSpec, optimizers, type OptimizerId } from '../registry';
import { roundSignificant } from '../../util/short-number';

export interface Sweep {
  key: HyperKey;
  min: number;
  max: number;
  count: number;
}

export type SweepScale = 'log' | 'linear';

/** The text form, for messages and help. */
export const kSweepForm = 'KEY=MIN..MAX:COUNT (e.g. lr=1e-4..1:8, momentum=0.5..0.99:6)';

/** `lr` is swept on a log scale (learning rates span decades); every other key linearly. */
export const sweepScale = (key: HyperKey): SweepScale => (key === 'lr' ? 'log' : 'linear');

/** The registry's spec of `key`: from the first of `among` that has it, else from any optimizer. */
export function keySpec(key: HyperKey, among: readonly OptimizerId[] = []): HyperparameterSpec | undefined {
  const specs = [...among.map((id) => optimizerSpec(id)), ...optimizers()];
  for (const spec of specs) {
    const h = spec.hyperparameters.find((x) => x.key === key);
    if (h) return h;
  }
  return undefined;
}

/** Every key some registered optimizer has, in registration order. */
export function sweepableKeys(): HyperKey[] {
  return [...new Set(optimizers().flatMap((o) => o.hyperparameters.map((h) => h.key)))];
}

/** `MIN..MAX` as two numbers (the sweep's range, the LR range test's `1e-6..10`); throws what is wrong. */
export function parseRange(text: string, what: string): [number, number] {
  const parts = text.split('..');
  if (parts.length !== 2) throw new Error(`${what} must be MIN..MAX (e.g. 1e-4..1), got '${text.trim()}'`);
  const [min, max] = parts.map(parseDecimal);
  if (Number.isNaN(min)) throw new Error(`${what}: MIN must be a number, got '${parts[0].trim()}'`);
  if (Number.isNaN(max)) throw new Error(`${what}: MAX must be a number, got '${parts[1].trim()}'`);
  return [min, max];
}

/**
 * Parses `lr=1e-4..1:8` and checks it against the registry (see sweepProblem). Throws one line
 * naming the problem and, for values, the key's allowed range.
 */
export function parseSweep(text: string, maxCount: number): Sweep {
  const trimmed = text.trim();
  const eq = trimmed.indexOf('=');
  const colon = trimmed.lastIndexOf(':');
  if (eq < 0 || colon < eq) throw new Error(`a sweep is ${kSweepForm}, got '${trimmed}'`);
  const key = trimmed.slice(0, eq).trim();
  const [min, max] = parseRange(trimmed.slice(eq + 1, colon), `sweep ${key || '?'}`);
  const countText = trimmed.slice(colon + 1).trim();
  const count = parseDecimal(countText);
  if (Number.isNaN(count)) throw new Error(`sweep ${key}: COUNT must be a whole number, got '${countText}'`);
  const sweep = { key, min, max, count };
  const problem = sweepProblem(sweep, maxCount);
  if (problem) throw new Error(problem);
  return sweep;
}

/** What is wrong with a sweep (undefined: fine). `maxCount`: the most values (the race's racer limit). */
export function sweepProblem(sweep: Sweep, maxCount: number): string | undefined {
  const { key, min, max, count } = sweep;
  const spec = keySpec(key);
  if (!spec) return `no optimizer has a hyperparameter '${key}'; sweepable keys: ${sweepableKeys().join(', ')}`;
  for (const [end, value] of [
    ['MIN', min],
    ['MAX', max],
  ] as const) {
    if (checkHyperparameter(spec, value)) return `sweep ${key}: ${end} must be in ${key}'s range ${describeRange(spec)}, got ${value}`;
  }
  if (!(max > min)) return `sweep ${key}: MAX must be above MIN = ${min}, got ${max}`;
  if (!(Number.isInteger(count) && count >= 2 && count <= maxCount)) return `sweep ${key}: COUNT must be a whole number from 2 to ${maxCount}, got ${count}`;
  return undefined;
}

/** A swept value with 4 significant digits (short names and URLs), unless that would leave the range. */
function tidy(value: number, min: number, max: number): number {
  const short = roundSignificant(value, 4);
  return short >= min && short <= max ? short : value;
}

/** The sweep's values, ends included: geometric for `lr`, arithmetic otherwise. */
export function sweepValues(sweep: Sweep): number[] {
  const { key, min, max, count } = sweep;
  const log = sweepScale(key) === 'log';
  return Array.from({ length: count }, (_, i) => {
    if (i === 0) return min;
    if (i === count - 1) return max;
    const f = i / (count - 1);
    return tidy(log ? min * (max / min) ** f : min + (max - min) * f, min, max);
  });
}

/** "Adam lr=0.001": how a swept racer is named. */
export const sweptName = (optimizer: OptimizerId, key: HyperKey, value: number): string => `${optimizerSpec(optimizer).label} ${key}=${value}`;

/**
 * One racer per optimizer and value (optimizer-major), `key` set, the rest at defaults. An
 * optimizer without the key, or a value outside its own range, throws a message naming both.
 */
export function expandSweep(sweep: Sweep, optimizerIds: readonly OptimizerId[]): RacerSpec[] {
  if (optimizerIds.length === 0) throw new Error('a sweep needs at least one optimizer');
  const values = sweepValues(sweep);
  return optimizerIds.flatMap((id) => {
    const spec = optimizerSpec(id);
    const h = spec.hyperparameters.find((x) => x.key === sweep.key);
    if (!h) throw new Error(`${spec.label} has no hyperparameter '${sweep.key}' to sweep (its keys: ${spec.hyperparameters.map((x) => x.key).join(', ')})`);
    for (const value of [sweep.min, sweep.max]) {
      if (checkHyperparameter(h, value)) throw new Error(`sweep ${sweep.key}: ${spec.label}'s ${sweep.key} must be in ${describeRange(h)}, got ${value}`);
    }
    return values.map((value) => ({ name: sweptName(spec.id, sweep.key, value), optimizer: spec.id, hyperparameters: { [sweep.key]: value } }));
  });
}

/** The sweep's text form; parseSweep reads it back. */
export const formatSweep = (sweep: Sweep): string => `${sweep.key}=${sweep.min}..${sweep.max}:${sweep.count}`;

/** The LR range test's bounds from `MIN..MAX` (`1e-6..10`): 0 < MIN < MAX. */
export function parseLrRange(text: string): [number, number] {
  const [min, max] = parseRange(text, 'LR range');
  if (!(min > 0)) throw new Error(`LR range: MIN must be a learning rate above 0, got ${min}`);
  if (!(max > min && Number.isFinite(max))) throw new Error(`LR range: MAX must be above MIN = ${min}, got ${max}`);
  return [min, max];
}

/** One LR-range-test racer per optimizer: its lr runs from min to max exponentially over the race. */
export function lrFinderRacers(optimizerIds: readonly OptimizerId[], min: number, max: number): RacerSpec[] {
  if (optimizerIds.length === 0) throw new Error('the LR range test needs at least one optimizer');
  return optimizerIds.map((id) => {
    const spec = optimizerSpec(id);
    if (!spec.hyperparameters.some((h) => h.key === 'lr')) throw new Error(`${spec.label} has no lr: the LR range test cannot run it`);
    // lr is the peak the schedule reaches (the racer's nominal rate in the exports).
    return { name: `${spec.label} LR range`, optimizer: spec.id, hyperparameters: { lr: max }, schedule: { kind: 'range', min, max } };
  });
}
