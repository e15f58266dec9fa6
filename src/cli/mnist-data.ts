/**
 * Where `mnist` finds its data: `--data DIR`, else full MNIST or the embedded subset under the
 * repository's public/ (or beside an installed package's bundle).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MnistDataset } from '../data/dataset';
import { detectDatasetOnDisk } from '../data/node/mnist-dir';
import { kEmbeddedMnistPath } from '../data/mnist-files';
import { UsageError } from './args';

const kPackageName = 'optimizer-race';

/** The repository folder: the first ancestor of `starts` holding this project's package.json. */
export function findProjectRoot(starts: readonly string[]): string | undefined {
  for (const start of starts) {
    for (let dir = resolve(start); ; dir = dirname(dir)) {
      const manifest = join(dir, 'package.json');
      try {
        if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === kPackageName) return dir;
      } catch {
        // An unreadable package.json is not ours: keep looking upwards.
      }
      if (dirname(dir) === dir) break;
    }
  }
  return undefined;
}

/**
 * `--data DIR`, else full MNIST in public/data/mnist/, else the embedded subset (built on first use)
 * in public/data/embedded/. public/ is found from the working directory or, failing that, from the
 * bundle's own location, so the CLI works from any folder inside the repository.
 */
export async function loadRaceData(dataDir: string | undefined): Promise<MnistDataset> {
  if (dataDir !== undefined) {
    const dir = resolve(dataDir);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--data ${dataDir}: no such folder (${dir})`);
    // An empty split, labels above 9, images that are not 28x28: rejected by the loader's shared check (validateMnistParts).
    return detectDatasetOnDisk({ dataDir: dir });
  }
  const root = findProjectRoot([process.cwd(), dirname(fileURLToPath(import.meta.url))]);
  if (root === undefined) {
    throw new Error(
      `cannot find the ${kPackageName} repository (its public/data/) from ${process.cwd()}: ` +
        'run the CLI inside the repository (npm run cli -- mnist) or pass --data DIR',
    );
  }
  // An installed package (npx optimizer-race) has no public/, but ships the embedded subset beside the library bundle.
  const shipped = join(root, 'dist', 'lib');
  const installed = !existsSync(join(root, 'public')) && existsSync(join(shipped, kEmbeddedMnistPath));
  return detectDatasetOnDisk({ publicDir: installed ? shipped : join(root, 'public') });
}
