/**
 * The sensitivity chart's data, from src/race/sensitivity.ts's analysis (which owns the final loss,
 * the divergence and the best value): uPlot columns over the swept values, the diverged points and
 * the best-value labels, per metric. No DOM.
 */
import type uPlot from 'uplot';
import { sweepScale } from '../../optim/sweep';
import type { HyperKey } from '../../optim/hyperparameters';
import type { OptimizerId } from '../../optim/registry';
import type { Sensitivity, SensitivityPoint } from '../../race/sensitivity';
import { alignPoints } from './columns';
import { shortNumber } from '../../util/short-number';

/** 'loss': the final loss (mean of the last 10%); 'accuracy': the last test accuracy, in percent. */
export type SensitivityMetric = 'loss' | 'accuracy';
export const kSensitivityMetrics: readonly SensitivityMetric[] = ['loss', 'accuracy'];

/** A swept value's short form, as labels and the legend show it. */
export const shortValue = (x: number): string => (Number.isFinite(x) ? shortNumber(x, 4) : '–');

/** A point's y for a metric (NaN when it has none: diverged, or no evaluation yet). */
export function metricValue(p: SensitivityPoint, metric: SensitivityMetric): number {
  if (p.diverged) return NaN;
  return metric === 'loss' ? p.finalLoss : p.testAccuracy * 100;
}

export interface BestLabel {
  optimizer: OptimizerId;
  value: number;
  /** The y the label sits at (the best point's metric). */
  y: number;
  /** "best lr=0.01" */
  text: string;
}

export interface DivergedMark {
  optimizer: OptimizerId;
  name: string;
  value: number;
}

export interface SensitivityView {
  key: HyperKey;
  log: boolean;
  /** Every swept value, ascending (uPlot's x column). */
  xs: number[];
  /** One column per curve: y at each x, null where the optimizer has no (finite) point. */
  columns: (number | null)[][];
  optimizers: OptimizerId[];
  diverged: DivergedMark[];
  best: BestLabel[];
}

export function sensitivityView(s: Sensitivity, metric: SensitivityMetric): SensitivityView {
  const { xs, columns } = alignPoints(s.curves.map((c) => c.points.map((p) => ({ x: p.value, y: metricValue(p, metric) }))));
  const diverged = s.curves.flatMap((c) => c.points.filter((p) => p.diverged).map((p) => ({ optimizer: c.optimizer, name: p.name, value: p.value })));
  const best = s.curves.flatMap((c) => {
    const p = c.points.find((q) => q.best);
    if (!p) return [];
    return [{ optimizer: c.optimizer, value: p.value, y: metricValue(p, metric), text: `best ${s.key}=${shortValue(p.value)}` }];
  });
  return { key: s.key, log: sweepScale(s.key) === 'log', xs, columns, optimizers: s.curves.map((c) => c.optimizer), diverged, best };
}

/** uPlot's aligned data of a view. */
export const viewData = (v: SensitivityView): uPlot.AlignedData => [v.xs, ...v.columns] as uPlot.AlignedData;
