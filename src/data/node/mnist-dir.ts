/**
 * Node loaders: MNIST from a folder holding the four standard files (gz or raw; the CLI's --data DIR),
 * the embedded subset from public/data/embedded/ (built on first use), and detection of full MNIST
 * in public/data/mnist/.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type MnistDataset, type MnistSource, readMnistFiles } from '../dataset';
import { byRole, checkCounts, type ExpectedCounts, type ProgressCallback } from '../load';
import { kEmbeddedMnistCounts, kEmbeddedMnistPath, kFullMnistCounts, kFullMnistPath, kMnistFiles } from '../mnist-files';
import { ensureEmbeddedMnist } from './build-embedded';
import { findIdxFile } from './files';

export interface DirectoryOptions {
  /** Default: 'full' when the splits are 60,000/10,000, else 'custom'. */
  source?: MnistSource;
  expectedCounts?: ExpectedCounts | null;
  onProgress?: ProgressCallback;
}

/** True when `dir` holds all four standard files (gz or raw). */
export function hasMnistFiles(dir: string): boolean {
  return kMnistFiles.every((file) => findIdxFile(dir, file.name) !== undefined);
}

/** Reads the four standard MNIST files (each `name.gz` or raw `name`) from a folder. */
export async function loadMnistDirectory(dir: string, options: DirectoryOptions = {}): Promise<MnistDataset> {
  const paths = kMnistFiles.map((file) => findIdxFile(dir, file.name));
  const missing = kMnistFiles.filter((_, i) => paths[i] === undefined).map((file) => `${file.name}[.gz]`);
  if (missing.length > 0) {
    throw new Error(
      `MNIST folder ${dir} lacks ${missing.join(', ')}; it needs the four standard files ` +
        `(${kMnistFiles.map((file) => file.gzName).join(', ')}, gzipped or not)`,
    );
  }
  const found = paths as string[];
  const files = await Promise.all(found.map((path) => readFile(path)));
  const totalBytes = files.reduce((n, f) => n + f.length, 0);
  options.onProgress?.({ loadedBytes: totalBytes, totalBytes });
  const read = await readMnistFiles(byRole(found.map((name, i) => ({ name, bytes: files[i] }))), 'custom');
  const isFull = read.trainCount === kFullMnistCounts.train && read.testCount === kFullMnistCounts.test;
  const dataset: MnistDataset = { ...read, source: options.source ?? (isFull ? 'full' : 'custom') };
  checkCounts(dataset, options.expectedCounts ?? null, dir);
  return dataset;
}

export interface NodeDataOptions {
  /** Vite's public dir (default: ./public under the working directory, the repository root under npm run). */
  publicDir?: string;
  onProgress?: ProgressCallback;
}

function publicDirOf(options: NodeDataOptions): string {
  return resolve(options.publicDir ?? 'public');
}

/** The embedded 8,000/2,000 subset, generated into public/data/embedded/ first if it is missing. */
export async function loadEmbeddedMnistFromDisk(options: NodeDataOptions = {}): Promise<MnistDataset> {
  const dir = join(publicDirOf(options), kEmbeddedMnistPath);
  await ensureEmbeddedMnist(dir);
  return loadMnistDirectory(dir, { source: 'embedded', expectedCounts: kEmbeddedMnistCounts, onProgress: options.onProgress });
}

/** `--data DIR` when given; else full MNIST from public/data/mnist/ when present; else the embedded subset. */
export async function detectDatasetOnDisk(options: NodeDataOptions & { dataDir?: string } = {}): Promise<MnistDataset> {
  if (options.dataDir !== undefined) return loadMnistDirectory(resolve(options.dataDir), { onProgress: options.onProgress });
  const fullDir = join(publicDirOf(options), kFullMnistPath);
  if (hasMnistFiles(fullDir)) {
    return loadMnistDirectory(fullDir, { source: 'full', expectedCounts: kFullMnistCounts, onProgress: options.onProgress });
  }
  return loadEmbeddedMnistFromDisk(options);
}
