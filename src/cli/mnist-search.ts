/**
 * `mnist --search SPEC --trials N --validation F --test-best K` and `--preset hypersearch`: the
 * race's search and validation share from the options (src/race/search-race.ts), and what is
 * printed and written after the race: the book's "Best-k" lines (src/optim/sweep/search-report.ts),
 * the trials for `--json`, and the best trials tested on the test set afterwards.
 */
import { bestLines, formatSearchSpec, kBestShown, parseSearchSpec, kSearchForm } from '../optim/sweep';
import type { RaceConfig, RacerConfig } from '../race/config';
import type { RacerHistory } from '../race/engine';
import { testBestProblem, trialRecords, type RaceSearch, type TestedTrial } from '../race/search-race';
import { validationProblem } from '../race/validation-split';
import { asUsage, parseNumber, UsageError } from './args';

/** The book's number of trials, when --search gives none. */
export const kDefaultTrials = 100;
/** The book's validation share (validation_rate = 0.20), when a search gives none. */
export const kDefaultValidation = 0.2;

export interface SearchOptions {
  search?: string;
  trials?: string;
  validation?: string;
  'test-best'?: string;
  sweep?: string;
  'lr-finder'?: string;
}

export interface SearchSettings {
  search?: RaceSearch;
  validation?: number;
  /** --test-best K: how many of the best trials to test on the test set after the race. */
  testBest?: number;
}

/**
 * The search and validation share the options ask for, over `base` (the seed's race or a preset).
 * `racers`: the racers --optimizers/--optimizer gave (undefined: none); a search takes its one
 * optimizer (and its other settings) from them. Every mistake is a UsageError.
 */
export function searchSettings(options: SearchOptions, base: RaceConfig, racers: readonly RacerConfig[] | undefined): SearchSettings {
  const study = options.sweep !== undefined ? '--sweep' : options['lr-finder'] !== undefined ? '--lr-finder' : undefined;
  if (options.search !== undefined && study) throw new UsageError(`give --search or ${study}, not both: each makes the race's racers`);
  const searching = options.search !== undefined || (base.search !== undefined && study === undefined);
  if (!searching) {
    for (const name of ['trials', 'test-best'] as const) {
      if (options[name] !== undefined) throw new UsageError(`--${name} needs a search: give --search ${kSearchForm.split(' ')[0]} or --preset hypersearch`);
    }
  }
  const validation =
    options.validation !== undefined ? parseNumber(options.validation, '--validation') : (base.validation ?? (searching ? kDefaultValidation : undefined));
  if (validation !== undefined) {
    const problem = validationProblem(validation);
    if (problem) throw new UsageError(problem);
  }
  const share = validation === undefined ? {} : { validation };
  if (!searching) return share;
  const spec = options.search !== undefined ? asUsage(() => parseSearchSpec(options.search ?? '')) : base.search?.spec;
  if (spec === undefined) throw new Error('unreachable: a search without a spec');
  const trials = options.trials !== undefined ? parseNumber(options.trials, '--trials') : (base.search?.trials ?? kDefaultTrials);
  if (racers !== undefined && racers.length !== 1) {
    throw new UsageError(
      `a search draws every trial from one optimizer: give one --optimizer NAME[:key=value,...] (or --optimizers ID), got ${racers.length} racers`,
    );
  }
  const searchBase: RacerConfig = racers?.[0] ?? base.search?.base ?? { optimizer: 'sgd' };
  const testBest = options['test-best'] === undefined ? undefined : parseNumber(options['test-best'], '--test-best');
  if (testBest !== undefined) {
    const problem = testBestProblem(testBest, trials);
    if (problem) throw new UsageError(`--${problem}`);
  }
  return { search: { spec, trials, base: searchBase }, ...share, ...(testBest === undefined ? {} : { testBest }) };
}

/** The book's closing lines: the best trials by validation accuracy (20, as figure 6-24 shows), "Best-1 (val acc: 0.81) | lr: 0.0097, weight decay: 6.5e-08". */
export function formatBestLines(history: readonly RacerHistory[]): string {
  const records = trialRecords(history);
  const shown = Math.min(kBestShown, records.length);
  return [`The best ${shown} of ${records.length} trials by validation accuracy:`, ...bestLines(records, shown)].join('\n');
}

/** The trials tested after the search, labelled as such. */
export function formatTestedLines(tested: readonly TestedTrial[], testCount: number): string {
  if (tested.length === 0) return 'Test the best: no trial has a validation accuracy to rank by (all diverged or none measured)';
  const rows = tested.map(
    (t) => `  Best-${t.rank} ${t.name}: test accuracy ${(t.test * 100).toFixed(2)}% (val acc: ${t.validation === null ? '–' : t.validation.toFixed(2)})`,
  );
  return [
    `Tested after the search on the ${testCount.toLocaleString('en-US')} test images (never seen while searching), weights at iteration ${tested[0].iteration}:`,
    ...rows,
  ].join('\n');
}

/** `--json`'s search sections: the search, each trial's draw and last accuracies, and the tested ones. */
export function searchJson(
  search: RaceSearch,
  validation: number | undefined,
  history: readonly RacerHistory[],
  tested?: readonly TestedTrial[],
): Record<string, unknown> {
  const trials = trialRecords(history).map((t) => ({
    number: t.number,
    name: t.name,
    values: t.values,
    validation: t.validation,
    train: t.train,
    diverged: t.divergedAt,
  }));
  return {
    search: {
      spec: formatSearchSpec(search.spec),
      trials: search.trials,
      optimizer: search.base.optimizer,
      ...(validation === undefined ? {} : { validation }),
    },
    trials,
    ...(tested === undefined
      ? {}
      : {
          testBest: tested.map((t) => ({
            rank: t.rank,
            number: t.number,
            name: t.name,
            values: t.values,
            validation: t.validation,
            test: t.test,
            iteration: t.iteration,
          })),
        }),
  };
}
