/**
 * A search's trials as files (beside the race's CSVs in ./export.ts):
 *
 * trials CSV: `trial,<key>…,validation,train,test,diverged`, one row per trial in trial order:
 *             its drawn values (the spec's keys, in its order), then its accuracies at the last
 *             evaluation (fractions in [0, 1]; a column only where the race measures it, a cell
 *             empty before the first evaluation) and the iteration it diverged at (empty: none).
 * JSON:       the race's JSON (./export.ts) gains `search` (`{spec, trials, optimizer, seed}`, the
 *             spec in its text form) and `trials`: per trial the fields of the CLI's --json trial
 *             records (src/race/search-race.ts' TrialRecord: `number, values, validation, train,
 *             diverged, divergedAt, racer, name`; accuracies null before the first evaluation),
 *             plus `test` where the race measures the test set.
 */
import type { HyperKey } from '../../optim/hyperparameters';
import { drawTrials, formatSearchSpec } from '../../optim/sweep';
import type { AccuracyCheckpoint } from '../../race/engine';
import { kRaceLimits } from '../../race/limits';
import { csvField } from './export';
import type { Study } from './study';

export type SearchStudy = Extract<Study, { kind: 'search' }>;

/** A racer's record as the trials read it (a RacerHistory fits; `validation` once the engine measures it). */
interface TrialRacer {
  name: string;
  accuracy: readonly (Pick<AccuracyCheckpoint, 'train'> & { test?: number; validation?: number })[];
  diverged: number | null;
}

export interface TrialExport {
  number: number;
  values: Record<HyperKey, number>;
  validation: number | null;
  train: number | null;
  /** Test accuracy, where the race measures it (a race without a validation share). */
  test?: number;
  diverged: boolean;
  /** The iteration it diverged at, or null. */
  divergedAt: number | null;
  /** The racer's index in the race. */
  racer: number;
  name: string;
}

/** Each trial of `study` (drawn from `seed`) with its racer's latest accuracies; racers in trial order. */
export function trialExports(study: SearchStudy, seed: number, racers: readonly TrialRacer[]): TrialExport[] {
  const trials = drawTrials(study.spec, study.trials, seed, study.optimizers[0], kRaceLimits.racers.max);
  return trials.map((t, i) => {
    const racer = racers[i];
    const last = (key: 'validation' | 'train' | 'test'): number | undefined => [...(racer?.accuracy ?? [])].reverse().find((c) => c[key] !== undefined)?.[key];
    const test = last('test');
    return {
      number: t.number,
      values: t.values,
      validation: last('validation') ?? null,
      train: last('train') ?? null,
      ...(test === undefined ? {} : { test }),
      diverged: (racer?.diverged ?? null) !== null,
      divergedAt: racer?.diverged ?? null,
      racer: i,
      name: racer?.name ?? t.racer.name ?? `trial ${t.number}`,
    };
  });
}

const cell = (x: number | null | undefined): string => (x === undefined || x === null || !Number.isFinite(x) ? '' : String(x));

export function trialsCsv(study: SearchStudy, trials: readonly TrialExport[]): string {
  const keys = study.spec.ranges.map((r) => r.key);
  const measured = (['validation', 'train', 'test'] as const).filter((k) => trials.some((t) => t[k] !== undefined && t[k] !== null));
  const rows = [['trial', ...keys.map(csvField), ...measured, 'diverged'].join(',')];
  for (const t of trials)
    rows.push([String(t.number), ...keys.map((k) => cell(t.values[k])), ...measured.map((k) => cell(t[k])), cell(t.divergedAt)].join(','));
  return `${rows.join('\n')}\n`;
}

/** The race's JSON with the search and its trials (unchanged when the race is not a search's). */
export function withTrials<T extends object>(json: T | null, study: Study | null, seed: number, racers: readonly TrialRacer[]): T | null {
  if (!json || study?.kind !== 'search' || racers.length !== study.trials) return json;
  const search = { spec: formatSearchSpec(study.spec), trials: study.trials, optimizer: study.optimizers[0], seed };
  return { ...json, search, trials: trialExports(study, seed, racers) };
}
