/** Hyperparameters: their names, valid ranges and validation. */

/** A hyperparameter's key, as the CLI, the URL and the JSON export spell it (`lr`, `beta1`, ...). */
export type HyperKey = string;

/** Values by key; a key left out takes the optimizer's default. */
export type Hyperparameters = Partial<Record<HyperKey, number>>;

export interface HyperparameterSpec {
  /** The short key: CLI `adam:lr=0.01`, URL `adam,lr:0.01`, JSON `{"lr": 0.01}`. */
  key: HyperKey;
  /** Words for labels and messages ('learning rate'). */
  label: string;
  /** How a compact field is labelled ('β1'); default: the key. */
  symbol?: string;
  default: number;
  /** Valid range; `min` is exclusive when `minExclusive`, `max` exclusive when `maxExclusive`. */
  min: number;
  max: number;
  minExclusive: boolean;
  maxExclusive: boolean;
}

export const lrSpec = (defaultLr: number): HyperparameterSpec => ({
  key: 'lr',
  label: 'learning rate',
  default: defaultLr,
  min: 0,
  max: Infinity,
  minExclusive: true,
  maxExclusive: true,
});

/** A coefficient in [0, 1): momentum, decay, beta1, beta2. */
export const unitSpec = (key: HyperKey, label: string, defaultValue: number, symbol?: string): HyperparameterSpec => ({
  key,
  label,
  ...(symbol ? { symbol } : {}),
  default: defaultValue,
  min: 0,
  max: 1,
  minExclusive: false,
  maxExclusive: true,
});

/** A value >= 0 (weight decay). */
export const nonNegativeSpec = (key: HyperKey, label: string, defaultValue: number): HyperparameterSpec => ({
  key,
  label,
  default: defaultValue,
  min: 0,
  max: Infinity,
  minExclusive: false,
  maxExclusive: true,
});

export function describeRange(spec: HyperparameterSpec): string {
  const lo = spec.minExclusive ? '(' : '[';
  const hi = spec.maxExclusive ? ')' : ']';
  return `${lo}${spec.min}, ${spec.max === Infinity ? '∞' : spec.max}${hi}`;
}

/** Returns a message saying what is wrong with `value`, or null when it is valid. */
export function checkHyperparameter(spec: HyperparameterSpec, value: number): string | null {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (spec.minExclusive ? value > spec.min : value >= spec.min) &&
    (spec.maxExclusive ? value < spec.max : value <= spec.max);
  return ok ? null : `${spec.key} (${spec.label}) must be a finite number in ${describeRange(spec)}, got ${String(value)}`;
}
