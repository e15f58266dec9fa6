/**
 * The book's experiments of sections 6.3 and 6.4 as races (../shared/docs/CHAPTER6.md, issue 20),
 * one owner for the page's sections and the CLI's `--preset`:
 *   batchnorm  batch_norm_test.py (fig. 6-19): 16 weight scales, each with and without batch norm
 *   overfit    overfit_weight_decay.py (fig. 6-20, 6-21): λ = 0 against λ = 0.1
 *   dropout    overfit_dropout.py (fig. 6-23): dropout 0.2 against none
 * and of section 6.5 (issue 21):
 *   hypersearch  hyperparameter_optimization.py (fig. 6-24): 100 trials of lr 10^U(−6, −2) and
 *                λ 10^U(−8, −4), validated on 20 % of the first 500 images (./search-race.ts)
 * All train with SGD (lr 0.01 but where searched), batch 100, ReLU, on the first images of the
 * training set, and measure training and test (hypersearch: validation) accuracy once per epoch.
 * The test set is the embedded 2,000 images where the book uses 10,000.
 */
import type { SearchSpec } from '../optim/sweep';
import type { RaceConfig, RacerConfig } from './config';
import { shortNumber } from '../util/short-number';

export type Chapter6PresetId = 'batchnorm' | 'overfit' | 'dropout' | 'hypersearch';
export const kChapter6PresetIds: readonly Chapter6PresetId[] = ['batchnorm', 'overfit', 'dropout', 'hypersearch'];
/** The experiments `<chapter6-race>` draws (figures 6-19 to 6-23); `hypersearch` is `<search-race>`'s. */
export type Chapter6FigurePresetId = Exclude<Chapter6PresetId, 'hypersearch'>;
export const kChapter6FigurePresetIds: readonly Chapter6FigurePresetId[] = ['batchnorm', 'overfit', 'dropout'];

/** The layer sizes of hidden `units` x `layers` on MNIST. */
const mnistSizes = (units: number, layers: number): number[] => [784, ...Array.from({ length: layers }, () => units), 10];

/** numpy's logspace(0, -4, 16): the weight scales of batch_norm_test.py, 1 down to 0.0001. */
export const kBatchNormScales: readonly number[] = Array.from({ length: 16 }, (_, k) => 10 ** ((-4 * k) / 15));

/** The name of batch_norm_test's racer at `scale`, as the book titles its charts (`W:0.0464`). */
export const batchNormRacerName = (scale: number, bn: boolean): string => `W ${shortNumber(scale, 3)}${bn ? ' BN' : ''}`;

const sgd = (racer: Omit<RacerConfig, 'optimizer'>): RacerConfig => ({ optimizer: 'sgd', hyperparameters: { lr: 0.01 }, ...racer });

const common = { batchSize: 100, seed: 1, evalEvery: 1, trainAccuracy: true } as const;

/** 32 racers: per scale (in logspace order) the network with batch norm, then the one without. */
export const kBatchNormPreset: RaceConfig = {
  ...common,
  sizes: mnistSizes(100, 5),
  trainLimit: 1000,
  epochs: 20,
  iterations: 200,
  racers: kBatchNormScales.flatMap((scale) => [
    sgd({ name: batchNormRacerName(scale, true), init: scale, bn: true }),
    sgd({ name: batchNormRacerName(scale, false), init: scale }),
  ]),
};

export const kOverfitPreset: RaceConfig = {
  ...common,
  sizes: mnistSizes(100, 6),
  trainLimit: 300,
  epochs: 201,
  iterations: 603,
  racers: [sgd({ name: 'λ = 0' }), sgd({ name: 'λ = 0.1', l2: 0.1 })],
};

export const kDropoutPreset: RaceConfig = {
  ...common,
  sizes: mnistSizes(100, 6),
  trainLimit: 300,
  epochs: 301,
  iterations: 903,
  racers: [sgd({ name: 'no dropout' }), sgd({ name: 'dropout 0.2', dropout: 0.2 })],
};

/** The book's search, `lr = 10 ** np.random.uniform(-6, -2)`, `weight_decay = 10 ** np.random.uniform(-8, -4)`: lr=1e-6..1e-2:log,l2=1e-8..1e-4:log. */
export const kHypersearchSpec: SearchSpec = {
  ranges: [
    { key: 'lr', min: 1e-6, max: 1e-2, scale: 'log' },
    { key: 'l2', min: 1e-8, max: 1e-4, scale: 'log' },
  ],
};

/** 100 trials of SGD, each its own racer, on 400 of the first 500 images; 100 held out for validation; 50 epochs of 4 iterations. */
export const kHypersearchPreset: RaceConfig = {
  ...common,
  sizes: mnistSizes(100, 6),
  trainLimit: 500,
  validation: 0.2,
  epochs: 50,
  iterations: 200,
  racers: [],
  search: { spec: kHypersearchSpec, trials: 100, base: { optimizer: 'sgd' } },
};

export const kChapter6Presets: Readonly<Record<Chapter6PresetId, RaceConfig>> = {
  batchnorm: kBatchNormPreset,
  overfit: kOverfitPreset,
  dropout: kDropoutPreset,
  hypersearch: kHypersearchPreset,
};
