/**
 * The limits of every computation, in one file: the MNIST and 2D races, the weight-init
 * experiment and Adam by hand. The engines enforce them, the UI's fields show them (min/max), the
 * URL decoders and the CLI check them, and every message quotes them.
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

/**
 * The MNIST race's network and the chapter-6 settings (issue 20; checked by ./network-settings.ts).
 * The training limit's maximum is the training set's size, so it is not in this table.
 */
export const kNetworkLimits = {
  hiddenLayers: { label: 'hidden layers', min: 1, max: 10 },
  hiddenUnits: { label: 'units in a hidden layer', min: 1, max: 1000 },
  /** Each epoch is at least one iteration, so the iteration limit bounds the epochs too. */
  epochs: { label: 'epochs', min: 1, max: kRaceLimits.iterations.max },
} as const satisfies Record<string, Limit>;

/** The weight-init experiment (src/init): its sizes, settings per run, and a numeric std's range. */
export const kInitLimits = {
  layers: { label: 'layers', min: 1, max: 10 },
  nodes: { label: 'nodes', min: 1, max: 1000 },
  samples: { label: 'samples', min: 1, max: 10_000 },
  seed: kRaceLimits.seed,
  bins: { label: 'bins', min: 1, max: 256 },
  settings: { label: 'settings', min: 1, max: 64 },
  /** A numeric std above 1 adds nothing to the seed's story and could overflow float32 in deep ReLU nets. */
  std: { label: 'std', min: 0, max: 1 },
} as const satisfies Record<string, Limit>;

/** Adam by hand (<adam-steps>): the updates shown, one table row each. */
export const kAdamStepsLimits = {
  steps: { label: 'steps', min: 1, max: 20 },
} as const satisfies Record<string, Limit>;

/** The message for a value outside a whole-number limit, or null when it is fine. */
export function wholeNumberProblem({ label, min, max }: Limit, value: number): string | null {
  return Number.isInteger(value) && value >= min && value <= max ? null : `${label} must be a whole number from ${min} to ${max}, got ${value}`;
}

/** wholeNumberProblem for a race limit. */
export const checkWholeNumber = (name: LimitName, value: number): string | null => wholeNumberProblem(kRaceLimits[name], value);

/** The message for a racer count outside the limit, or null. */
export function checkRacerCount(count: number): string | null {
  const { min, max } = kRaceLimits.racers;
  if (count < min) return 'a race needs at least one racer';
  return count > max ? `at most ${max} racers, got ${count}` : null;
}
