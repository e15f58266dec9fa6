/**
 * A race on MNIST: N racers, each a network plus an optimizer, all seeing the same minibatches.
 * The defaults are the seed's optimizer_compare_mnist experiment. A config is resolved once
 * (resolveRace) into the ResolvedRace the engine hands to its backend; checkRaceSettings reports
 * every field's problem at once for the UI.
 */
import { kSeedSizes, type HiddenActivation } from '../nn/layout';
import { weightStd, type WeightInit } from '../nn/weight-init';
import { checkRacerText, kDefaultActivation, kDefaultInit, problemList, racerJson, racerText, type RacerJson, type RacerSpec } from '../optim/racer-spec';
import { kConstantSchedule, type Schedule } from '../optim/schedule';
import { optimizerSpec, resolveHyperparameters, type OptimizerSpec, type ResolvedHyperparameters } from '../optim/registry';
import { checkRacerCount, checkWholeNumber } from './limits';
import { errorMessage } from '../util/error-message';

export type { HiddenActivation, WeightInit };

/** A racer of the MNIST race (its colour, if any, is for the views; the engine ignores it). */
export type RacerConfig = RacerSpec;

export interface RaceConfig {
  /** Layer sizes, input first. */
  sizes: number[];
  iterations: number;
  batchSize: number;
  seed: number;
  /** Test accuracy every this many iterations (and always at the last one). */
  evalEvery: number;
  racers: RacerConfig[];
}

export interface ResolvedRacer {
  name: string;
  spec: OptimizerSpec;
  hyper: ResolvedHyperparameters;
  init: WeightInit;
  activation: HiddenActivation;
  /** Its learning-rate schedule over the race's `iterations` (constant when none was given). */
  schedule: Schedule;
}

/** A validated race: what the backends are built from. `config` is kept for workers and reports. */
export interface ResolvedRace {
  readonly config: RaceConfig;
  readonly racers: readonly ResolvedRacer[];
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
export function checkRaceSettings(config: Pick<RaceConfig, RaceSettingName> & { racers?: readonly RacerConfig[] }): RaceSettingsProblems {
  const problems: RaceSettingsProblems = {};
  for (const name of kRaceSettingNames) {
    const problem = checkWholeNumber(name, config[name]);
    if (problem) problems[name] = problem;
  }
  if (config.racers) {
    const count = checkRacerCount(config.racers.length);
    const racer = config.racers.map(racerProblem).find((p) => p !== null);
    if (count ?? racer) problems.racers = count ?? racer ?? undefined;
  }
  return problems;
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
  return racerJson({ name: r.name, optimizer: r.spec.id, hyperparameters: r.hyper, init: r.init, activation: r.activation, schedule: r.schedule });
}

/** Validates a config and resolves its racers (defaults filled in, names made unique); throws the first problem. */
export function resolveRace(config: RaceConfig): ResolvedRace {
  const problems = checkRaceSettings(config);
  const first = [...kRaceSettingNames, 'racers' as const].map((k) => problems[k]).find((p) => p !== undefined);
  if (first) throw new Error(first);
  const names = new Set<string>();
  const racers = config.racers.map((r): ResolvedRacer => {
    const spec = optimizerSpec(r.optimizer);
    let name = r.name ?? spec.label;
    for (let k = 2; names.has(name); k++) name = `${r.name ?? spec.label} ${k}`;
    names.add(name);
    return {
      name,
      spec,
      hyper: resolveHyperparameters(spec, r.hyperparameters),
      init: r.init ?? kDefaultInit,
      activation: r.activation ?? kDefaultActivation,
      schedule: r.schedule ?? kConstantSchedule,
    };
  });
  return { config, racers };
}
