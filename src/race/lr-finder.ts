/**
 * The LR range test's analysis (Smith 2015, "Cyclical Learning Rates for Training Neural
 * Networks"; fastai's and Lightning's LR finder): a racer's loss against its learning rate, which
 * grew exponentially over the race (the `range` schedule), smoothed as fastai smooths it, with
 *
 *   smoothed_i   the exponentially weighted average a_i = β·a_(i−1) + (1 − β)·loss_i (a_(−1) = 0),
 *                bias-corrected: a_i / (1 − β^(i+1)); β = 0.98
 *   divergence   the first point whose smoothed loss is NaN or above 4x the lowest smoothed loss so far
 *   steepest     the point i before divergence with the most negative slope
 *                (s_(i+1) − s_i) / (ln lr_(i+1) − ln lr_i): fastai's "steepest" suggestion, past
 *                the first min(10, n/10) points (fastai's skip_start: the first minibatches' drop
 *                is the network leaving its initialisation, not the learning rate working)
 */
import { rangeLr } from '../optim/schedule';

export const kFinderSmoothing = 0.98;
/** The loss counts as diverged past this multiple of the lowest (smoothed) loss so far. */
export const kDivergenceFactor = 4;
/** The steepest descent is not looked for among the first min(this, n/10) points. */
export const kFinderSkipStart = 10;

export interface LrFinderPoint {
  lr: number;
  loss: number;
  smoothed: number;
}

export interface LrFinderResult {
  points: LrFinderPoint[];
  /** Index and lr of the steepest descent; -1 / NaN with fewer than two points before divergence. */
  steepest: number;
  steepestLr: number;
  /** Index and lr where the loss diverged; -1 / NaN when it never did. */
  divergence: number;
  divergenceLr: number;
  /** The lowest smoothed loss's lr (before divergence). */
  minimumLr: number;
}

/** fastai's smoothing: exponentially weighted average with bias correction. NaN stays NaN. */
export function smoothLosses(losses: readonly number[], beta = kFinderSmoothing): number[] {
  let average = 0;
  return losses.map((loss, i) => {
    average = beta * average + (1 - beta) * loss;
    return average / (1 - beta ** (i + 1));
  });
}

/** The lr of each recorded iteration i (step t = i + 1) of a range test over `total` iterations. */
export function rangeLrs(min: number, max: number, count: number, total: number): number[] {
  return Array.from({ length: count }, (_, i) => rangeLr(min, max, i + 1, total));
}

/** Loss against lr, the steepest descent and the divergence point. `lrs[i]` is iteration i's rate. */
export function analyzeLrFinder(lrs: readonly number[], losses: readonly number[], beta = kFinderSmoothing): LrFinderResult {
  const n = Math.min(lrs.length, losses.length);
  const smoothed = smoothLosses(losses.slice(0, n), beta);
  const points = smoothed.map((s, i) => ({ lr: lrs[i], loss: losses[i], smoothed: s }));
  let divergence = -1;
  let lowest = Infinity;
  let minimum = -1;
  for (let i = 0; i < n; i++) {
    const s = smoothed[i];
    if (!Number.isFinite(s) || s > kDivergenceFactor * lowest) {
      divergence = i;
      break;
    }
    if (s < lowest) {
      lowest = s;
      minimum = i;
    }
  }
  const end = divergence < 0 ? n : divergence;
  let steepest = -1;
  let slope = Infinity;
  const skip = Math.min(kFinderSkipStart, Math.floor(n / 10));
  for (let i = skip; i + 1 < end; i++) {
    const d = (smoothed[i + 1] - smoothed[i]) / (Math.log(lrs[i + 1]) - Math.log(lrs[i]));
    if (d < slope) {
      slope = d;
      steepest = i;
    }
  }
  return {
    points,
    steepest,
    steepestLr: steepest < 0 ? NaN : lrs[steepest],
    divergence,
    divergenceLr: divergence < 0 ? NaN : lrs[divergence],
    minimumLr: minimum < 0 ? NaN : lrs[minimum],
  };
}
