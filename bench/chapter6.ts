/**
 * The chapter-6 stage's measurements that both environments share (issue 20): a preset of
 * src/race/chapter6-presets.ts run whole on ours (wasm) as the app runs it (RaceEngine, accuracy
 * per epoch on the training and test sets), and the cost races: the same 8 racers plain, with
 * batch norm, L2, dropout, and a mix, timed on ours (wasm) and ours (WebGPU) without evaluations.
 */
import { kSeedRace, resolveRace, type RaceConfig, type RacerConfig } from '../src/race/config';
import { kChapter6Presets, type Chapter6PresetId } from '../src/race/chapter6-presets';
import type { RaceData } from '../src/race/dataset';
import { RaceEngine } from '../src/race/engine';
import { searchRacers } from '../src/race/search-race';
import { WasmRaceBackend } from '../src/wasm/wasm-backend';
import { errorMessage } from '../src/util/error-message';
import { now } from './measure';

/** One racer's last accuracy record. */
export interface FinalAccuracy {
  name: string;
  train?: number;
  /** In a race with validation (hypersearch), in place of test. */
  validation?: number;
  test?: number;
  /** A search's trial: its drawn values. */
  values?: Readonly<Record<string, number>>;
}

/** A preset run whole on ours (wasm) in one environment. */
export interface PresetTiming {
  preset: Chapter6PresetId;
  environment: 'node' | 'browser';
  threads: number;
  epochs: number;
  iterations: number;
  /** engine.start() to the last read-back, evaluations included (the backend's creation is not). */
  seconds: number;
  final: FinalAccuracy[];
  error?: string;
}

/** A preset, with `epochs` in place of the book's when given (quick checks). */
export function presetConfig(id: Chapter6PresetId, epochs?: number): RaceConfig {
  const preset = kChapter6Presets[id];
  return epochs === undefined ? preset : { ...preset, epochs };
}

/** Runs the preset on WasmRaceBackend through RaceEngine, as the app does, and times the whole race. */
export async function timeWasmPreset(
  id: Chapter6PresetId,
  data: RaceData,
  wish: number,
  environment: PresetTiming['environment'],
  epochs?: number,
): Promise<PresetTiming> {
  const config = presetConfig(id, epochs);
  const threads = WasmRaceBackend.threadsFor(wish);
  const base = { preset: id, environment, threads, epochs: config.epochs ?? 0, iterations: 0, seconds: 0, final: [] };
  let backend: WasmRaceBackend | undefined;
  try {
    const race = resolveRace(config, data.trainCount);
    backend = await WasmRaceBackend.create(race, data, { threads });
    const engine = new RaceEngine(race, backend);
    const started = now();
    await engine.start();
    const seconds = (now() - started) / 1000;
    if (engine.error) throw engine.error;
    const final = engine.history.map((h): FinalAccuracy => {
      const last = h.accuracy[h.accuracy.length - 1];
      return { name: h.name, train: last?.train, validation: last?.validation, test: last?.test, ...(h.trial ? { values: h.trial.values } : {}) };
    });
    return { ...base, iterations: race.config.iterations, seconds, final };
  } catch (error) {
    return { ...base, error: errorMessage(error) };
  } finally {
    backend?.destroy();
  }
}

/** The cost races: what each variant switches on for its racers. */
export type CostVariant = 'plain' | 'bn' | 'l2' | 'dropout' | 'mixed';
export const kCostVariants: readonly CostVariant[] = ['plain', 'bn', 'l2', 'dropout', 'mixed'];

/** The cost races' shape: the seed's batch and depth as the book's batch_norm_test has them. */
export const kCostRacers = 8;
export const kCostBatch = 100;
export const kCostSizes: readonly number[] = [784, 100, 100, 100, 100, 100, 10];

const kL2 = 0.1;
const kDropout = 0.2;

/** What racer k of `racers` uses in `variant` ('mixed': every other racer bn, every fourth l2, the rest of the odd ones dropout). */
function variantOptions(variant: CostVariant, k: number): Pick<RacerConfig, 'bn' | 'l2' | 'dropout'> {
  switch (variant) {
    case 'plain':
      return {};
    case 'bn':
      return { bn: true };
    case 'l2':
      return { l2: kL2 };
    case 'dropout':
      return { dropout: kDropout };
    case 'mixed':
      return k % 2 === 0 ? { bn: true } : k % 4 === 1 ? { l2: kL2 } : { dropout: kDropout };
  }
}

/** A variant's race: the seed's six optimizers then SGD and Momentum again (8 racers), batch 100, training losses only. */
export function costConfig(variant: CostVariant, iterations: number, sizes: readonly number[] = kCostSizes): RaceConfig {
  const optimizers = kSeedRace.racers.map((r) => r.optimizer);
  return {
    ...kSeedRace,
    sizes: [...sizes],
    batchSize: kCostBatch,
    iterations,
    evalEvery: iterations,
    racers: Array.from({ length: kCostRacers }, (_, k) => ({ optimizer: optimizers[k % optimizers.length], ...variantOptions(variant, k) })),
  };
}

/** The search-scaling races: the hypersearch preset's network and batch with its first `trials` trials as racers, training only. */
export function searchScalingConfig(trials: number, iterations: number, sizes?: readonly number[]): RaceConfig {
  const preset = kChapter6Presets.hypersearch;
  const search = preset.search;
  if (!search) throw new Error('the hypersearch preset has no search');
  const racers = searchRacers({ ...search, trials }, preset.seed);
  return { ...preset, ...(sizes ? { sizes: [...sizes] } : {}), search: undefined, racers, epochs: undefined, iterations, evalEvery: iterations };
}

/** What the variant may add to the plain race's dispatches per iteration (issue 20): three per hidden layer with bn, one with l2, none for dropout. */
export function dispatchAllowance(variant: CostVariant, hiddenLayers: number): number {
  const bn = 3 * hiddenLayers;
  return { plain: 0, bn, l2: 1, dropout: 0, mixed: bn + 1 }[variant];
}
