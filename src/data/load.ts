/**
 * Loading MNIST over HTTP (the browser app; also usable in Node with any fetch): the full data from
 * `${base}data/mnist/` when `npm run data:mnist` has put it there, else the embedded subset from
 * `${base}data/embedded/`, which the Vite plugin generates at build time. No Node-only imports here.
 */
import { type MnistDataset, type MnistFile, type MnistSource, readMnistFiles } from './dataset';
import { concatBytes, IdxFormatError, idxFileSize, isGzip, kIdxImagesMagic, kIdxLabelsMagic } from './idx';
import {
  kDatasetsIndexPath,
  kEmbeddedMnistCounts,
  kEmbeddedMnistPath,
  kFullMnistCounts,
  kFullMnistPath,
  kMnistFiles,
  type DatasetsIndex,
  type MnistFileRole,
} from './mnist-files';
import { errorMessage } from '../util/error-message';

export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

export interface LoadProgress {
  loadedBytes: number;
  /**
   * Sum of the file sizes: Content-Lengths, or for bodies the server decodes on the fly the IDX sizes
   * (known once each header has arrived); undefined until every file's size is known.
   */
  totalBytes: number | undefined;
}
export type ProgressCallback = (progress: LoadProgress) => void;

export interface ExpectedCounts {
  train: number;
  test: number;
}

export interface FetchMnistOptions {
  fetch?: FetchLike;
  /** The app's base URL (default: Vite's import.meta.env.BASE_URL). */
  baseUrl?: string;
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
  /** Required split sizes; null accepts any. Defaults: 60,000/10,000 (full), 8,000/2,000 (embedded). */
  expectedCounts?: ExpectedCounts | null;
}

/** The data set is not on the server (404, or an HTML fallback page instead of the file). */
export class MnistNotFoundError extends Error {
  override name = 'MnistNotFoundError';
}

let baseUrlOverride: string | undefined;

/**
 * Where data/ lives when no baseUrl is given. The app uses Vite's BASE_URL; the library bundle
 * sets its own folder, so a page that only includes the script still finds the embedded set.
 */
export function setDefaultMnistBaseUrl(url: string): void {
  baseUrlOverride = url;
}

function defaultBaseUrl(): string {
  return baseUrlOverride ?? import.meta.env?.BASE_URL ?? '/';
}

export function joinUrl(base: string, ...parts: string[]): string {
  return [base.replace(/\/+$/, ''), ...parts].join('/');
}

function looksLikeIdxOrGzip(bytes: Uint8Array): boolean {
  if (isGzip(bytes)) return true;
  const magic = bytes.length >= 4 ? new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0) : 0;
  return magic === kIdxImagesMagic || magic === kIdxLabelsMagic;
}

/** Content-Length of a response as sent on the wire, or undefined (absent, or the body is decoded on the fly). */
function bodyLength(response: Response): number | undefined {
  const encoding = response.headers.get('content-encoding');
  if (encoding && encoding !== 'identity') return undefined;
  const length = Number(response.headers.get('content-length') ?? NaN);
  return Number.isFinite(length) && length >= 0 ? length : undefined;
}

/**
 * Reads a body, reporting each chunk's size and, for a body decoded on the fly (no usable
 * Content-Length), the file's size once its IDX header has arrived.
 */
async function readBody(response: Response, url: string, onChunk: (bytes: number, size: number | undefined) => void): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = bodyLength(response);
  let headerRead = size !== undefined;
  let received = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.length;
      if (!headerRead && received >= 16) {
        headerRead = true; // once: a gzip body without Content-Length stays of unknown size
        size = idxFileSize(concatBytes(chunks).subarray(0, 16));
      }
      onChunk(value.length, size);
    }
  } catch (error) {
    throw new Error(`${url}: download interrupted (${errorMessage(error)})`);
  }
  const bytes = concatBytes(chunks);
  const expected = bodyLength(response);
  if (expected !== undefined && bytes.length !== expected) {
    throw new Error(`${url}: truncated download: expected ${expected} bytes, got ${bytes.length}`);
  }
  return bytes;
}

/** Fetches the four standard files from one folder URL and parses them into a dataset. */
async function fetchMnistFolder(folderUrl: string, source: MnistSource, expected: ExpectedCounts | null, options: FetchMnistOptions): Promise<MnistDataset> {
  const fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
  const urls = kMnistFiles.map((file) => joinUrl(folderUrl, file.gzName));
  const responses = await Promise.all(
    urls.map(async (url) => {
      try {
        return await fetchFn(url, { signal: options.signal });
      } catch (error) {
        throw new Error(`could not fetch ${url}: ${errorMessage(error)}`);
      }
    }),
  );
  const problem = responses.findIndex((r) => !r.ok || (r.headers.get('content-type') ?? '').includes('text/html'));
  if (problem >= 0) {
    await Promise.all(responses.map((r) => r.body?.cancel().catch(() => undefined)));
    const r = responses[problem];
    const what = r.ok ? 'an HTML page instead of the file' : `HTTP ${r.status} ${r.statusText}`.trim();
    const message = `${urls[problem]}: ${what}`;
    throw r.ok || r.status === 404 ? new MnistNotFoundError(message) : new Error(message);
  }
  const sizes = responses.map(bodyLength);
  const totalBytes = () => (sizes.every((n) => n !== undefined) ? sizes.reduce((a, b) => a + b, 0) : undefined);
  let loadedBytes = 0;
  options.onProgress?.({ loadedBytes, totalBytes: totalBytes() });
  const files = await Promise.all(
    responses.map((response, i) =>
      readBody(response, urls[i], (n, size) => {
        loadedBytes += n;
        sizes[i] = size;
        options.onProgress?.({ loadedBytes, totalBytes: totalBytes() });
      }),
    ),
  );
  const bad = files.findIndex((bytes) => !looksLikeIdxOrGzip(bytes));
  if (bad >= 0) throw new MnistNotFoundError(`${urls[bad]}: not an IDX or gzip file (a fallback page?)`);
  const dataset = await readMnistFiles(byRole(kMnistFiles.map((_, i) => ({ name: urls[i], bytes: files[i] }))), source);
  checkCounts(dataset, expected, folderUrl);
  return dataset;
}

/** The four files, given in the order of kMnistFiles, by role. */
export function byRole(files: readonly MnistFile[]): Record<MnistFileRole, MnistFile> {
  return Object.fromEntries(kMnistFiles.map((spec, i) => [spec.role, files[i]])) as Record<MnistFileRole, MnistFile>;
}

/** Rejects a dataset whose split sizes differ from the expected ones. */
export function checkCounts(dataset: MnistDataset, expected: ExpectedCounts | null, where: string): void {
  if (!expected) return;
  if (dataset.trainCount !== expected.train || dataset.testCount !== expected.test) {
    throw new IdxFormatError(
      `${where}: expected ${expected.train} training and ${expected.test} test images, ` + `got ${dataset.trainCount} and ${dataset.testCount}`,
    );
  }
}

/**
 * The four standard .gz files from any folder URL (e.g. `<optimizer-race src>`); any split sizes
 * unless `expectedCounts` says otherwise. Source 'custom'.
 */
export function loadMnistFolder(folderUrl: string, options: FetchMnistOptions = {}): Promise<MnistDataset> {
  return fetchMnistFolder(folderUrl, 'custom', options.expectedCounts ?? null, options);
}

/** Full MNIST from `${base}data/mnist/*.gz`; MnistNotFoundError when it is not there. */
export function loadFullMnist(options: FetchMnistOptions = {}): Promise<MnistDataset> {
  const folder = joinUrl(options.baseUrl ?? defaultBaseUrl(), kFullMnistPath);
  const expected = options.expectedCounts === undefined ? kFullMnistCounts : options.expectedCounts;
  return fetchMnistFolder(folder, 'full', expected, options);
}

/** The embedded 8,000/2,000 subset from `${base}data/embedded/*.gz`. */
export function loadEmbeddedMnist(options: FetchMnistOptions = {}): Promise<MnistDataset> {
  const folder = joinUrl(options.baseUrl ?? defaultBaseUrl(), kEmbeddedMnistPath);
  const expected = options.expectedCounts === undefined ? kEmbeddedMnistCounts : options.expectedCounts;
  return fetchMnistFolder(folder, 'embedded', expected, options).catch((error: unknown) => {
    if (error instanceof MnistNotFoundError) {
      throw new MnistNotFoundError(
        `${error.message}. The embedded MNIST asset is generated by the Vite plugin (src/data/embedded-mnist-plugin.ts) or \`npm run data:embedded\`.`,
      );
    }
    throw error;
  });
}

async function readDatasetsIndex(options: Omit<FetchMnistOptions, 'expectedCounts'>): Promise<DatasetsIndex | null> {
  const fetchLike = options.fetch ?? globalThis.fetch.bind(globalThis);
  try {
    const response = await fetchLike(joinUrl(options.baseUrl ?? defaultBaseUrl(), kDatasetsIndexPath), { signal: options.signal });
    if (!response.ok) return null;
    const index: unknown = await response.json();
    return typeof index === 'object' && index !== null && typeof (index as DatasetsIndex).full === 'boolean' ? (index as DatasetsIndex) : null;
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return null; // no index, or not JSON (an HTML fallback page): probe instead
  }
}

/** Full MNIST when the server has it, else the embedded subset. Corrupt full data is an error, not a fallback. */
export async function detectDataset(options: Omit<FetchMnistOptions, 'expectedCounts'> = {}): Promise<MnistDataset> {
  // data/datasets.json says whether full MNIST is there; without it (another host), probe for it.
  const index = await readDatasetsIndex(options);
  if (index && !index.full) return loadEmbeddedMnist(options);
  try {
    return await loadFullMnist(options);
  } catch (error) {
    if (!(error instanceof MnistNotFoundError)) throw error;
    return loadEmbeddedMnist(options);
  }
}
