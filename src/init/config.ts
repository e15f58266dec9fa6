/**
 * The seed's weight-initialisation experiment (weight_init_activation_histogram.py): `samples`
 * standard-normal inputs of `nodes` numbers through `layers` fully connected layers of `nodes`
 * nodes, W ~ N(0, s^2), no bias, one activation; a histogram of every layer's activations.
 * Several settings (init x activation) run side by side as racers of one GPU dispatch.
 */
import { formatWeightInit, parseWeightInit, weightStd, type WeightInit } from '../nn/weight-init';
import type { HiddenActivation } from '../race/config';
import { kInitLimits, wholeNumberProblem } from '../race/limits';
import { roundSignificant } from '../util/short-number';

export type { WeightInit };
export type InitActivation = HiddenActivation;

/** The seed's four choices of s: 1, 0.01, Xavier sqrt(1/n), He sqrt(2/n). */
export const kInitChoices: readonly WeightInit[] = [1, 0.01, 'xavier', 'he'];
export const kInitActivations: readonly InitActivation[] = ['sigmoid', 'relu', 'tanh'];

export interface InitSetting {
  init: WeightInit;
  activation: InitActivation;
}

export interface InitExperimentConfig {
  /** One histogram row per setting; all share the inputs and the underlying normal draws. */
  settings: readonly InitSetting[];
  layers: number;
  nodes: number;
  samples: number;
  /** Seeds the inputs and the weights: the same seed gives the same histograms. */
  seed: number;
  /** Bins per histogram (the seed's 30). */
  bins?: number;
}

export type ResolvedInitConfig = Required<InitExperimentConfig>;

export const kSeedBins = 30;
export const kDefaultInitSeed = 1;

/** The seed's first figure: std 1, sigmoid, 5 layers of 100 nodes, 1000 samples. */
export const kSeedInitExperiment: ResolvedInitConfig = {
  settings: [{ init: 1, activation: 'sigmoid' }],
  layers: 5,
  nodes: 100,
  samples: 1000,
  seed: kDefaultInitSeed,
  bins: kSeedBins,
};

/** Every init x activation combination, activation by activation (the matrix view's 12 rows). */
export function allInitSettings(): InitSetting[] {
  return kInitActivations.flatMap((activation) => kInitChoices.map((init) => ({ init, activation })));
}

/** All activations of one run stay below this (GPU memory; also bounds the CPU fallback's time). */
export const kMaxActivationBytes = 256 * 2 ** 20;

function wholeNumber(name: keyof typeof kInitLimits, value: number): void {
  const problem = wholeNumberProblem(kInitLimits[name], value);
  if (problem) throw new Error(problem);
}

/** The std a setting's weights are drawn with, for layers of `fanIn` inputs. */
export function settingStd(init: WeightInit, fanIn: number): number {
  const std = weightStd(init, fanIn);
  if (typeof init === 'number' && init > kInitLimits.std.max) {
    throw new Error(`a numeric init is a standard deviation in (${kInitLimits.std.min}, ${kInitLimits.std.max}], got ${init}`);
  }
  return std;
}

/** Checks every field (messages say what is allowed) and fills in the defaults. */
export function resolveInitConfig(config: InitExperimentConfig): ResolvedInitConfig {
  wholeNumber('layers', config.layers);
  wholeNumber('nodes', config.nodes);
  wholeNumber('samples', config.samples);
  wholeNumber('seed', config.seed);
  const bins = config.bins ?? kSeedBins;
  wholeNumber('bins', bins);
  const count = config.settings.length;
  const { min, max } = kInitLimits.settings;
  if (count < min || count > max) {
    throw new Error(`an experiment needs from ${min} to ${max} settings, got ${count}`);
  }
  for (const s of config.settings) {
    settingStd(s.init, config.nodes);
    if (!kInitActivations.includes(s.activation)) {
      throw new Error(`Unknown activation '${String(s.activation)}'. Allowed: ${kInitActivations.join(', ')}`);
    }
  }
  const bytes = 4 * count * config.samples * config.nodes * config.layers;
  if (bytes > kMaxActivationBytes) {
    throw new Error(
      `${count} setting(s) x ${config.samples} samples x ${config.nodes} nodes x ${config.layers} layers are ` +
        `${Math.ceil(bytes / 2 ** 20)} MiB of activations, more than ${kMaxActivationBytes / 2 ** 20} MiB: use fewer samples, nodes or layers`,
    );
  }
  return { settings: config.settings.map((s) => ({ ...s })), layers: config.layers, nodes: config.nodes, samples: config.samples, seed: config.seed, bins };
}

/** '1', '0.01', 'xavier', 'he' (as the CLI and the element take them). */
export const formatInit = formatWeightInit;

/** Parses one of the seed's four choices (as any weight init is written: src/nn/weight-init.ts); the message lists them. */
export function parseInit(text: string): WeightInit {
  const init = parseWeightInit(text);
  const choice = kInitChoices.find((c) => c === init);
  if (choice === undefined) throw new Error(`Unknown init '${text}'. Allowed: ${kInitChoices.map(formatInit).join(', ')}`);
  return choice;
}

export function parseActivation(text: string): InitActivation {
  const activation = kInitActivations.find((a) => a === text.trim().toLowerCase());
  if (activation === undefined) throw new Error(`Unknown activation '${text}'. Allowed: ${kInitActivations.join(', ')}`);
  return activation;
}

/** 'std 1', 'std 0.01', 'Xavier', 'He'. */
export function initLabel(init: WeightInit): string {
  if (init === 'xavier') return 'Xavier';
  if (init === 'he') return 'He';
  return `std ${init}`;
}

/** The std in words, e.g. 'std 1', 'Xavier: std √(1/100) = 0.1'. */
export function initDescription(init: WeightInit, nodes: number): string {
  const std = roundSignificant(settingStd(init, nodes), 3);
  if (init === 'xavier') return `Xavier: std √(1/${nodes}) = ${std}`;
  if (init === 'he') return `He: std √(2/${nodes}) = ${std}`;
  return `std ${init}`;
}

export const settingKey = (s: InitSetting): string => `${formatInit(s.init)}-${s.activation}`;
