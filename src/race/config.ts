/**
 * A race on MNIST: N racers, each a network plus an optimizer, all seeing the same minibatches.
 * The defaults are the seed's optimizer_compare_mnist experiment.
 */
import type { Hyperparameters } from '../optim/hyperparameters';
import { optimizerSpec, resolveHyperparameters, type OptimizerId, type ResolvedHyperparameters, type OptimizerSpec } from '../optim/registry';
import { kSeedSizes, type Activation } from '../nn/layout';
import { weightStd, type WeightInit } from '../nn/model';

export type { WeightInit };
export type HiddenActivation = Exclude<Activation, 'identity'>;

export interface RacerConfig {
  name?: string;
  optimizer: OptimizerId;
  hyperparameters?: Hyperparameters;
  init?: WeightInit;
  activation?: HiddenActivation;
}

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
}

export const kSeedRace: RaceConfig = {
  sizes: [...kSeedSizes],
  iterations: 2000,
  batchSize: 128,
  seed: 1,
  evalEvery: 100,
  // The seed's order: SGD, Momentum, AdaGrad, Adam, RMSprop, Nesterov, each at its defaults.
  racers: (['sgd', 'momentum', 'adagrad', 'adam', 'rmsprop', 'nesterov'] as const).map((optimizer) => ({ optimizer })),
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

const wholeNumber = (name: string, value: number, min: number, max: number): void => {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}, got ${value}`);
  }
};

export function resolveRacers(config: RaceConfig): ResolvedRacer[] {
  wholeNumber('iterations', config.iterations, 1, 1_000_000);
  wholeNumber('batch size', config.batchSize, 1, 4096);
  wholeNumber('seed', config.seed, 0, 2 ** 32 - 1);
  wholeNumber('evaluation interval', config.evalEvery, 1, 1_000_000);
  if (config.racers.length === 0) throw new Error('a race needs at least one racer');
  if (config.racers.length > 64) throw new Error(`at most 64 racers, got ${config.racers.length}`);
  const names = new Set<string>();
  return config.racers.map((r) => {
    const spec = optimizerSpec(r.optimizer);
    const init = r.init ?? 'he';
    weightStd(init, 1); // throws a clear message for anything but 'he', 'xavier' or a positive std
    const activation = r.activation ?? 'relu';
    if (!['relu', 'sigmoid', 'tanh'].includes(activation)) {
      throw new Error(`activation must be relu, sigmoid or tanh, got ${String(activation)}`);
    }
    let name = r.name ?? spec.label;
    for (let k = 2; names.has(name); k++) name = `${r.name ?? spec.label} ${k}`;
    names.add(name);
    return { name, spec, hyper: resolveHyperparameters(spec, r.hyperparameters), init, activation };
  });
}
