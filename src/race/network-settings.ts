/**
 * The chapter-6 settings of the MNIST race (issue 20), parsed and checked with one clear message
 * each, for the UI, the CLI and the URL alike: the race's `hidden` sizes, training limit and
 * epochs, and each racer's `bn`, `dropout` and `l2`. Limits: ./limits.ts. Semantics: the book's
 * (../shared/docs/CHAPTER6.md); the one place we choose differently is said at epochSchedule.
 * Problems are strings (null: fine), as ./limits.ts says them.
 */
import { networkOptionProblem } from '../optim/network-options';
import { parseDecimal } from '../util/decimal';
import { kNetworkLimits, kRaceLimits, wholeNumberProblem } from './limits';
import { shortNumber } from '../util/short-number';

/** The forms `hidden` accepts, quoted by its message. */
export const kHiddenForms = 'UNITSxLAYERS (100x5) or sizes separated by commas (100,50,100)';

const kRepeated = /^(\d+)\s*x\s*(\d+)$/i;
const kList = /^\d+(\s*,\s*\d+)*$/;

/** The hidden layer sizes in `text`, or the message saying what is wrong (throws). */
export function parseHidden(text: string): number[] {
  const t = text.trim();
  const repeated = kRepeated.exec(t);
  let sizes: number[];
  if (repeated) {
    const layers = Number(repeated[2]);
    const layersProblem = wholeNumberProblem(kNetworkLimits.hiddenLayers, layers);
    if (layersProblem) throw new Error(layersProblem);
    sizes = Array.from({ length: layers }, () => Number(repeated[1]));
  } else if (kList.test(t)) {
    sizes = t.split(',').map((s) => Number(s.trim()));
    const layersProblem = wholeNumberProblem(kNetworkLimits.hiddenLayers, sizes.length);
    if (layersProblem) throw new Error(layersProblem);
  } else {
    throw new Error(`hidden layers must be ${kHiddenForms}, got '${t}'`);
  }
  const unitsProblem = sizes.map((s) => wholeNumberProblem(kNetworkLimits.hiddenUnits, s)).find((p) => p !== null);
  if (unitsProblem) throw new Error(unitsProblem);
  return sizes;
}

/** `100x5` when every layer has the same size (and there are several), else `100,50,100`. parseHidden reads it back. */
export function formatHidden(sizes: readonly number[]): string {
  return sizes.length > 1 && sizes.every((s) => s === sizes[0]) ? `${sizes[0]}x${sizes.length}` : sizes.join(',');
}

/** The message for a dropout ratio outside [0, 1), or null (the range: src/optim/network-options.ts). */
export const dropoutProblem = (ratio: number): string | null => networkOptionProblem('dropout', ratio);

/** The message for an L2 λ that is negative or not a finite number, or null. */
export const l2Problem = (lambda: number): string | null => networkOptionProblem('l2', lambda);

/** The message for `bn` with a batch of one, or null. */
export function batchNormBatchProblem(bn: boolean, batchSize: number): string | null {
  return bn && batchSize === 1
    ? 'batch norm needs a batch size of 2 or more: over one image every feature has variance 0, so it outputs β whatever the input and nothing before it learns'
    : null;
}

/** The message for a training limit outside 1 .. the training set's size, or null. */
export function trainLimitProblem(limit: number, setSize: number): string | null {
  const problem = wholeNumberProblem({ label: 'training limit', min: 1, max: setSize }, limit);
  return problem && `${problem} (the training set holds ${setSize} images)`;
}

/** A dropout ratio or λ as typed: the number, or NaN when it is not one (the problems then say so). */
export const parseRatio = parseDecimal;

export interface EpochSchedule {
  /** max(trainSize / batch, 1), not necessarily whole. */
  iterationsPerEpoch: number;
  /** floor(epochs · iterationsPerEpoch): the book's max_iter. */
  iterations: number;
  /**
   * Per epoch k = 0 .. epochs − 1, the number of updates after which both accuracies are recorded:
   * floor(k · iterationsPerEpoch) + 1 (the first record comes after one update, as the book's).
   */
  evaluatedAfter: number[];
}

/**
 * The book's trainer: iter_per_epoch = max(train_size / batch, 1), max_iter =
 * int(epochs · iter_per_epoch), and accuracy is recorded after iteration i (0-based) when
 * i % iter_per_epoch == 0, i.e. at i = k · iter_per_epoch for k = 0 .. epochs − 1.
 *
 * Where we differ: when iter_per_epoch is not whole (1000 images, batch 300: 3.33), the book's
 * float `i % iter_per_epoch == 0` holds only at i = 0 (and where rounding happens to give 0), so it
 * records once; we record at i = floor(k · iter_per_epoch) for every epoch k, which is the book's
 * points whenever iter_per_epoch is whole and always gives `epochs` distinct records inside the
 * run. Both products are computed exactly on integers (the book's float `int()` can land one below
 * for a few sizes).
 */
export function epochSchedule(epochs: number, trainSize: number, batchSize: number): EpochSchedule {
  const problem = [wholeNumberProblem(kNetworkLimits.epochs, epochs), wholeNumberProblem(kRaceLimits.batchSize, batchSize)].find((p) => p !== null);
  if (problem) throw new Error(problem);
  if (!Number.isInteger(trainSize) || trainSize < 1) throw new Error(`the training set must hold at least one image, got ${trainSize}`);
  const whole = trainSize >= batchSize;
  // floor(k · N / B) on integers, exact below 2^53.
  const floorTimes = (k: number): number => (whole ? (k * trainSize - ((k * trainSize) % batchSize)) / batchSize : k);
  return {
    iterationsPerEpoch: whole ? trainSize / batchSize : 1,
    iterations: floorTimes(epochs),
    evaluatedAfter: Array.from({ length: epochs }, (_, k) => floorTimes(k) + 1),
  };
}

/** The message for epochs that are not a whole number from 1 up, or whose iterations pass the iteration limit; or null. */
export function epochsProblem(epochs: number, trainSize: number, batchSize: number): string | null {
  const whole = wholeNumberProblem(kNetworkLimits.epochs, epochs);
  if (whole) return whole;
  const { iterations, iterationsPerEpoch } = epochSchedule(epochs, trainSize, batchSize);
  const { max } = kRaceLimits.iterations;
  if (iterations <= max) return null;
  // The most epochs e with floor(e · N / B) <= max, on integers: e · N < (max + 1) · B.
  const most = trainSize >= batchSize ? Math.floor(((max + 1) * batchSize - 1) / trainSize) : max;
  return `${epochs} epochs of ${shortNumber(iterationsPerEpoch, 6)} iterations are ${iterations} iterations, more than the limit of ${max}: at most ${most} epochs`;
}
