/**
 * The LR finder chart's data: for each racer whose schedule is the LR range test's (`range`), its
 * loss against its lr and the analysis of src/race/lr-finder.ts (smoothing, steepest descent,
 * divergence), as uPlot columns over every lr any racer reached. No DOM.
 */
import type uPlot from 'uplot';
import type { OptimizerId } from '../../optim/registry';
import type { Schedule } from '../../optim/schedule';
import { analyzeLrFinder, rangeLrs, type LrFinderResult } from '../../race/lr-finder';
import { alignPoints } from './columns';

/** What the chart needs of a racer (RacerHistory has it). */
export interface LrFinderRacer {
  name: string;
  optimizer: OptimizerId;
  losses: readonly number[];
  schedule?: Schedule;
}

export interface LrFinderRun {
  name: string;
  optimizer: OptimizerId;
  result: LrFinderResult;
}

/** The range-test racers' analyses (others are left out); `iterations`: the race's total. */
export function lrFinderRuns(racers: readonly LrFinderRacer[], iterations: number): LrFinderRun[] {
  return racers.flatMap((r) => {
    const s = r.schedule;
    if (s?.kind !== 'range') return [];
    return [{ name: r.name, optimizer: r.optimizer, result: analyzeLrFinder(rangeLrs(s.min, s.max, r.losses.length, iterations), r.losses) }];
  });
}

/** [lrs, smoothed loss per run]: every lr reached, ascending; null where a run has none or it is not finite. */
export function lrFinderData(runs: readonly LrFinderRun[]): uPlot.AlignedData {
  const { xs, columns } = alignPoints(runs.map((r) => r.result.points.map((p) => ({ x: p.lr, y: p.smoothed }))));
  return [xs, ...columns] as uPlot.AlignedData;
}

/** The highest smoothed loss before any run diverged (the y axis stops a little above it). */
export function lrFinderTop(runs: readonly LrFinderRun[]): number {
  let top = 0;
  for (const { result } of runs) {
    const end = result.divergence < 0 ? result.points.length : result.divergence;
    for (let i = 0; i < end; i++) if (result.points[i].smoothed > top) top = result.points[i].smoothed;
  }
  return top;
}
