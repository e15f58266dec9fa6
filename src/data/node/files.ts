/** Node-only file helpers shared by the embedded builder and the downloader. */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export function md5Hex(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}

/** A temporary path beside `path` (same folder, so rename is atomic), unique per process and call. */
export function temporaryPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Writes to a temporary file, then renames: readers never see a partial file. */
export async function writeFileAtomic(path: string, bytes: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = temporaryPathFor(path);
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/** `name.gz` if present, else the raw `name`, else undefined. */
export function findIdxFile(dir: string, name: string): string | undefined {
  return [join(dir, `${name}.gz`), join(dir, name)].find((path) => existsSync(path));
}
