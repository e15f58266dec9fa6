/**
 * Columnar data for uPlot: growable Float64Array columns (reused between frames, grown by doubling)
 * and the per-pixel thinning rule. uPlot reads a value past a column's end as "no data", so a
 * series whose tail is not finite (a diverged racer) is handed over as a shorter view.
 */

/** More points than this many per pixel of plot width: thin them to one bucket per pixel. */
export const kThinningFactor = 4;

export class Column {
  private buffer: Float64Array;

  constructor(capacity = 256) {
    this.buffer = new Float64Array(capacity);
  }

  /** Makes room for n values, keeping the first `keep` (reallocates only when it must grow). */
  reserve(n: number, keep: number): Float64Array {
    if (n > this.buffer.length) {
      const grown = new Float64Array(Math.max(n, this.buffer.length * 2));
      grown.set(this.buffer.subarray(0, keep));
      this.buffer = grown;
    }
    return this.buffer;
  }

  get data(): Float64Array {
    return this.buffer;
  }

  /** The first n values without a trailing run of non-finite values (no copy). */
  view(n: number): Float64Array {
    let end = n;
    while (end > 0 && !Number.isFinite(this.buffer[end - 1])) end--;
    return this.buffer.subarray(0, end);
  }
}

/** Iterations per bucket: 1 (no thinning) until there are more than kThinningFactor points per pixel. */
export function bucketSize(points: number, plotWidthPx: number): number {
  const width = Math.max(1, Math.floor(plotWidthPx));
  return points > kThinningFactor * width ? Math.ceil(points / width) : 1;
}

/**
 * The extremes of values[a..e): the finite minimum and maximum, in the order they occur (so the
 * drawn line goes through them as the data does). Both NaN when the bucket has no finite value.
 */
export function bucketExtremes(values: ArrayLike<number>, a: number, e: number): [first: number, second: number] {
  let min = Infinity;
  let max = -Infinity;
  let minAt = -1;
  let maxAt = -1;
  for (let i = a; i < e; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < min) {
      min = v;
      minAt = i;
    }
    if (v > max) {
      max = v;
      maxAt = i;
    }
  }
  if (minAt < 0) return [NaN, NaN];
  return minAt <= maxAt ? [min, max] : [max, min];
}

/** Finite range of a column's first n values (positive minimum too, for log scales). */
export interface ColumnRange {
  min: number;
  max: number;
  minPositive: number;
}

export function columnRange(values: ArrayLike<number>, n: number, into: ColumnRange): ColumnRange {
  let min = Infinity;
  let max = -Infinity;
  let minPositive = Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
    if (v > 0 && v < minPositive) minPositive = v;
  }
  into.min = min;
  into.max = max;
  into.minPositive = minPositive;
  return into;
}

export const emptyRange = (): ColumnRange => ({ min: Infinity, max: -Infinity, minPositive: Infinity });

/** Merges b into a. */
export function mergeRange(a: ColumnRange, b: ColumnRange): ColumnRange {
  a.min = Math.min(a.min, b.min);
  a.max = Math.max(a.max, b.max);
  a.minPositive = Math.min(a.minPositive, b.minPositive);
  return a;
}

/**
 * Curves of (x, y) points over one shared x column, as uPlot aligns them: every x of any curve,
 * ascending, and per curve its y at each x, null where it has none or the y is not finite.
 */
export function alignPoints(curves: readonly (readonly { x: number; y: number }[])[]): { xs: number[]; columns: (number | null)[][] } {
  const xs = [...new Set(curves.flatMap((c) => c.map((p) => p.x)))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const columns = curves.map((c) => {
    const column: (number | null)[] = xs.map(() => null);
    for (const p of c) if (Number.isFinite(p.y)) column[index.get(p.x) ?? 0] = p.y;
    return column;
  });
  return { xs, columns };
}
