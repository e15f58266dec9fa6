/**
 * The limits of a race, in one table: the engines enforce them, the UI's fields show them
 * (min/max), the URL decoder and the CLI check them, and every message quotes them.
 */
export interface Limit {
  /** Words for messages ('batch size'). */
  label: string;
  min: number;
  max: number;
}

export const kRaceLimits = {
  /**
   * Racers in one race (MNIST and 2D): every racer shares each dispatch, and the optimizer step is
   * one dispatch per optimizer whatever the count. Memory may allow fewer: src/race/device-fit.ts.
   */
  racers: { label: 'racers', min: 1, max: 128 },
  /** MNIST: minibatches per racer. */
  iterations: { label: 'iterations', min: 1, max: 1_000_000 },
  batchSize: { label: 'batch size', min: 1, max: 4096 },
  seed: { label: 'seed', min: 0, max: 2 ** 32 - 1 },
  evalEvery: { label: 'evaluation interval', min: 1, max: 1_000_000 },
  /** 2D race: updates per racer. */
  steps: { label: 'steps', min: 1, max: 10_000 },
} as const satisfies Record<string, Limit>;

export type LimitName = keyof typeof kRaceLimits;

/** The message for a value outside a whole-number limit, or null when it is fine. */
export function checkWholeNumber(name: LimitName, value: number): string | null {
  const { label, min, max } = kRaceLimits[name];
  return Number.isInteger(value) && value >= min && value <= max ? null : `${label} must be a whole number from ${min} to ${max}, got ${value}`;
}

/** The message for a racer count outside the limit, or null. */
export function checkRacerCount(count: number): string | null {
  const { min, max } = kRaceLimits.racers;
  if (count < min) return 'a race needs at least one racer';
  return count > max ? `at most ${max} racers, got ${count}` : null;
}
