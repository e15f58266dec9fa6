/** What the charts' log axes share: which ticks to keep, and how to write them. */
import type uPlot from 'uplot';
import { shortNumber } from '../../util/short-number';

/**
 * uPlot puts a grid line at every 1..9 x 10^k on a log axis; keep 1, 2 and 5 (only the powers of
 * ten past 2.5 decades) for grid, ticks and labels alike.
 */
export function logAxisFilters(extent: () => uPlot.Range.MinMax): Pick<uPlot.Axis, 'filter' | 'grid' | 'ticks'> {
  const filter = (_u: uPlot, splits: number[]): (number | null)[] => {
    const [lo, hi] = extent();
    const keep = lo !== null && hi !== null && Math.log10(hi / lo) > 2.5 ? [1] : [1, 2, 5];
    return splits.map((v) => (keep.includes(Math.round(v / 10 ** Math.floor(Math.log10(v) + 1e-9))) ? v : null));
  };
  return { filter, grid: { filter }, ticks: { filter } };
}

/** A log tick's label: 0.001 .. 1000 as decimals, beyond that 1e-4, 1e+4 (uPlot would round 1e-4 to "0"). */
export function logTickLabel(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e4 ? shortNumber(v, 3) : v.toExponential(0);
}

/** Log-axis options for an x axis of this extent: 1-2-5 ticks, labels that never round to 0. */
export function logXAxis(extent: () => uPlot.Range.MinMax): uPlot.Axis {
  return { ...logAxisFilters(extent), values: (_u, splits) => splits.map((v) => (v == null ? '' : logTickLabel(v))) };
}
