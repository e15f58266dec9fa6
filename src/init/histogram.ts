/**
 * Histograms of activations: the fixed range per activation, the bin edges, and the plain
 * TypeScript reference of shaders/init/histogram.wgsl.
 *
 * Bins follow numpy.histogram: bin k is [edges[k], edges[k+1]), the last bin [edges[B-1], edges[B]]
 * (the maximum is counted in it). Unlike numpy, nothing is dropped: values below the range are
 * counted in the first bin and values above it in the last, and `below` / `above` say how many
 * of those there were, so the counts always sum to the number of values. Only ReLU can leave its
 * range (sigmoid's 0..1 and tanh's -1..1 cover every output).
 */
import type { InitActivation } from './config';

/** Fixed ranges, so that layers and settings compare. ReLU's 0..5 holds He's spread (std ~1.4 at every depth). */
export const kHistogramRanges: Readonly<Record<InitActivation, readonly [number, number]>> = {
  sigmoid: [0, 1],
  tanh: [-1, 1],
  relu: [0, 5],
};

/** Words after the bins (below, above, zeros) in the kernel's per-histogram record. */
export const kHistogramExtras = 3;

/** numpy.linspace(lo, hi, bins + 1): lo + k (hi - lo) / bins, the last edge exactly hi. */
export function binEdges(lo: number, hi: number, bins: number): number[] {
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi)) throw new Error(`a histogram range needs lo < hi, got ${lo}..${hi}`);
  if (!Number.isInteger(bins) || bins < 1) throw new Error(`bins must be a positive whole number, got ${bins}`);
  return Array.from({ length: bins + 1 }, (_, k) => (k === bins ? hi : lo + (k * (hi - lo)) / bins));
}

export function activationEdges(activation: InitActivation, bins: number): number[] {
  const [lo, hi] = kHistogramRanges[activation];
  return binEdges(lo, hi, bins);
}

/** The bin a value is counted in (edges ascending, B + 1 of them): out-of-range values clamp to the end bins. */
export function binIndex(value: number, edges: ArrayLike<number>): number {
  const B = edges.length - 1;
  if (value < edges[0]) return 0;
  if (value >= edges[B]) return B - 1;
  // The last edge <= value, by bisection: exact, whatever the spacing.
  let low = 0;
  let high = B;
  while (high - low > 1) {
    const mid = (low + high) >> 1;
    if (value >= edges[mid]) low = mid;
    else high = mid;
  }
  return low;
}

export interface HistogramCounts {
  /** B counts, out-of-range values included in the end bins. */
  counts: number[];
  /** Values below edges[0] (counted in bin 0). */
  below: number;
  /** Values above edges[B] (counted in bin B - 1). */
  above: number;
  /** Values exactly 0 (ReLU's dead outputs). */
  zeros: number;
  /** Sums of (value - pivot) and (value - pivot)^2: the mean and std without cancellation near the pivot. */
  sum: number;
  sumSquares: number;
}

/** Where moments are taken about: the middle of a bounded activation's range (sigmoid's 0.01 outputs sit at 0.5), 0 for ReLU. */
export const kMomentPivots: Readonly<Record<InitActivation, number>> = { sigmoid: 0.5, tanh: 0, relu: 0 };

/** histogram.wgsl in float64: counts, below, above, zeros and moments (about `pivot`) of `values` over `edges`. */
export function histogramReference(values: ArrayLike<number>, edges: ArrayLike<number>, pivot = 0): HistogramCounts {
  const B = edges.length - 1;
  const result: HistogramCounts = { counts: new Array<number>(B).fill(0), below: 0, above: 0, zeros: 0, sum: 0, sumSquares: 0 };
  const lo = edges[0];
  const hi = edges[B];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    result.counts[binIndex(v, edges)] += 1;
    if (v < lo) result.below += 1;
    else if (v > hi) result.above += 1;
    if (v === 0) result.zeros += 1;
    const d = v - pivot;
    result.sum += d;
    result.sumSquares += d * d;
  }
  return result;
}

/** Mean and (population) std from a count and its moments about `pivot`. */
export function moments(total: number, sum: number, sumSquares: number, pivot: number): { mean: number; std: number } {
  const shift = sum / total;
  return { mean: pivot + shift, std: Math.sqrt(Math.max(0, sumSquares / total - shift * shift)) };
}
