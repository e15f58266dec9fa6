/**
 * A hyperparameter search as ONE race (section 6.5 of the book, issue 21). THIS MODULE IS THE
 * CONTRACT THE UI READS (the figures, the page section, the URL, the exports, the editor): change
 * it only with them.
 *
 * - A RaceConfig with `search` (a RaceSearch) races `search.trials` racers, one per trial: trial k
 *   (1-based) is racer k − 1, named "trial k", `search.base` with the values drawn for it from the
 *   race seed (src/optim/sweep/: drawTrials, the recipe in search-trials.ts). resolveRace expands
 *   them, so the same config gives the same trials in every engine, on the CLI and on the page;
 *   `racers` must then be empty (the spec, not a hundred racers, is the race's description).
 * - A RaceConfig with `validation` (a share in (0, 1), e.g. 0.2) holds out that share of the
 *   (limited) training set after a seeded shuffle (./validation-split.ts): it is never trained on;
 *   each evaluation records `validation` (and `train` with trainAccuracy) in the racers'
 *   AccuracyCheckpoints instead of `test`: the test set is not touched during the race.
 * - Each racer's RacerHistory carries `trial` (its number and drawn values) in a search race;
 *   trialRecords() joins them with the last accuracies as TrialOutcomes, which
 *   src/optim/sweep/search-report.ts ranks (rankTrials) and prints as the book does (bestLines:
 *   "Best-1 (val acc: 0.81) | lr: 0.0097, weight decay: 6.5e-08").
 * - testBest() (the "Test the best" action, the CLI's --test-best K) measures the chosen trials'
 *   current weights on the test set afterwards, through RaceEngine.testAccuracy; its records are
 *   TestedTrials, labelled as tested after the search.
 */
import type { HyperKey } from '../optim/hyperparameters';
import { drawTrials, rankTrials, type SearchSpec, type SearchTrial, type TrialOutcome } from '../optim/sweep';
import { errorMessage } from '../util/error-message';
import type { RacerConfig } from './config';
import type { RaceEngine, RacerHistory } from './engine';
import { kRaceLimits } from './limits';

/** The search a race carries: `trials` racers drawn from `spec` by the race seed. */
export interface RaceSearch {
  spec: SearchSpec;
  /** How many trials (racers): 1 to the racer limit (kRaceLimits.racers.max, 128). */
  trials: number;
  /**
   * Every trial's racer before its draw: the optimizer, its fixed hyperparameters, init,
   * activation, schedule, bn, dropout, l2. Drawn keys override; `name` is not used (trials are
   * "trial k").
   */
  base: RacerConfig;
}

/** What was drawn for one trial. */
export interface TrialDraw {
  /** 1-based; the racer's index is number − 1 and its name "trial <number>". */
  number: number;
  /** Every drawn value by key, in the spec's order (registry keys and network options alike). */
  values: Readonly<Record<HyperKey, number>>;
}

/**
 * One trial's draw and how it ended (the --json trials, the exports, the figures' sort): a
 * TrialOutcome of src/optim/sweep/search-report.ts (rankTrials, bestLines: the book's "Best-k"
 * lines), with where it is in the race.
 */
export interface TrialRecord extends TrialOutcome {
  /** The racer's index in the race. */
  racer: number;
  name: string;
  /** The iteration at which it diverged, or null. */
  divergedAt: number | null;
}

/** A trial measured on the test set after the search ("Test the best"). */
export interface TestedTrial extends TrialRecord {
  /** Accuracy of its weights at `iteration` on the whole test set. */
  test: number;
  /** Iterations completed when it was tested. */
  iteration: number;
  /** Its rank by validation accuracy (1: the best). */
  rank: number;
}

const draw = (search: RaceSearch, seed: number): SearchTrial[] => drawTrials(search.spec, search.trials, seed, search.base.optimizer, kRaceLimits.racers.max);

/** The trials' racers: `base` with each trial's drawn values (registry keys into its hyperparameters, `l2`/`dropout` onto it). Throws the search's problem. */
export function searchRacers(search: RaceSearch, seed: number): RacerConfig[] {
  return draw(search, seed).map((t) => ({
    ...search.base,
    name: t.racer.name,
    hyperparameters: { ...search.base.hyperparameters, ...t.racer.hyperparameters },
    ...t.network,
  }));
}

/** What was drawn for each trial, in racer order. Throws the search's problem. */
export const searchDraws = (search: RaceSearch, seed: number): TrialDraw[] => draw(search, seed).map((t) => ({ number: t.number, values: t.values }));

/**
 * The first problem of a race's search (the spec, the trials against the racer limit, the base
 * optimizer's keys), or undefined. `racers`: how many racers the config lists besides (must be 0).
 */
export function raceSearchProblem(search: RaceSearch, seed: number, racers: number): string | undefined {
  if (racers > 0) return `a search race's racers are its trials: give a search or ${racers} racers, not both`;
  try {
    draw(search, seed);
  } catch (error) {
    return errorMessage(error);
  }
  return undefined;
}

/** Each trial's draw and its accuracies at its last evaluation, in racer order (empty for a race without a search). */
export function trialRecords(history: readonly RacerHistory[]): TrialRecord[] {
  return history.flatMap((h, racer) => {
    if (!h.trial) return [];
    const last = h.accuracy[h.accuracy.length - 1];
    return [
      {
        ...h.trial,
        racer,
        name: h.name,
        validation: last?.validation ?? null,
        train: last?.train ?? null,
        diverged: h.diverged !== null,
        divergedAt: h.diverged,
      },
    ];
  });
}

/** The message for a --test-best / "Test the best" count that is not a whole number from 1 to the trials, or null. */
export function testBestProblem(count: number, trials: number): string | null {
  return Number.isInteger(count) && count >= 1 && count <= trials ? null : `test-best must be a whole number from 1 to ${trials} (the trials), got ${count}`;
}

/**
 * "Test the best": the `count` best trials by validation accuracy (diverged and unmeasured ones
 * never), measured with their current weights on the whole test set, after the search (the engine
 * refuses while it runs). The only time a search touches the test set.
 */
export function testBest(engine: RaceEngine, count: number): Promise<TestedTrial[]> {
  return testBestOf(engine, trialRecords(engine.history), count);
}

/** testBest over trial records kept beside the race (<optimizer-race>'s search study draws its racers itself, so its history holds no `trial`). */
export async function testBestOf(engine: RaceEngine, records: readonly TrialRecord[], count: number): Promise<TestedTrial[]> {
  const problem = testBestProblem(count, records.length);
  if (problem) throw new Error(problem);
  const chosen = rankTrials(records)
    .slice(0, count)
    .filter((t) => !t.diverged && t.validation !== null);
  const iteration = engine.iteration;
  const test = await engine.testAccuracy(chosen.map((t) => t.racer));
  return chosen.map((t, k) => ({ ...t, rank: k + 1, test: test[k], iteration }));
}
