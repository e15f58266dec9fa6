/**
 * A race on MNIST: N racers, each a network plus an optimizer, all seeing the same minibatches.
 * The defaults are the seed's optimizer_compare_mnist experiment. A config is resolved once
 * (resolveRace) into the ResolvedRace the engine hands to its backend; checkRaceSettings reports
 * every field's problem at once for the UI.
 */
import { kSeedSizes, type HiddenActivation } from '../nn/layout';
import { weightStd, type WeightInit } from '../nn/weight-init';
import { checkRacerText, kDefaultActivation, kDefaultInit, problemList, racerText, type RacerSpec } from '../optim/racer-spec';
import { racerJson, type RacerJson } from '../optim/racer-json';
import { kConstantSchedule, type Schedule } from '../optim/schedule';
import { optimizerSpec, resolveHyperparameters, type OptimizerSpec, type ResolvedHyperparameters } from '../optim/registry';
import { checkRacerCount, checkWholeNumber } from './limits';
import { racerNames } from './racer-names';
import { batchNormBatchProblem, epochSchedule, epochsProblem, trainLimitProblem } from './network-settings';
import { errorMessage } from '../util/error-message';
import { raceSearchProblem, searchDraws, searchRacers, type RaceSearch, type TrialDraw } from './search-race';
import { validationCount, validationProblem } from './validation-split';

export type { HiddenActivation, WeightInit };

/** A racer of the MNIST race (its colour, if any, is for the views; the engine ignores it). */
export type RacerConfig = RacerSpec;

export interface RaceConfig {
  /** Layer sizes, input first. */
  sizes: number[];
  iterations: number;
  batchSize: number;
  seed: number;
  /** Test accuracy every this many iterations (and always at the last one); unused when `epochs` is set. */
  evalEvery: number;
  racers: RacerConfig[];
  /** Train on the first N training images only (the book's x_train[:N]); default: all of them. */
  trainLimit?: number;
  /**
   * Passes over the (limited) training set: iterations become floor(epochs · max(N / batch, 1)) and
   * both accuracies are measured once per epoch, as the book's trainer does (./network-settings.ts).
   */
  epochs?: number;
  /** Measure accuracy on the (limited) training set too at each evaluation (default: off). */
  trainAccuracy?: boolean;
  /**
   * Hold out this share (0 < share < 1) of the (limited) training set, after a seeded shuffle, as
   * the validation set: never trained on, measured at each evaluation instead of the test set
   * (./validation-split.ts, ./search-race.ts).
   */
  validation?: number;
  /** A random search: its trials are the racers (`racers` must be empty); ./search-race.ts. */
  search?: RaceSearch;
}

export interface ResolvedRacer {
  name: string;
  spec: OptimizerSpec;
  hyper: ResolvedHyperparameters;
  init: WeightInit;
  activation: HiddenActivation;
  /** Its learning-rate schedule over the race's `iterations` (constant when none was given). */
  schedule: Schedule;
  /** Batch norm after each hidden affine layer. */
  bn: boolean;
  /** Dropout ratio after each hidden activation (0: none). */
  dropout: number;
  /** λ of the L2 term (0: none). */
  l2: number;
}

/**
 * A validated race: what the backends are built from. `config` is kept for workers and reports; its
 * `iterations` are the epochs' when `epochs` is set.
 */
export interface ResolvedRace {
  readonly config: RaceConfig;
  readonly racers: readonly ResolvedRacer[];
  /**
   * The training images the race draws its batches from: the first `trainSize` of the set (NaN:
   * the whole set, its size unknown here; raceTrainCount in ./dataset.ts); with `validation`, the
   * first `trainSize` of the shuffled limited set (./validation-split.ts).
   */
  readonly trainSize: number;
  /** Images held out for validation (0: none), right after the `trainSize` trained on. */
  readonly validationSize: number;
  /** In a search race, each racer's draw (index-aligned with `racers`); ./search-race.ts. */
  readonly trials?: readonly TrialDraw[];
  /** Ascending iteration counts after which accuracy is measured: every evalEvery and the last; with `epochs`, the book's one per epoch (the first after one update). */
  readonly evaluations: readonly number[];
  /** Some racer uses batch norm: the layout has γ, β and running statistics (src/nn/layout.ts). */
  readonly batchNorm: boolean;
}

export const kSeedRace: RaceConfig = {
  sizes: [...kSeedSizes],
  iterations: 2000,
  batchSize: 128,
  seed: 1,
  evalEvery: 100,
  // The seed's order: SGD, Momentum, AdaGrad, Adam, RMSprop, Nesterov, each at its defaults.
  racers: ['sgd', 'momentum', 'adagrad', 'adam', 'rmsprop', 'nesterov'].map((optimizer) => ({ optimizer })),
};

/** The book's weight_init_compare: std 0.01, Xavier and He, all with SGD (lr 0.01). */
export const kInitRace: RaceConfig = {
  ...kSeedRace,
  racers: [
    { name: 'std=0.01', optimizer: 'sgd', init: 0.01 },
    { name: 'Xavier', optimizer: 'sgd', init: 'xavier' },
    { name: 'He', optimizer: 'sgd', init: 'he' },
  ],
};

/** The optimizers people ask for (AdamW, Lion at lr 1e-4, AdaDelta, Adamax) beside Adam, against SGD. */
export const kModernRace: RaceConfig = {
  ...kSeedRace,
  racers: [
    { optimizer: 'sgd' },
    { optimizer: 'adam' },
    { optimizer: 'adamw' },
    { optimizer: 'lion', hyperparameters: { lr: 1e-4 } },
    { optimizer: 'adadelta' },
    { optimizer: 'adamax' },
  ],
};

/** The race's numbers, the part of a RaceConfig the UI edits besides the racers. */
export type RaceSettingName = 'iterations' | 'batchSize' | 'seed' | 'evalEvery';
export const kRaceSettingNames: readonly RaceSettingName[] = ['iterations', 'batchSize', 'seed', 'evalEvery'];

/** Every problem of a config, by field (absent: fine); `racers` holds the first racer problem. */
export type RaceSettingsProblems = Partial<Record<RaceSettingName | 'racers', string>>;

/** All of a config's problems at once, without throwing (one call per render in the UI). */
export function checkRaceSettings(config: Pick<RaceConfig, RaceSettingName> & { racers?: readonly RacerConfig[]; search?: RaceSearch }): RaceSettingsProblems {
  const problems: RaceSettingsProblems = {};
  for (const name of kRaceSettingNames) {
    const problem = checkWholeNumber(name, config[name]);
    if (problem) problems[name] = problem;
  }
  if (config.search) {
    // The trials are drawn from the seed: without one there is nothing to check yet.
    if (!problems.seed) {
      const { search, seed } = config;
      const problem =
        raceSearchProblem(search, seed, config.racers?.length ?? 0) ??
        searchRacers(search, seed)
          .map(racerProblem)
          .find((p) => p !== null);
      if (problem) problems.racers = problem;
    }
  } else if (config.racers) {
    const count = checkRacerCount(config.racers.length);
    const racer = config.racers.map(racerProblem).find((p) => p !== null);
    if (count ?? racer) problems.racers = count ?? racer ?? undefined;
  }
  return problems;
}

/** The racers a config races: its `racers`, or its search's trials (./search-race.ts). Throws a search's problem. */
export function raceRacers(config: Pick<RaceConfig, 'racers' | 'search' | 'seed'>): RacerConfig[] {
  return config.search ? searchRacers(config.search, config.seed) : (config.racers ?? []);
}

/** The first problem of one racer, in the registry's and the network's own words, or null. */
function racerProblem(r: RacerConfig): string | null {
  try {
    resolveHyperparameters(optimizerSpec(r.optimizer), r.hyperparameters);
    weightStd(r.init ?? kDefaultInit, 1); // throws a clear message for anything but 'he', 'xavier' or a positive std
  } catch (error) {
    return errorMessage(error);
  }
  const { problems } = checkRacerText(racerText(r));
  return problemList(problems)[0] ?? null;
}

/** A resolved racer as the JSON exports (the UI's, the CLI's, the engine's history) write it. */
export function resolvedRacerJson(r: ResolvedRacer): RacerJson {
  return racerJson({
    name: r.name,
    optimizer: r.spec.id,
    hyperparameters: r.hyper,
    init: r.init,
    activation: r.activation,
    schedule: r.schedule,
    bn: r.bn,
    dropout: r.dropout,
    l2: r.l2,
  });
}

/**
 * The chapter-6 settings' first problem (training limit, epochs, `bn` with a batch of one), or
 * null. `trainCount` is the training set's size; without it (data not known yet) the training
 * limit is not checked against it and epochs need a training limit.
 */
export function networkSettingsProblem(config: RaceConfig, trainCount?: number): string | null {
  if (config.trainLimit !== undefined) {
    const problem = trainLimitProblem(config.trainLimit, trainCount ?? Number.MAX_SAFE_INTEGER);
    if (problem) return problem;
  }
  const limited = config.trainLimit ?? trainCount;
  if (config.validation !== undefined) {
    const problem = validationProblem(config.validation, limited);
    if (problem) return problem;
  }
  if (config.epochs !== undefined) {
    if (limited === undefined) return 'epochs count passes over the training set, whose size is not known yet: give a training limit';
    const size = config.validation === undefined ? limited : limited - validationCount(config.validation, limited);
    const problem = epochsProblem(config.epochs, size, config.batchSize);
    if (problem) return problem;
  }
  for (const r of config.racers) {
    const problem = batchNormBatchProblem(r.bn ?? false, config.batchSize);
    if (problem) return problem;
  }
  return null;
}

/** Iteration counts after which accuracy is measured: every evalEvery and the last. */
function everyEvaluation(iterations: number, evalEvery: number): number[] {
  const points: number[] = [];
  for (let i = evalEvery; i < iterations; i += evalEvery) points.push(i);
  points.push(iterations);
  return points;
}

/**
 * Validates a config and resolves its racers (defaults filled in, names made unique); throws the
 * first problem. `trainCount`: the training set's size, when known (see networkSettingsProblem).
 */
export function resolveRace(config: RaceConfig, trainCount?: number): ResolvedRace {
  const problems = checkRaceSettings(config);
  const first = [...kRaceSettingNames, 'racers' as const].map((k) => problems[k]).find((p) => p !== undefined) ?? networkSettingsProblem(config, trainCount);
  if (first) throw new Error(first);
  const trials = config.search && searchDraws(config.search, config.seed);
  const configured = raceRacers(config);
  const names = racerNames(configured);
  const racers = configured.map((r, i): ResolvedRacer => {
    const spec = optimizerSpec(r.optimizer);
    return {
      name: names[i],
      spec,
      hyper: resolveHyperparameters(spec, r.hyperparameters),
      init: r.init ?? kDefaultInit,
      activation: r.activation ?? kDefaultActivation,
      schedule: r.schedule ?? kConstantSchedule,
      bn: r.bn ?? false,
      dropout: r.dropout ?? 0,
      l2: r.l2 ?? 0,
    };
  });
  const limited = config.trainLimit ?? trainCount ?? Number.NaN;
  const validationSize = config.validation === undefined || Number.isNaN(limited) ? 0 : validationCount(config.validation, limited);
  const trainSize = limited - validationSize;
  let resolved = config;
  let evaluations: number[];
  if (config.epochs !== undefined) {
    const schedule = epochSchedule(config.epochs, trainSize, config.batchSize);
    resolved = { ...config, iterations: schedule.iterations };
    // The book's records: after the first update of each epoch, none after the last iteration.
    evaluations = schedule.evaluatedAfter;
  } else {
    evaluations = everyEvaluation(config.iterations, config.evalEvery);
  }
  return {
    config: resolved,
    racers,
    trainSize,
    validationSize,
    evaluations,
    batchNorm: racers.some((r) => r.bn),
    ...(trials ? { trials } : {}),
  };
}
