/**
 * A study's findings as CSV (beside the race's losses and accuracy CSVs in ./export.ts):
 *
 * sensitivity CSV: `optimizer,racer,<key>,final loss,test accuracy,diverged,best`, one row per
 *                  racer (src/race/sensitivity.ts's analysis); final loss empty once diverged,
 *                  accuracy a fraction in [0, 1], empty before the first evaluation.
 * LR finder CSV:   `racer,optimizer,iteration,lr,loss,smoothed,mark`, one row per iteration of each
 *                  range-test racer (src/race/lr-finder.ts); mark is `steepest` or `divergence`.
 */
import { optimizerSpec } from '../../optim/registry';
import type { LrFinderRun } from '../charts/lr-finder-data';
import type { Sensitivity } from '../../race/sensitivity';
import { csvField } from './export';

const cell = (x: number): string => (Number.isFinite(x) ? String(x) : '');

export function sensitivityCsv(s: Sensitivity): string {
  const rows = [['optimizer', 'racer', csvField(s.key), 'final loss', 'test accuracy', 'diverged', 'best'].join(',')];
  for (const c of s.curves) {
    for (const p of c.points) {
      const fields = [optimizerSpec(c.optimizer).label, p.name].map(csvField);
      rows.push([...fields, String(p.value), cell(p.finalLoss), cell(p.testAccuracy), String(p.diverged), String(p.best)].join(','));
    }
  }
  return `${rows.join('\n')}\n`;
}

export function lrFinderCsv(runs: readonly LrFinderRun[]): string {
  const rows = ['racer,optimizer,iteration,lr,loss,smoothed,mark'];
  for (const { name, optimizer, result } of runs) {
    result.points.forEach((p, i) => {
      const mark = i === result.steepest ? 'steepest' : i === result.divergence ? 'divergence' : '';
      rows.push([csvField(name), optimizer, String(i + 1), String(p.lr), cell(p.loss), cell(p.smoothed), mark].join(','));
    });
  }
  return `${rows.join('\n')}\n`;
}
