/** How <adam-steps> writes numbers: fixed decimals that line up, a real minus sign, √ and fractions as the seed writes them. */

const kMinus = '\u2212';

/** Kernel values: 6 decimals; tiny or huge values in exponent form so nothing hides behind 0.000000. */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : `${kMinus}∞`;
  const abs = Math.abs(value);
  const text = abs !== 0 && (abs < 1e-4 || abs >= 1e6) ? abs.toExponential(2) : abs.toFixed(6);
  return value < 0 ? `${kMinus}${text}` : text;
}

/** The seed's closed forms with typographic minus signs ("-2√2/3" -> "−2√2/3"). */
export function formatClosedForm(text: string): string {
  return text.replace(/-/g, kMinus);
}

/** Hyperparameter values for the caption: 0.5 reads as 1/2 as in the seed. */
export function formatSetting(value: number): string {
  return value === 0.5 ? '1/2' : String(value);
}
