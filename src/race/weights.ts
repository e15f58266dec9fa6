/**
 * Weights out (issue 22): a racer's trained network as a `.safetensors` file under PyTorch's
 * `nn.Sequential` names (src/nn/state-dict.ts), float32, with `__metadata__` saying how it was
 * made: the racer (optimizer, hyperparameters, schedule, init, activation, bn, dropout, l2), the
 * race (iteration, seed, batch, data, layer sizes) and where the book's layers differ from
 * PyTorch's. Read from any engine through RaceEngine.snapshot(). No DOM, no Node: the page, the
 * element's API and the CLI write the same bytes.
 */
import { decodeSafetensors, encodeSafetensors } from '../data/safetensors';
import { kBatchNormEpsilon } from '../nn/batch-norm-reference';
import { mlpToStateDict, sequentialText, stateDictToRacer, type RacerBlocks } from '../nn/state-dict';
import { networkLayout } from '../nn/layout';
import { formatWeightInit } from '../nn/weight-init';
import { formatSchedule } from '../optim/schedule';
import type { RaceSnapshot } from './backend';
import { resolvedRacerJson, type ResolvedRace } from './config';
import type { RaceEngine, RacerHistory } from './engine';

/** The `format` metadata of our weight files; bumped when their meaning changes. */
export const kWeightsFormat = 'optimizer-race weights 1';

export interface WeightsFileOptions {
  /** The data the race trained on, in words (describeDataset's); default: MNIST and the training images' count. */
  data?: string;
}

/** What the metadata needs of a race: the engine's state (or a checkpoint's). */
export interface WeightsSource {
  race: ResolvedRace;
  /** Iterations completed. */
  iteration: number;
  history: readonly RacerHistory[];
}

/** The book's batch norm next to PyTorch's BatchNorm1d, for anyone loading the running statistics. */
export const kBatchNormNote =
  `the book's batch norm: eps ${kBatchNormEpsilon} (PyTorch's default 1e-5), running = 0.9 running + 0.1 batch ` +
  "(PyTorch's momentum=0.1), the running variance moves with the biased batch variance (PyTorch's with the unbiased) and starts at 0 (PyTorch's at 1)";
/** The book's dropout next to PyTorch's Dropout. */
export const kDropoutNote =
  "the book's dropout is not inverted: training keeps kept units unscaled, evaluation multiplies by 1 - ratio (PyTorch's Dropout scales by 1/(1 - ratio) in training, nothing in evaluation)";

/** The file name of racer `r`'s weights: its place and name, e.g. `2-momentum.safetensors`. */
export function weightsFileName(race: ResolvedRace, r: number): string {
  const slug = race.racers[r].name.replace(/[^A-Za-z0-9.=-]+/g, '_').replace(/^_+|_+$/g, '') || 'racer';
  return `${r + 1}-${slug}.safetensors`;
}

/** Racer `r`'s `__metadata__`: every value a string, as the format wants. */
export function weightsMetadata(source: WeightsSource, r: number, options: WeightsFileOptions = {}): Record<string, string> {
  const { race, iteration, history } = source;
  const racer = race.racers[r];
  const config = race.config;
  const json = resolvedRacerJson(racer);
  const last = history[r]?.accuracy.at(-1);
  const metadata: Record<string, string> = {
    format: kWeightsFormat,
    racer: racer.name,
    optimizer: racer.spec.id,
    hyperparameters: JSON.stringify(json.hyperparameters),
    schedule: formatSchedule(racer.schedule),
    init: formatWeightInit(racer.init),
    activation: racer.activation,
    bn: String(racer.bn),
    dropout: String(racer.dropout),
    l2: String(racer.l2),
    sizes: config.sizes.join('-'),
    sequential: sequentialText(config.sizes, racer.activation, { bn: racer.bn, dropout: racer.dropout }),
    iteration: String(iteration),
    iterations: String(config.iterations),
    seed: String(config.seed),
    batch_size: String(config.batchSize),
    data: options.data ?? `MNIST${Number.isNaN(race.trainSize) ? '' : `, the first ${race.trainSize} training images`}`,
    diverged: history[r]?.diverged === null || history[r] === undefined ? 'no' : `at iteration ${history[r].diverged}`,
    input: '784 pixels per image, row-major, each float32(pixel * float32(1/255))',
  };
  if (last) {
    metadata.test_accuracy = String(last.test);
    metadata.test_accuracy_iteration = String(last.iteration);
  }
  if (racer.bn) {
    metadata.batch_norm = kBatchNormNote;
    metadata.batch_norm_eps = String(kBatchNormEpsilon);
  }
  if (racer.dropout > 0) metadata.dropout_note = kDropoutNote;
  return metadata;
}

/** Racer `r`'s state dict from a snapshot of the race (src/race/backend.ts). */
export function racerStateDict(race: ResolvedRace, snapshot: RaceSnapshot, r: number) {
  const layout = networkLayout(race.config.sizes, { batchNorm: race.batchNorm });
  const { paramsPerRacer: P, statsPerRacer: S } = layout;
  const racer = race.racers[r];
  return mlpToStateDict(race.config.sizes, snapshot.params.subarray(r * P, (r + 1) * P), {
    bn: racer.bn,
    dropout: racer.dropout,
    layoutBatchNorm: race.batchNorm,
    stats: snapshot.stats.subarray(r * S, (r + 1) * S),
  });
}

/** Racer `r`'s weights file from a snapshot taken at `source.iteration`. */
export function racerWeightsBytes(source: WeightsSource, snapshot: RaceSnapshot, r: number, options: WeightsFileOptions = {}): Uint8Array {
  return encodeSafetensors(racerStateDict(source.race, snapshot, r), weightsMetadata(source, r, options));
}

export interface WeightsFile {
  name: string;
  bytes: Uint8Array;
}

/** Every racer's weights file (or only racer `racer`'s), read from the engine now (idle, paused or finished). */
export async function raceWeightsFiles(engine: RaceEngine, racer?: number, options: WeightsFileOptions = {}): Promise<WeightsFile[]> {
  const count = engine.racers.length;
  if (racer !== undefined && !(Number.isInteger(racer) && racer >= 0 && racer < count)) {
    throw new RangeError(`racer ${racer} is not a racer of this race (0 to ${count - 1})`);
  }
  const snapshot = await engine.snapshot();
  const source: WeightsSource = { race: engine.race, iteration: engine.iteration, history: engine.history };
  const racers = racer === undefined ? engine.racers.map((_, r) => r) : [racer];
  return racers.map((r) => ({ name: weightsFileName(engine.race, r), bytes: racerWeightsBytes(source, snapshot, r, options) }));
}

/**
 * Racer `r`'s start from a weights file (ours, or any safetensors file with its network's tensors
 * under PyTorch's names): throws a SafetensorsError (a bad file, over 100 MB) or a StateDictError
 * (tensors that do not fit the racer's network), each one line starting with `name`.
 */
export function racerBlocksFromFile(race: ResolvedRace, r: number, bytes: Uint8Array, name?: string): RacerBlocks {
  const { tensors } = decodeSafetensors(bytes, { name });
  const racer = race.racers[r];
  try {
    return stateDictToRacer(race.config.sizes, tensors, { bn: racer.bn, dropout: racer.dropout, layoutBatchNorm: race.batchNorm });
  } catch (error) {
    if (error instanceof Error && name !== undefined) error.message = `${name}: ${error.message}`;
    throw error;
  }
}
