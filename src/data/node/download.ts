/**
 * `npm run data:mnist`: puts the four standard MNIST .gz files into public/data/mnist/, downloaded from
 * a list of mirrors (the next mirror on any failure) or copied from a folder (--from DIR). Every file
 * is checked against its MD5 before it is written (atomically: a temporary file, then rename).
 *
 * A file passes when the MD5 of its bytes is the well-known one of the .gz archive, or when the MD5 of
 * its decompressed bytes is the well-known one of the raw IDX file: copies that were gzipped again
 * (same data, another gzip header) are accepted, corrupt or different data is not.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { gunzip, IdxFormatError, isGzip } from '../idx';
import type { FetchLike } from '../load';
import { kMnistFiles, kMnistMirrors } from '../mnist-files';
import { findIdxFile, md5Hex, writeFileAtomic } from './files';

/** Expected MD5s (hex) of one file: of the .gz archive and/or of its decompressed content. */
export interface ExpectedChecksum {
  gz?: string;
  raw?: string;
}

export type ChecksumTable = Record<string, ExpectedChecksum>;

/** The well-known checksums, by .gz file name. */
export function defaultChecksums(): ChecksumTable {
  return Object.fromEntries(kMnistFiles.map((f) => [f.gzName, { gz: f.gzMd5, raw: f.rawMd5 }]));
}

export interface DownloadOptions {
  /** Where the four .gz files go (public/data/mnist). */
  destination: string;
  /** Base URLs tried in order; each file is fetched from `${mirror}/${name}.gz`. Default kMnistMirrors. */
  mirrors?: readonly string[];
  /** Copy (and verify) from this folder instead of downloading; gz or raw files with the standard names. */
  from?: string;
  /** Overrides of the expected checksums by .gz name (tests serve small fake files). */
  checksums?: ChecksumTable;
  /** Fetch implementation (default: global fetch). */
  fetch?: FetchLike;
  /** A download that receives nothing for this long is abandoned for the next mirror. Default 30 s. */
  idleTimeoutMs?: number;
  /** Replace files that are already present and valid. */
  force?: boolean;
  /** Status lines (the CLI writes them to stderr). */
  log?: (line: string) => void;
  /** Bytes received of one file; total undefined when the server sends no Content-Length. */
  onProgress?: (file: string, loadedBytes: number, totalBytes: number | undefined) => void;
}

export interface FileOutcome {
  file: string;
  path: string;
  action: 'downloaded' | 'copied' | 'present';
  /** The URL or path it came from. */
  source: string;
}

function message(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}

/** Undefined when `bytes` match `expected` (see the file comment), else what is wrong. */
export async function checksumProblem(name: string, bytes: Uint8Array, expected: ExpectedChecksum): Promise<string | undefined> {
  if (!expected.gz && !expected.raw) return `no expected checksum for ${name}`;
  const fileMd5 = md5Hex(bytes);
  if (expected.gz && fileMd5 === expected.gz) return undefined;
  let contentMd5 = fileMd5;
  if (isGzip(bytes)) {
    try {
      contentMd5 = md5Hex(await gunzip(bytes, name));
    } catch (error) {
      return error instanceof IdxFormatError ? error.message : message(error);
    }
  }
  if (expected.raw && contentMd5 === expected.raw) return undefined;
  const wanted = [expected.gz && `${expected.gz} (the .gz file)`, expected.raw && `${expected.raw} (decompressed)`].filter(Boolean).join(' or ');
  const got = isGzip(bytes) ? `md5 ${fileMd5}, decompressed ${contentMd5}` : `md5 ${fileMd5}`;
  return `checksum mismatch for ${name}: ${got}; expected ${wanted}`;
}

async function fetchBytes(
  url: string,
  fetchFn: FetchLike,
  idleTimeoutMs: number,
  onProgress: (loaded: number, total: number | undefined) => void,
): Promise<Uint8Array> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(new Error(`no data for ${idleTimeoutMs / 1000} s`)), idleTimeoutMs);
  };
  arm();
  try {
    const response = await fetchFn(url, { signal: controller.signal, redirect: 'follow' });
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
    }
    const header = response.headers.get('content-length');
    const total = header !== null && Number.isFinite(Number(header)) ? Number(header) : undefined;
    const chunks: Uint8Array[] = [];
    let loaded = 0;
    onProgress(0, total);
    if (response.body) {
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read().catch((error: unknown) => {
          throw new Error(`connection lost after ${loaded}${total === undefined ? '' : ` of ${total}`} bytes: ${message(error)}`);
        });
        if (done) break;
        arm();
        chunks.push(value);
        loaded += value.length;
        onProgress(loaded, total);
      }
    }
    if (total !== undefined && loaded !== total) throw new Error(`truncated download: expected ${total} bytes, got ${loaded}`);
    if (total === undefined) onProgress(loaded, loaded); // the size is known now: lets a progress bar finish
    return Buffer.concat(chunks);
  } catch (error) {
    if (controller.signal.aborted) throw new Error(message(controller.signal.reason));
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

function mirrorUrl(mirror: string, name: string): string {
  return `${mirror.replace(/\/+$/, '')}/${name}`;
}

/** Downloads (or copies) the four files into `destination`; throws when a file cannot be had from any source. */
export async function downloadMnist(options: DownloadOptions): Promise<FileOutcome[]> {
  const checksums = { ...defaultChecksums(), ...options.checksums };
  const mirrors = options.mirrors ?? kMnistMirrors;
  const log = options.log ?? (() => undefined);
  const fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
  const idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
  if (!options.from && mirrors.length === 0) throw new Error('no mirrors to download from');
  const sources = options.from === undefined ? [] : kMnistFiles.map((f) => findIdxFile(options.from as string, f.name));
  if (options.from !== undefined) {
    if (!existsSync(options.from)) throw new Error(`--from ${options.from}: no such folder`);
    const missing = kMnistFiles.filter((_, i) => !sources[i]).map((f) => `${f.name}[.gz]`);
    if (missing.length > 0) throw new Error(`--from ${options.from}: missing ${missing.join(', ')} (nothing was copied)`);
  }
  await mkdir(options.destination, { recursive: true });

  const outcomes: FileOutcome[] = [];
  for (const [index, file] of kMnistFiles.entries()) {
    const path = join(options.destination, file.gzName);
    const expected = checksums[file.gzName];
    if (!options.force && existsSync(path) && !(await checksumProblem(file.gzName, await readFile(path), expected))) {
      log(`${file.gzName}: already present and valid`);
      outcomes.push({ file: file.gzName, path, action: 'present', source: path });
      continue;
    }
    const source = sources[index];
    if (source !== undefined) {
      const bytes = new Uint8Array(await readFile(source));
      const problem = await checksumProblem(file.gzName, bytes, expected);
      if (problem) throw new Error(`${source}: ${problem} (nothing more was copied)`);
      // A raw copy is gzipped, so the browser finds the same .gz names as after a download.
      await writeFileAtomic(path, isGzip(bytes) ? bytes : gzipSync(bytes));
      log(`${file.gzName}: copied from ${source}`);
      outcomes.push({ file: file.gzName, path, action: 'copied', source });
      continue;
    }
    const failures: string[] = [];
    for (const mirror of mirrors) {
      const url = mirrorUrl(mirror, file.gzName);
      try {
        const bytes = await fetchBytes(url, fetchFn, idleTimeoutMs, (loaded, total) => options.onProgress?.(file.gzName, loaded, total));
        const problem = await checksumProblem(file.gzName, bytes, expected);
        if (problem) throw new Error(problem);
        await writeFileAtomic(path, bytes);
        outcomes.push({ file: file.gzName, path, action: 'downloaded', source: url });
        break;
      } catch (error) {
        failures.push(`${url}: ${message(error)}`);
        log(`${url} failed: ${message(error)}${failures.length < mirrors.length ? '; trying the next mirror' : ''}`);
      }
    }
    if (failures.length === mirrors.length) {
      throw new Error(`could not download ${file.gzName} from any mirror:\n  ${failures.join('\n  ')}`);
    }
  }
  return outcomes;
}
