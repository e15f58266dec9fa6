/**
 * An MNIST-like dataset in memory: uint8 pixels (0..255, the GPU gathers and scales them to [0, 1])
 * and uint8 labels 0..9, for a training and a test split.
 */
import { IdxFormatError, type IdxImages, type IdxLabels, idxBytes, parseIdxImages, parseIdxLabels } from './idx';
import type { MnistFileRole } from './mnist-files';

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

/** One of the four files as a loader has it: its name (a path, a URL, a picked file's name) and its bytes, gzipped or raw. */
export interface MnistFile {
  name: string;
  bytes: Uint8Array;
}

/**
 * What MNIST needs of the four parsed files, checked whichever loader read them (the embedded
 * subset, a folder URL, picked or dropped files, the CLI's --data DIR), so each problem reads the
 * same in the element and the CLI. Per split, training first: images of 28x28, at least one image,
 * as many labels as images, labels 0..9. Each message names the file.
 */
export function validateMnistParts(parts: MnistParts): void {
  for (const [split, images, labels] of [
    ['training', parts.trainImages, parts.trainLabels],
    ['test', parts.testImages, parts.testLabels],
  ] as const) {
    if (images.rows !== kMnistRows || images.cols !== kMnistCols) {
      throw new IdxFormatError(`${images.name}: images are ${images.rows}x${images.cols}; MNIST images are ${kMnistRows}x${kMnistCols}`);
    }
    // The race draws batches from the training split and averages over the test split: neither may be empty.
    if (images.count === 0) throw new IdxFormatError(`the ${split} split is empty: ${images.name} has 0 images`);
    if (images.count !== labels.count) {
      throw new IdxFormatError(`the ${split} split: ${images.name} has ${images.count} images but ${labels.name} has ${labels.count} labels`);
    }
    const bad = labels.labels.findIndex((label) => label >= kMnistClasses);
    if (bad >= 0) {
      throw new IdxFormatError(`${labels.name}: label ${labels.labels[bad]} at index ${bad}; MNIST labels are 0..${kMnistClasses - 1}`);
    }
  }
}

/** Joins parsed IDX files into a dataset, once validateMnistParts has accepted them. */
export function createMnistDataset(parts: MnistParts, source: MnistSource): MnistDataset {
  validateMnistParts(parts);
  const { trainImages, trainLabels, testImages, testLabels } = parts;
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

/**
 * The four files, gzipped or raw, as a data set: decompressed (a corrupt gzip names its file),
 * parsed, checked (validateMnistParts) and joined. Every loader assembles its data set here.
 */
export async function readMnistFiles(files: Record<MnistFileRole, MnistFile>, source: MnistSource): Promise<MnistDataset> {
  // One after another: the first bad file in the standard order is the one reported.
  const images = async ({ name, bytes }: MnistFile) => parseIdxImages(await idxBytes(bytes, name), name);
  const labels = async ({ name, bytes }: MnistFile) => parseIdxLabels(await idxBytes(bytes, name), name);
  return createMnistDataset(
    {
      trainImages: await images(files.trainImages),
      trainLabels: await labels(files.trainLabels),
      testImages: await images(files.testImages),
      testLabels: await labels(files.testLabels),
    },
    source,
  );
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
