/**
 * Learning-rate (or any hyperparameter) sensitivity: per racer of a sweep its final loss, test
 * accuracy and whether it diverged, and per optimizer the best value. It reads what the engine
 * records (RacerHistory), so it works on a race in progress as well as on a finished one.
 *
 *   final loss   the mean of the last 10% of the completed iterations' losses (at least one):
 *                the mean smooths the minibatch noise; NaN once the racer diverged
 *   accuracy     the last test evaluation (NaN before the first)
 *   best         per optimizer, the racer with the lowest final loss among those that did not diverge
 */
import type { HyperKey } from '../optim/hyperparameters';
import type { OptimizerId } from '../optim/registry';

/** What sensitivity needs of a racer's history (RacerHistory has it all). */
export interface SweptRacer {
  name: string;
  optimizer: OptimizerId;
  hyperparameters: Readonly<Record<HyperKey, number>>;
  losses: readonly number[];
  accuracy: readonly { iteration: number; test?: number }[];
  diverged: number | null;
}

export interface SensitivityPoint {
  name: string;
  optimizer: OptimizerId;
  /** The swept hyperparameter's value. */
  value: number;
  finalLoss: number;
  testAccuracy: number;
  diverged: boolean;
  /** Whether this is its optimizer's best value. */
  best: boolean;
}

export interface SensitivityCurve {
  optimizer: OptimizerId;
  /** By value, ascending. */
  points: SensitivityPoint[];
  /** The best point's value, or NaN when every racer diverged (or none has a loss yet). */
  bestValue: number;
}

export interface Sensitivity {
  key: HyperKey;
  curves: SensitivityCurve[];
}

/** The share of the last iterations the final loss averages. */
export const kFinalShare = 0.1;

/** Mean of the last ceil(10%) of `losses` (at least one); NaN when empty or when one is not finite. */
export function finalLoss(losses: readonly number[]): number {
  if (losses.length === 0) return NaN;
  const n = Math.max(1, Math.ceil(losses.length * kFinalShare));
  let sum = 0;
  for (let i = losses.length - n; i < losses.length; i++) sum += losses[i];
  return sum / n;
}

/** The sensitivity of a sweep over `key`: racers lacking the key are left out. */
export function sensitivity(racers: readonly SweptRacer[], key: HyperKey): Sensitivity {
  const curves = new Map<OptimizerId, SensitivityPoint[]>();
  for (const r of racers) {
    const value = r.hyperparameters[key];
    if (typeof value !== 'number') continue;
    const loss = finalLoss(r.losses);
    const diverged = r.diverged !== null || (r.losses.length > 0 && !Number.isFinite(loss));
    const point: SensitivityPoint = {
      name: r.name,
      optimizer: r.optimizer,
      value,
      finalLoss: diverged ? NaN : loss,
      testAccuracy: r.accuracy.at(-1)?.test ?? NaN,
      diverged,
      best: false,
    };
    curves.set(r.optimizer, [...(curves.get(r.optimizer) ?? []), point]);
  }
  return {
    key,
    curves: [...curves].map(([optimizer, points]) => {
      points.sort((a, b) => a.value - b.value);
      let best: SensitivityPoint | undefined;
      for (const p of points) if (Number.isFinite(p.finalLoss) && (best === undefined || p.finalLoss < best.finalLoss)) best = p;
      if (best) best.best = true;
      return { optimizer, points, bestValue: best?.value ?? NaN };
    }),
  };
}
