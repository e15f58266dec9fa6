/**
 * An MNIST-like dataset in memory: uint8 pixels (0..255, the GPU gathers and scales them to [0, 1])
 * and uint8 labels 0..9, for a training and a test split.
 */
import { IdxFormatError, type IdxImages, type IdxLabels } from './idx';

/** 'embedded': the 10,000 digits of the `mnist` package; 'full': the 60,000/10,000 of MNIST; 'custom': --data DIR. */
export type MnistSource = 'embedded' | 'full' | 'custom';
export type MnistSplit = 'train' | 'test';

export const kMnistRows = 28;
export const kMnistCols = 28;
export const kMnistClasses = 10;

export interface MnistDataset {
  trainImages: Uint8Array;
  trainLabels: Uint8Array;
  testImages: Uint8Array;
  testLabels: Uint8Array;
  trainCount: number;
  testCount: number;
  rows: number;
  cols: number;
  source: MnistSource;
}

export interface MnistParts {
  trainImages: IdxImages;
  trainLabels: IdxLabels;
  testImages: IdxImages;
  testLabels: IdxLabels;
}

/** Joins parsed IDX files into a dataset; images and labels must agree in count, both splits in size. */
export function createMnistDataset(parts: MnistParts, source: MnistSource): MnistDataset {
  const { trainImages, trainLabels, testImages, testLabels } = parts;
  for (const [split, images, labels] of [
    ['training', trainImages, trainLabels],
    ['test', testImages, testLabels],
  ] as const) {
    if (images.count !== labels.count) {
      throw new IdxFormatError(`${split} set: ${images.count} images but ${labels.count} labels`);
    }
  }
  if (trainImages.rows !== testImages.rows || trainImages.cols !== testImages.cols) {
    throw new IdxFormatError(`training images are ${trainImages.rows}x${trainImages.cols} but test images ${testImages.rows}x${testImages.cols}`);
  }
  return {
    trainImages: trainImages.pixels,
    trainLabels: trainLabels.labels,
    testImages: testImages.pixels,
    testLabels: testLabels.labels,
    trainCount: trainImages.count,
    testCount: testImages.count,
    rows: trainImages.rows,
    cols: trainImages.cols,
    source,
  };
}

export function pixelsPerImage(dataset: Pick<MnistDataset, 'rows' | 'cols'>): number {
  return dataset.rows * dataset.cols;
}

/** The pixels of one image (a view, not a copy). */
export function imagePixels(dataset: MnistDataset, split: MnistSplit, index: number): Uint8Array {
  const count = split === 'train' ? dataset.trainCount : dataset.testCount;
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new RangeError(`image ${index} is outside the ${split} split (0..${count - 1})`);
  }
  const size = pixelsPerImage(dataset);
  const images = split === 'train' ? dataset.trainImages : dataset.testImages;
  return images.subarray(index * size, (index + 1) * size);
}

/** Pixels scaled to [0, 1], as the seed's load_mnist(normalize=True). */
export function normalizedPixels(pixels: Uint8Array): Float32Array {
  const out = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) out[i] = pixels[i] / 255;
  return out;
}

/** How many examples of each class (index = label). */
export function labelCounts(labels: Uint8Array, classes = kMnistClasses): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const label of labels) counts[label]++;
  return counts;
}

const kSourceNames: Record<MnistSource, string> = {
  embedded: 'embedded MNIST subset',
  full: 'full MNIST',
  custom: 'MNIST-format data',
};

/** E.g. "full MNIST: 60,000 training / 10,000 test images (28x28)". */
export function describeDataset(dataset: MnistDataset): string {
  const n = (x: number) => x.toLocaleString('en-US');
  return `${kSourceNames[dataset.source]}: ${n(dataset.trainCount)} training / ${n(dataset.testCount)} test images ` + `(${dataset.rows}x${dataset.cols})`;
}
