/**
 * The validation split (section 6.5 of the book): the limited training set (its first N images) is
 * shuffled from the race seed and `floor(share · N)` images are held out. As the book's
 * hyperparameter_optimization.py (shuffle_dataset, then x_val = x[:n], x_train = x[n:]), the held-out
 * images are the first `floor(share · N)` of the shuffled order; we lay the images out once as
 * [trained..., held out...] so every engine trains on "the first trainSize images" as it always
 * has and evaluates the range after them: no engine draws anything, and all agree by construction.
 *
 * The shuffle (Fisher-Yates, the same in every engine because it happens here, once):
 *   s = pcg(kValidationStream + pcg(seed));  for i = N − 1 down to 1: j = pcg(i + s) mod (i + 1), swap i, j
 * all mod 2^32, pcg = src/nn/batch.ts's pcgHash.
 */
import { pcgHash } from '../nn/batch';
import type { ResolvedRace } from './config';
import { kPixels, raceTrainCount, type RaceData } from './dataset';
import { shortNumber } from '../util/short-number';

/** Keeps the shuffle's numbers apart from the minibatches' and the search's of the same seed (ASCII "VALD"). */
export const kValidationStream = 0x56414c44;

/** How many of `limited` training images a share holds out (the book's int(N · rate)). */
export const validationCount = (share: number, limited: number): number => Math.floor(share * limited);

/**
 * The message for a validation share that is not in (0, 1) or, with the limited training set's
 * size `limited`, leaves no training or no validation image; or null.
 */
export function validationProblem(share: number, limited?: number): string | null {
  if (!Number.isFinite(share) || share <= 0 || share >= 1) {
    const why = share >= 1 ? ', which leaves no training image' : share <= 0 ? ', which holds out no validation image' : '';
    return `validation must be a share of the training set between 0 and 1 (e.g. 0.2)${why}; got ${share}`;
  }
  if (limited === undefined) return null;
  const held = validationCount(share, limited);
  if (held < 1)
    return `validation ${share} of ${limited} training images holds out none (floor(${share} · ${limited}) = 0): give at least ${shortNumber(1 / limited, 3)} or more training images`;
  if (held >= limited) return `validation ${share} of ${limited} training images leaves no training image: give a smaller share`;
  return null;
}

/** The shuffled order of `count` images from the race seed (the recipe above). */
export function validationPermutation(count: number, seed: number): Uint32Array {
  const order = Uint32Array.from({ length: count }, (_, i) => i);
  const stream = pcgHash((kValidationStream + pcgHash(seed >>> 0)) >>> 0);
  for (let i = count - 1; i > 0; i--) {
    const j = pcgHash((i + stream) >>> 0) % (i + 1);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

export interface SplitImages {
  /** The `limited` images, trained ones first, then the held-out ones; row-major 784 bytes each. */
  images: Uint8Array;
  labels: Uint8Array;
  /** Which original image each row is (`limited` entries). */
  order: Uint32Array;
}

/**
 * The first `limited` images of a training set laid out for a race with `held` validation images:
 * rows 0 .. limited − held − 1 are trained on, the last `held` are the validation set.
 */
export function splitTrainingImages(images: Uint8Array, labels: Uint8Array, limited: number, held: number, seed: number): SplitImages {
  const shuffled = validationPermutation(limited, seed);
  // The book's x_val = shuffled[:held], x_train = shuffled[held:]; trained first here.
  const order = new Uint32Array(limited);
  order.set(shuffled.subarray(held), 0);
  order.set(shuffled.subarray(0, held), limited - held);
  const outImages = new Uint8Array(limited * kPixels);
  const outLabels = new Uint8Array(limited);
  order.forEach((from, row) => {
    outImages.set(images.subarray(from * kPixels, (from + 1) * kPixels), row * kPixels);
    outLabels[row] = labels[from];
  });
  return { images: outImages, labels: outLabels, order };
}

/** The training images a race uses, in the order it uses them. */
export interface RaceTrainingSet {
  /** Rows 0 .. trainCount − 1 are trained on; with validation, the next validationCount are held out. */
  images: Uint8Array;
  labels: Uint8Array;
  trainCount: number;
  /** 0: no validation set. */
  validationCount: number;
}

/**
 * The images a resolved race trains on (and validates on) from `data`, checked against what the
 * race was resolved for: every engine builds its training set here. Throws when the training
 * limit passes the set or the race was resolved for another training set.
 */
export function raceTrainingSet(race: Pick<ResolvedRace, 'config' | 'trainSize' | 'validationSize'>, data: RaceData): RaceTrainingSet {
  const { config } = race;
  const limited = raceTrainCount(config.trainLimit, data);
  const held = config.validation === undefined ? 0 : validationCount(config.validation, limited);
  const problem = config.validation === undefined ? null : validationProblem(config.validation, limited);
  if (problem) throw new Error(problem);
  const trainCount = limited - held;
  // A race resolved for another training set would evaluate at other iterations (epochs).
  if (!Number.isNaN(race.trainSize) && (race.trainSize !== trainCount || race.validationSize !== held)) {
    const noValidation = race.validationSize === 0 && held === 0;
    throw new Error(
      noValidation
        ? `the race was resolved for ${race.trainSize} training images, the data gives ${trainCount}`
        : `the race was resolved for ${race.trainSize} training and ${race.validationSize} validation images, the data gives ${trainCount} and ${held}`,
    );
  }
  if (held === 0)
    return { images: data.trainImages.subarray(0, limited * kPixels), labels: data.trainLabels.subarray(0, limited), trainCount, validationCount: 0 };
  const split = splitTrainingImages(data.trainImages, data.trainLabels, limited, held, config.seed);
  return { images: split.images, labels: split.labels, trainCount, validationCount: held };
}
