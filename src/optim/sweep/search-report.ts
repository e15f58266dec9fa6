/**
 * A search's results for people: the trials ranked by validation accuracy and the lines the book's
 * hyperparameter_optimization.py prints, "Best-1 (val acc: 0.81) | lr: 0.0097, weight decay: 6.5e-08".
 * One owner for the page (its list and figure 6-24's titles) and the CLI (its closing lines).
 * Pure: it reads outcomes, whoever measured them.
 */
import type { HyperKey } from '../hyperparameters';

/** One trial as the report reads it. */
export interface TrialOutcome {
  /** 1-based: the racer "trial <number>". */
  number: number;
  /** Its drawn values by key, in the spec's order. */
  values: Readonly<Record<HyperKey, number>>;
  /** Validation accuracy at its latest evaluation (0..1), or null before the first. */
  validation: number | null;
  /** Training accuracy at the same evaluation, or null. */
  train: number | null;
  /** Its loss stopped being finite (its accuracies stop at the evaluation before). */
  diverged: boolean;
}

/** How many trials the book draws in figure 6-24 (a 5 x 4 grid) and prints. */
export const kBestShown = 20;

/** The words the book uses for a key (its "weight decay" is our λ, `l2`); any other key is written as itself. */
const kKeyWords: Readonly<Record<string, string>> = { l2: 'weight decay' };

export const searchKeyWords = (key: HyperKey): string => kKeyWords[key] ?? key;

/**
 * Ranked best first: trials still in the race by validation accuracy (highest first), then those
 * not measured yet, then the diverged ones (by their last accuracy); ties keep trial order.
 */
export function rankTrials<T extends TrialOutcome>(trials: readonly T[]): T[] {
  const group = (t: TrialOutcome): number => (t.diverged ? 2 : t.validation === null ? 1 : 0);
  return [...trials].sort((a, b) => group(a) - group(b) || (b.validation ?? -1) - (a.validation ?? -1) || a.number - b.number);
}

/**
 * `x` as C's and Python's `%.{digits}g` write it: `digits` significant digits, trailing zeros
 * dropped, exponent form (two exponent digits at least) below 1e-4 or from 10^digits up:
 * 0.0097, 6.5e-08, 1.5e+02.
 */
export function gFormat(x: number, digits = 2): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const [mantissa, exponentText] = x.toExponential(digits - 1).split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= digits) {
    const trimmed = mantissa.includes('.') ? mantissa.replace(/\.?0+$/, '') : mantissa;
    const sign = exponent < 0 ? '-' : '+';
    return `${trimmed}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  const fixed = (Number(mantissa) * 10 ** exponent).toFixed(Math.max(0, digits - 1 - exponent));
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/** An accuracy as the lines write it: two decimals (0.81); '–' before the first measurement. */
export const trialAccuracyText = (value: number | null): string => (value === null ? '–' : value.toFixed(2));

/** The drawn values, "lr: 0.0097, weight decay: 6.5e-08", in the spec's order. */
export const trialValuesText = (values: Readonly<Record<HyperKey, number>>): string =>
  Object.entries(values)
    .map(([key, value]) => `${searchKeyWords(key)}: ${gFormat(value)}`)
    .join(', ');

/** The book's line for the trial ranked `rank` (1-based): "Best-1 (val acc: 0.81) | lr: 0.0097, weight decay: 6.5e-08". */
export function bestLine(rank: number, trial: TrialOutcome): string {
  const diverged = trial.diverged ? ', diverged' : '';
  return `Best-${rank} (val acc: ${trialAccuracyText(trial.validation)}${diverged}) | ${trialValuesText(trial.values)}`;
}

/** The lines of the best `count` trials (the book prints 20), best first. */
export function bestLines(trials: readonly TrialOutcome[], count = kBestShown): string[] {
  return rankTrials(trials)
    .slice(0, count)
    .map((t, i) => bestLine(i + 1, t));
}
