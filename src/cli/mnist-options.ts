/**
 * `mnist`'s options as a RaceConfig: the racers (`--optimizers`, `--optimizer NAME:key=value,...`
 * with the network options bn, dropout and l2), the race's numbers, the chapter-6 settings
 * (`--hidden`, `--train-limit`, `--epochs`, `--train-accuracy`) and `--preset`, the book's
 * experiments (src/race/chapter6-presets.ts), whose values the other options override. Every
 * mistake is a UsageError (exit 2) raised before any data is read or device opened, except the
 * checks that need the training set's size (runnableRace, once the data is known).
 */
import { kSeedSizes } from '../nn/layout';
import { optimizerIds, optimizerSpec } from '../optim/registry';
import { kChapter6PresetIds, kChapter6Presets, type Chapter6PresetId } from '../race/chapter6-presets';
import { kSeedRace, resolveRace, type RaceConfig, type RacerConfig, type ResolvedRace } from '../race/config';
import { kNetworkLimits, wholeNumberProblem } from '../race/limits';
import { parseHidden } from '../race/network-settings';
import { asUsage, parseChoice, parseNumber, racerFromArgument, UsageError } from './args';
import { searchSettings } from './mnist-search';
import { studyRacers, type Study } from './mnist-sweep';

/** The book's script each preset runs, for the race's first line and the help. */
export const kPresetScripts: Readonly<Record<Chapter6PresetId, string>> = {
  batchnorm: 'batch_norm_test.py, figure 6-19: 16 weight scales, each with and without batch norm; 100x5, 1,000 images, 20 epochs',
  overfit: 'overfit_weight_decay.py, figures 6-20 and 6-21: weight decay λ = 0 against λ = 0.1; 100x6, 300 images, 201 epochs',
  dropout: 'overfit_dropout.py, figure 6-23: dropout 0.2 against none; 100x6, 300 images, 301 epochs',
  hypersearch:
    'hyperparameter_optimization.py, figure 6-24: 100 trials of lr 10^U(-6,-2) and weight decay 10^U(-8,-4), validated on 20% of 500 images; 100x6, 50 epochs',
};

/**
 * `NAME[:key=value,...]`, e.g. `adam:lr=0.01,beta2=0.99,init=xavier,bn=on,dropout=0.2,l2=0.1`;
 * keys left out take the optimizer's defaults (the seed's MNIST race runs every optimizer at its defaults).
 */
export function parseMnistRacer(text: string): RacerConfig {
  return asUsage(() => racerFromArgument(text, ['name', 'init', 'activation', 'schedule', 'bn', 'dropout', 'l2']));
}

/** What tells two racers of one optimizer apart: their hyperparameters and network options as given. */
function givenSettings(r: RacerConfig): string {
  const pairs = Object.entries(r.hyperparameters ?? {}).map(([key, value]) => `${key}=${value}`);
  if (r.bn) pairs.push('bn=on');
  if (r.dropout) pairs.push(`dropout=${r.dropout}`);
  if (r.l2) pairs.push(`l2=${r.l2}`);
  return pairs.join(', ');
}

/** `--optimizers a,b,c` (ids at their defaults) followed by each `--optimizer NAME[:key=value,...]`; none: the seed's six. */
export function mnistRacers(optimizers: string | undefined, optimizer: readonly string[]): RacerConfig[] {
  const listed =
    optimizers === undefined
      ? []
      : optimizers.split(',').map((id) => {
          if (id.trim() === '' || id.includes(':') || id.includes('=')) {
            throw new UsageError(
              `--optimizers takes comma-separated optimizer ids (${optimizerIds().join(', ')}), got '${optimizers}'; ` +
                'give hyperparameters with --optimizer NAME:key=value,...',
            );
          }
          return parseMnistRacer(id.trim());
        });
  const racers = [...listed, ...optimizer.map(parseMnistRacer)];
  if (racers.length === 0) return kSeedRace.racers.map((r) => ({ ...r }));
  // One optimizer twice: its settings tell the racers apart (resolveRace numbers exact twins).
  return racers.map((r) => {
    const twice = racers.filter((other) => other.optimizer === r.optimizer).length > 1;
    const given = givenSettings(r);
    return twice && given && r.name === undefined ? { ...r, name: `${optimizerSpec(r.optimizer).label} (${given})` } : r;
  });
}

export interface MnistOptions {
  iterations?: string;
  batch?: string;
  optimizers?: string;
  optimizer: string[];
  seed?: string;
  'eval-every'?: string;
  sweep?: string;
  'lr-finder'?: string;
  hidden?: string;
  'train-limit'?: string;
  epochs?: string;
  'train-accuracy'?: boolean;
  'no-train-accuracy'?: boolean;
  preset?: string;
  search?: string;
  trials?: string;
  validation?: string;
  'test-best'?: string;
}

export interface MnistRace {
  config: RaceConfig;
  study?: Study;
  /** The book's experiment it runs, when `--preset` was given. */
  preset?: Chapter6PresetId;
  /** The preset's own racers run (no --optimizers, --optimizer, --sweep or --lr-finder replaced them). */
  presetRacers?: boolean;
  /** Options given but not used (e.g. --iterations with --epochs), one line each for stderr. */
  notes: string[];
  /** --test-best K (a search race): test the best K trials on the test set after the race. */
  testBest?: number;
}

/** The race the options describe, validated; no options = the seed's experiment. */
export function mnistConfig(options: MnistOptions): RaceConfig {
  return mnistRace(options).config;
}

/**
 * `--train-accuracy` or `--no-train-accuracy`, else on exactly when accuracy is measured per epoch:
 * the book records both accuracies at each epoch.
 */
function trainAccuracyOption(options: MnistOptions, epochs: number | undefined): boolean {
  if (options['train-accuracy'] && options['no-train-accuracy']) throw new UsageError('give --train-accuracy or --no-train-accuracy, not both');
  if (options['train-accuracy']) return true;
  if (options['no-train-accuracy']) return false;
  return epochs !== undefined;
}

/**
 * What can be checked before the training set's size is known: everything but the training limit
 * (its range is the set's size) and the epochs' iteration count (it depends on that size), which
 * runnableRace checks once the data is read. The epochs' own range is checked here.
 */
function checkBeforeData(config: RaceConfig): void {
  const { trainLimit: _limit, epochs, ...rest } = config;
  const problem = epochs === undefined ? null : wholeNumberProblem(kNetworkLimits.epochs, epochs);
  if (problem) throw new Error(problem);
  resolveRace(rest);
}

/** The race, the study (--sweep, --lr-finder) and the preset the options describe, validated as far as it can be without the data. */
export function mnistRace(options: MnistOptions): MnistRace {
  const preset = options.preset === undefined ? undefined : parseChoice(options.preset, kChapter6PresetIds, 'preset');
  const base = preset === undefined ? kSeedRace : kChapter6Presets[preset];
  const studied = studyRacers(options);
  const givenRacers = studied !== undefined || options.optimizers !== undefined || options.optimizer.length > 0;
  // An option's number when given, else the preset's or the seed race's value (undefined: not set).
  const number = <T extends number | undefined>(name: keyof MnistOptions, fallback: T): number | T => {
    const text = options[name];
    return typeof text === 'string' ? parseNumber(text, `--${name}`) : fallback;
  };
  const hidden = options.hidden === undefined ? undefined : asUsage(() => parseHidden(options.hidden ?? ''));
  const trainLimit = number('train-limit', base.trainLimit);
  const epochs = number('epochs', base.epochs);
  const trainAccuracy = trainAccuracyOption(options, epochs);
  const given = givenRacers && studied === undefined ? mnistRacers(options.optimizers, options.optimizer) : undefined;
  const { search, validation, testBest } = searchSettings(options, base, given);
  const config: RaceConfig = {
    sizes: hidden ? [kSeedSizes[0], ...hidden, kSeedSizes[kSeedSizes.length - 1]] : [...base.sizes],
    iterations: number('iterations', base.iterations),
    batchSize: number('batch', base.batchSize),
    seed: number('seed', base.seed),
    evalEvery: number('eval-every', base.evalEvery),
    racers: search ? [] : (studied?.racers ?? given ?? base.racers.map((r) => ({ ...r }))),
    ...(trainLimit === undefined ? {} : { trainLimit }),
    ...(epochs === undefined ? {} : { epochs }),
    ...(trainAccuracy ? { trainAccuracy } : {}),
    ...(validation === undefined ? {} : { validation }),
    ...(search ? { search } : {}),
  };
  asUsage(() => checkBeforeData(config));
  const notes =
    epochs === undefined
      ? []
      : (['iterations', 'eval-every'] as const)
          .filter((name) => options[name] !== undefined)
          .map(
            (name) =>
              `--${name} ${options[name]} is not used: with epochs the race runs epochs · max(training images / batch, 1) iterations and measures accuracy once per epoch`,
          );
  return {
    config,
    ...(studied ? { study: studied.study } : {}),
    ...(preset === undefined ? {} : { preset, presetRacers: !givenRacers }),
    notes,
    ...(testBest === undefined ? {} : { testBest }),
  };
}

/** The race resolved against the training set's size: a training limit above it, or epochs whose iterations pass the limit, are usage errors. */
export function runnableRace(config: RaceConfig, trainCount: number): ResolvedRace {
  return asUsage(() => resolveRace(config, trainCount));
}
