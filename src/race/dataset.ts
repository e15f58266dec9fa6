/** The part of an MNIST dataset a race needs (src/data builds these). */
export interface RaceData {
  trainImages: Uint8Array; // trainCount x 784, row-major
  trainLabels: Uint8Array;
  testImages: Uint8Array;
  testLabels: Uint8Array;
  trainCount: number;
  testCount: number;
}

export const kPixels = 784;
export const kClasses = 10;

/** Initial weights: every racer with the same init draws the same numbers, so starts are comparable. */
export function initSeed(raceSeed: number): number {
  return (raceSeed * 2654435761 + 12345) >>> 0;
}

/**
 * How many training images (the first ones of the set) a race draws its batches from: its
 * training limit, or the whole set. Throws when the limit passes the set's size.
 */
export function raceTrainCount(trainLimit: number | undefined, data: Pick<RaceData, 'trainCount'>): number {
  if (trainLimit === undefined) return data.trainCount;
  if (trainLimit > data.trainCount) throw new Error(`the training limit of ${trainLimit} images passes the training set's ${data.trainCount}`);
  return trainLimit;
}
