/**
 * `mnist --sweep KEY=MIN..MAX:COUNT` and `mnist --lr-finder MIN..MAX`: the racers they add (from
 * src/optim/sweep/) and what is printed and written after the race (src/race/sensitivity.ts,
 * src/race/lr-finder.ts).
 */
import type { RacerHistory } from '../race/engine';
import { kRaceLimits } from '../race/limits';
import { analyzeLrFinder, kFinderSmoothing, rangeLrs } from '../race/lr-finder';
import { sensitivity, type Sensitivity } from '../race/sensitivity';
import { kSeedRace, type RacerConfig } from '../race/config';
import { expandSweep, lrFinderRacers, parseLrRange, parseSweep, sweepScale, type Sweep } from '../optim/sweep';
import { optimizerSpec } from '../optim/registry';
import { asUsage, UsageError } from './args';
import { shortNumber } from '../util/short-number';

export type Study = { kind: 'sweep'; sweep: Sweep } | { kind: 'lr-finder'; min: number; max: number };

export interface StudyOptions {
  sweep?: string;
  'lr-finder'?: string;
  optimizers?: string;
  optimizer: string[];
}

/** The optimizers of `--optimizers` (the seed's six when left out), checked. */
function studyOptimizers(optimizers: string | undefined): string[] {
  if (optimizers === undefined) return kSeedRace.racers.map((r) => r.optimizer);
  return optimizers.split(',').map((id) => asUsage(() => optimizerSpec(id).id));
}

/** The study the options ask for and its racers, or undefined for an ordinary race. */
export function studyRacers(options: StudyOptions): { study: Study; racers: RacerConfig[] } | undefined {
  const { sweep: sweepText, 'lr-finder': finderText } = options;
  if (sweepText === undefined && finderText === undefined) return undefined;
  if (sweepText !== undefined && finderText !== undefined) throw new UsageError('give --sweep or --lr-finder, not both');
  if (options.optimizer.length > 0) {
    throw new UsageError(`--${sweepText !== undefined ? 'sweep' : 'lr-finder'} takes its optimizers from --optimizers ID,ID,...; leave out --optimizer`);
  }
  const ids = studyOptimizers(options.optimizers);
  if (sweepText !== undefined) {
    const sweep = asUsage(() => parseSweep(sweepText, kRaceLimits.racers.max));
    return { study: { kind: 'sweep', sweep }, racers: asUsage(() => expandSweep(sweep, ids)) };
  }
  const [min, max] = asUsage(() => parseLrRange(finderText ?? ''));
  return { study: { kind: 'lr-finder', min, max }, racers: asUsage(() => lrFinderRacers(ids, min, max)) };
}

const short = (x: number): string => (Number.isFinite(x) ? shortNumber(x, 4) : '—');
const percent = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(2)}%` : '—');

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => `  ${r.map((cell, c) => cell.padEnd(widths[c])).join('  ')}`.trimEnd());
}

/** The LR range test's findings per racer. */
export function lrFinderFindings(study: Extract<Study, { kind: 'lr-finder' }>, history: readonly RacerHistory[], iterations: number) {
  return history.map((h) => {
    const r = analyzeLrFinder(rangeLrs(study.min, study.max, h.losses.length, iterations), h.losses);
    return { name: h.name, optimizer: h.optimizer, steepestLr: r.steepestLr, minimumLr: r.minimumLr, divergenceLr: r.divergenceLr };
  });
}

function sensitivityLines(s: Sensitivity): string[] {
  const rows = [['racer', s.key, 'final loss', 'test accuracy', '']];
  for (const curve of s.curves) {
    for (const p of curve.points) {
      rows.push([p.name, short(p.value), p.diverged ? 'diverged' : p.finalLoss.toFixed(4), percent(p.testAccuracy), p.best ? '* best' : '']);
    }
  }
  const best = s.curves.map((c) => `${optimizerSpec(c.optimizer).label} ${short(c.bestValue)}`).join(', ');
  return [
    `Sensitivity to ${s.key} (final loss: mean of the last 10% of the iterations; * the best ${s.key} per optimizer):`,
    ...table(rows),
    `Best ${s.key}: ${best}`,
  ];
}

/** What the study found, as printed after the race's summary. */
export function formatStudy(study: Study, history: readonly RacerHistory[], iterations: number): string {
  if (study.kind === 'sweep') return sensitivityLines(sensitivity(history, study.sweep.key)).join('\n');
  const rows = [['racer', 'steepest descent lr', 'lowest loss lr', 'divergence lr']];
  for (const f of lrFinderFindings(study, history, iterations)) rows.push([f.name, short(f.steepestLr), short(f.minimumLr), short(f.divergenceLr)]);
  return [
    `LR range test, lr ${study.min} → ${study.max} exponentially over ${iterations} iterations (loss smoothed with β = ${kFinderSmoothing}, divergence: 4x the lowest or NaN):`,
    ...table(rows),
  ].join('\n');
}

/** The study's section of `--json` (NaN becomes null). */
export function studyJson(study: Study, history: readonly RacerHistory[], iterations: number): Record<string, unknown> {
  if (study.kind === 'sweep') {
    const s = sensitivity(history, study.sweep.key);
    return { sweep: { ...study.sweep, scale: sweepScale(study.sweep.key) }, sensitivity: s };
  }
  return { lrFinder: { min: study.min, max: study.max, racers: lrFinderFindings(study, history, iterations) } };
}
