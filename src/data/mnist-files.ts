/** The four standard MNIST files, where the app finds them, and the checksums that identify them. */

export type MnistFileRole = 'trainImages' | 'trainLabels' | 'testImages' | 'testLabels';

export interface MnistFileSpec {
  role: MnistFileRole;
  /** Name without the .gz suffix, e.g. 'train-images-idx3-ubyte'. */
  name: string;
  /** The file as distributed (gzipped). */
  gzName: string;
  /** Examples in full MNIST. */
  count: number;
  /** MD5 of the well-known .gz archives (the torchvision / LeCun mirrors serve these bytes). */
  gzMd5: string;
  /** MD5 of the decompressed file: identifies the data even when a copy was gzipped again. */
  rawMd5: string;
  /** Size of the well-known .gz archive, for a progress total when a server sends no Content-Length. */
  gzBytes: number;
}

export const kMnistFiles: readonly MnistFileSpec[] = [
  {
    role: 'trainImages',
    name: 'train-images-idx3-ubyte',
    gzName: 'train-images-idx3-ubyte.gz',
    count: 60000,
    gzMd5: 'f68b3c2dcbeaaa9fbdd348bbdeb94873',
    rawMd5: '6bbc9ace898e44ae57da46a324031adb',
    gzBytes: 9912422,
  },
  {
    role: 'trainLabels',
    name: 'train-labels-idx1-ubyte',
    gzName: 'train-labels-idx1-ubyte.gz',
    count: 60000,
    gzMd5: 'd53e105ee54ea40749a09fcbcd1e9432',
    rawMd5: 'a25bea736e30d166cdddb491f175f624',
    gzBytes: 28881,
  },
  {
    role: 'testImages',
    name: 't10k-images-idx3-ubyte',
    gzName: 't10k-images-idx3-ubyte.gz',
    count: 10000,
    gzMd5: '9fb629c4189551a2d022fa330f9573f3',
    rawMd5: '2646ac647ad5339dbf082846283269ea',
    gzBytes: 1648877,
  },
  {
    role: 'testLabels',
    name: 't10k-labels-idx1-ubyte',
    gzName: 't10k-labels-idx1-ubyte.gz',
    count: 10000,
    gzMd5: 'ec29112dd5afa0611ce80d1b7f02629c',
    rawMd5: '27ae3e4e09519cfbb04c329615203637',
    gzBytes: 4542,
  },
];

export const kFullMnistCounts = { train: 60000, test: 10000 } as const;
export const kEmbeddedMnistCounts = { train: 8000, test: 2000 } as const;

/** Folders under the public dir (served at the app's base URL; public/data/ is gitignored). */
export const kFullMnistPath = 'data/mnist';
export const kEmbeddedMnistPath = 'data/embedded';

/**
 * `{"full": boolean}`: whether data/mnist/ holds full MNIST. Written by the Vite plugin and by
 * `npm run data:mnist`, so the app knows without probing for files that are not there (each
 * probe would log a 404 in the console of every page that embeds the element).
 */
export const kDatasetsIndexPath = 'data/datasets.json';
export interface DatasetsIndex {
  full: boolean;
}

/** Public mirrors of the four .gz files, tried in order. yann.lecun.com now often refuses downloads. */
export const kMnistMirrors: readonly string[] = [
  'https://ossci-datasets.s3.amazonaws.com/mnist/',
  'https://storage.googleapis.com/cvdf-datasets/mnist/',
  'http://yann.lecun.com/exdb/mnist/',
];
