/**
 * What `mnist` prints and writes from an engine's history: the seed's loss lines, the accuracy
 * table (training accuracy beside the test's when the race measures it), the batchnorm preset's
 * line per weight scale, and the `--json` document. Pure functions of a RaceRun: no engine, no I/O.
 */
import type { BackendKind } from '../gpu/backend-kind';
import { describeDataset, type MnistDataset } from '../data/dataset';
import { batchNormRacerName, kBatchNormScales } from '../race/chapter6-presets';
import type { RaceConfig } from '../race/config';
import type { AccuracyCheckpoint, RacerHistory } from '../race/engine';
import type { TestedTrial } from '../race/search-race';
import { validationCount } from '../race/validation-split';
import { roundSignificant } from '../util/short-number';

export interface RaceRun {
  /** The resolved race's config: with epochs, `iterations` are the epochs' iterations. */
  config: RaceConfig;
  data: MnistDataset;
  dataDir?: string;
  backend: string;
  /** Which engine ran, and for WebGPU its compute dispatches per iteration. */
  backendKind: BackendKind;
  dispatchesPerIteration?: number;
  /** `--preset`, when given. */
  preset?: string;
  history: RacerHistory[];
  /** A search's best trials tested on the test set after the race (--test-best). */
  tested?: TestedTrial[];
  completed: number;
  interrupted: boolean;
  seconds: number;
}

/** The shortest decimal that reads back as the same float32 (losses are float32 on both backends). */
export function float32Number(x: number): number {
  if (!Number.isFinite(x)) return x;
  const target = Math.fround(x);
  for (let digits = 1; digits < 9; digits++) {
    const y = roundSignificant(x, digits);
    if (Math.fround(y) === target) return y;
  }
  return roundSignificant(x, 9);
}

/** The seed's lines for iteration `i` (0-based): the loss each racer recorded there. */
export function formatSeedLines(history: readonly RacerHistory[], i: number): string {
  return [`===========iteration:${i}===========`, ...history.map((h) => `${h.name}:${String(float32Number(h.losses[i]))}`)].join('\n');
}

const msPerIteration = (run: RaceRun): number => (run.completed > 0 ? (run.seconds * 1000) / run.completed : NaN);
const percent = (x: number): string => `${(x * 100).toFixed(2)}%`;
const count = (n: number): string => n.toLocaleString('en-US');

/** The training images the race draws from, in words (with validation: those not held out). */
export function trainingImages(config: RaceConfig, data: Pick<MnistDataset, 'trainCount'>): string {
  const limited = config.trainLimit === undefined ? `${count(data.trainCount)} training images` : `the first ${count(config.trainLimit)} training images`;
  if (config.validation === undefined) return limited;
  const held = validationCount(config.validation, config.trainLimit ?? data.trainCount);
  return `${count((config.trainLimit ?? data.trainCount) - held)} of ${limited.replace(/ training images$/, '')} training images (${count(held)} held out for validation)`;
}

/** The images each evaluation measures besides the training ones: the test set, or the validation images. */
function heldOutImages(config: RaceConfig, data: Pick<MnistDataset, 'trainCount' | 'testCount'>): string {
  if (config.validation === undefined) return `${count(data.testCount)} test images`;
  return `${count(validationCount(config.validation, config.trainLimit ?? data.trainCount))} validation images`;
}

/** A checkpoint's accuracies: test, and train beside it (with the gap) when measured. */
function accuracyText(a: AccuracyCheckpoint): string {
  // A race with validation measures the held-out images, never the test set.
  const [label, held] = a.test === undefined ? ['validation', a.validation ?? Number.NaN] : ['test', a.test];
  if (a.train === undefined) return a.test === undefined ? `${label} ${percent(held)}` : percent(held);
  return `${label} ${percent(held)}, train ${percent(a.train)} (gap ${((a.train - held) * 100).toFixed(2)} points)`;
}

/** Where a racer's last record was taken, when that is not the end of the run. */
function recordedWhere(a: AccuracyCheckpoint, run: RaceRun): string {
  const { epochs } = run.config;
  if (a.epoch !== undefined && epochs !== undefined) return a.epoch === epochs - 1 ? '' : ` (in epoch ${a.epoch + 1})`;
  return a.iteration === run.completed ? '' : ` (at iteration ${a.iteration})`;
}

/** Final accuracy per racer (test, and train when measured), the time per iteration and the data used. */
export function formatSummary(run: RaceRun): string {
  const { config, data } = run;
  const width = Math.max(...run.history.map((h) => h.name.length));
  const trainMeasured = run.history.some((h) => h.accuracy.some((a) => a.train !== undefined));
  const rows = run.history.map((h) => {
    const last = h.accuracy.at(-1);
    const accuracy = last === undefined ? 'no evaluation yet' : `${accuracyText(last)}${recordedWhere(last, run)}`;
    const diverged = `diverged at iteration ${h.diverged}${last === undefined ? '' : ` (last accuracy: ${accuracy})`}`;
    return `  ${h.name.padEnd(width)}  ${h.diverged === null ? accuracy : diverged}`;
  });
  const epochs = config.epochs === undefined ? '' : ` (${config.epochs} epochs)`;
  const done = run.interrupted ? `${run.completed} of ${config.iterations} iterations${epochs} (interrupted)` : `${run.completed} iterations${epochs}`;
  const tested = heldOutImages(config, data);
  const which = config.validation === undefined ? 'Test accuracy' : 'Validation accuracy';
  return [
    trainMeasured ? `Accuracy after ${done}, on ${tested} and ${trainingImages(config, data)}:` : `${which} after ${done}, on ${tested}:`,
    ...rows,
    `Time: ${run.seconds.toFixed(2)} s, ${msPerIteration(run).toFixed(2)} ms per iteration (${run.history.length === 1 ? 'one racer' : `all ${run.history.length} racers`}, ` +
      `evaluations included), backend: ${run.backend}`,
    `Data: ${describeDataset(data)}${run.dataDir === undefined ? '' : ` from ${run.dataDir}`}`,
  ].join('\n');
}

/**
 * The batchnorm preset's result as batch_norm_test.py reports its progress: per weight scale, the
 * final training accuracy with and without batch norm (`W 0.0464: BN 0.93, without 0.11`).
 * Scales whose two racers are not both in the race are left out; undefined when none is.
 */
export function formatBatchNormScales(history: readonly RacerHistory[]): string | undefined {
  const finalTrain = (name: string): string | undefined => {
    const racer = history.find((h) => h.name === name);
    if (racer === undefined) return undefined;
    const train = racer.accuracy.at(-1)?.train;
    return train === undefined ? 'not measured' : train.toFixed(2);
  };
  const lines = kBatchNormScales.flatMap((scale) => {
    const [bn, without] = [finalTrain(batchNormRacerName(scale, true)), finalTrain(batchNormRacerName(scale, false))];
    return bn === undefined || without === undefined ? [] : [`${batchNormRacerName(scale, false)}: BN ${bn}, without ${without}`];
  });
  return lines.length ? ['Final training accuracy per weight scale, with batch norm (BN) and without:', ...lines].join('\n') : undefined;
}

/** A record as `--json` writes it: `{iteration, epoch?, train?, validation?, test?}` (a race with validation has no test). */
const checkpointJson = ({ iteration, epoch, train, validation, test }: AccuracyCheckpoint): AccuracyCheckpoint => ({
  iteration,
  ...(epoch === undefined ? {} : { epoch }),
  ...(train === undefined ? {} : { train }),
  ...(validation === undefined ? {} : { validation }),
  ...(test === undefined ? {} : { test }),
});

/** `{"config", "racers", "timing"}`, one racer per line; NaN losses become null; float32 values in shortest form. */
export function formatMnistJson(run: RaceRun, sections: Record<string, unknown> = {}): string {
  const { config, data } = run;
  const configJson = {
    ...(run.preset === undefined ? {} : { preset: run.preset }),
    sizes: config.sizes,
    iterations: config.iterations,
    completedIterations: run.completed,
    interrupted: run.interrupted,
    batchSize: config.batchSize,
    seed: config.seed,
    evalEvery: config.evalEvery,
    ...(config.trainLimit === undefined ? {} : { trainLimit: config.trainLimit }),
    ...(config.epochs === undefined ? {} : { epochs: config.epochs }),
    ...(config.validation === undefined ? {} : { validation: config.validation }),
    trainAccuracy: config.trainAccuracy ?? false,
    backend: run.backend,
    data: {
      source: data.source,
      description: describeDataset(data),
      trainCount: data.trainCount,
      testCount: data.testCount,
      ...(run.dataDir === undefined ? {} : { directory: run.dataDir }),
    },
  };
  // JSON.stringify writes NaN and Infinity as null.
  const racers = run.history.map((h) =>
    JSON.stringify({
      name: h.name,
      optimizer: h.optimizer,
      hyperparameters: h.hyperparameters,
      init: h.init,
      activation: h.activation,
      ...(h.schedule ? { schedule: h.schedule } : {}),
      bn: h.bn,
      dropout: h.dropout,
      l2: h.l2,
      losses: h.losses.map(float32Number),
      accuracy: h.accuracy.map(checkpointJson),
      diverged: h.diverged,
    }),
  );
  const ms = msPerIteration(run);
  return [
    '{',
    `  "config": ${JSON.stringify(configJson)},`,
    '  "racers": [',
    racers.map((r) => `    ${r}`).join(',\n'),
    '  ],',
    ...Object.entries(sections).map(([key, value]) => `  ${JSON.stringify(key)}: ${JSON.stringify(value)},`),
    `  "timing": ${JSON.stringify({
      seconds: run.seconds,
      msPerIteration: Number.isFinite(ms) ? ms : null,
      backend: run.backendKind,
      ...(run.dispatchesPerIteration === undefined ? {} : { dispatchesPerIteration: run.dispatchesPerIteration }),
    })}`,
    '}',
  ].join('\n');
}
