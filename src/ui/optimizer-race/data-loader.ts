/**
 * Where the element's MNIST comes from: the server's (full MNIST when `npm run data:mnist` put it
 * there, else the embedded subset), a folder URL (`src`), or four IDX files the user picks or drops.
 */
import { type MnistDataset, readMnistFiles } from '../../data/dataset';
import { IdxFormatError, idxBytes, kIdxImagesMagic, kIdxLabelsMagic } from '../../data/idx';
import { detectDataset, loadEmbeddedMnist, loadMnistFolder, type ProgressCallback } from '../../data/load';

export type DataRequest = { kind: 'default' } | { kind: 'embedded' } | { kind: 'url'; url: string } | { kind: 'files'; files: readonly File[] };

export interface LoadOptions {
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
}

export function loadDataset(request: DataRequest, options: LoadOptions = {}): Promise<MnistDataset> {
  switch (request.kind) {
    case 'default':
      return detectDataset(options);
    case 'embedded':
      return loadEmbeddedMnist(options);
    case 'url':
      return loadMnistFolder(folderUrl(request.url), options);
    case 'files':
      return datasetFromFiles(request.files, options);
  }
}

/** A folder URL, absolute (relative ones resolve against the page). */
export function folderUrl(src: string): string {
  const trimmed = src.trim();
  if (!trimmed) throw new Error('src is empty: give the URL of a folder holding the four MNIST .gz files');
  return new URL(trimmed, document.baseURI).href.replace(/\/+$/, '');
}

interface ReadFile {
  name: string;
  bytes: Uint8Array;
  magic: number;
  count: number;
}

/** Which split a file name says it belongs to, if any ("train-…", "t10k-…", "test-…"). */
function splitFromName(name: string): 'train' | 'test' | null {
  const n = name.toLowerCase();
  if (/t10k|test/.test(n)) return 'test';
  if (/train/.test(n)) return 'train';
  return null;
}

/**
 * The four IDX files (gzipped or raw, any names): images and labels are told apart by their
 * magic numbers, training and test by their names (train-…, t10k-…/test-…) or else by size.
 */
export async function datasetFromFiles(files: readonly File[], options: LoadOptions = {}): Promise<MnistDataset> {
  if (files.length !== 4) {
    throw new IdxFormatError(`expected the four MNIST files (training and test images and labels), got ${files.length} file${files.length === 1 ? '' : 's'}`);
  }
  const totalBytes = files.reduce((n, f) => n + f.size, 0);
  let loadedBytes = 0;
  options.onProgress?.({ loadedBytes, totalBytes });
  const read: ReadFile[] = [];
  for (const file of files) {
    options.signal?.throwIfAborted();
    const raw = new Uint8Array(await file.arrayBuffer());
    const bytes = await idxBytes(raw, file.name);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const magic = bytes.length >= 8 ? view.getUint32(0) : 0;
    if (magic !== kIdxImagesMagic && magic !== kIdxLabelsMagic) {
      throw new IdxFormatError(`${file.name}: not an IDX image or label file (magic ${magic}, expected ${kIdxImagesMagic} or ${kIdxLabelsMagic})`);
    }
    read.push({ name: file.name, bytes, magic, count: view.getUint32(4) });
    loadedBytes += file.size;
    options.onProgress?.({ loadedBytes, totalBytes });
  }
  const images = read.filter((f) => f.magic === kIdxImagesMagic);
  const labels = read.filter((f) => f.magic === kIdxLabelsMagic);
  if (images.length !== 2 || labels.length !== 2) {
    throw new IdxFormatError(`expected two image files and two label files, got ${images.length} image and ${labels.length} label file(s)`);
  }
  const [trainImages, testImages] = orderSplits(images);
  const [trainLabels, testLabels] = orderSplits(labels);
  // Already decompressed (to tell the kinds apart); readMnistFiles parses and checks them as every loader does.
  return readMnistFiles({ trainImages, trainLabels, testImages, testLabels }, 'custom');
}

/** [train, test] of two files of one kind: by name when both names say, else the larger is training. */
function orderSplits([a, b]: ReadFile[]): [ReadFile, ReadFile] {
  const sa = splitFromName(a.name);
  const sb = splitFromName(b.name);
  if (sa && sb && sa !== sb) return sa === 'train' ? [a, b] : [b, a];
  return a.count >= b.count ? [a, b] : [b, a];
}
