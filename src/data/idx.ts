/**
 * IDX files (the MNIST format, http://yann.lecun.com/exdb/mnist/): a big-endian header, then the
 * bytes. Images: magic 2051 (0x00000803: unsigned bytes, 3 dimensions), count, rows, cols. Labels:
 * magic 2049 (0x00000801), count. Files may be gzipped; gzip is detected by its 0x1f 0x8b header and
 * decompressed with DecompressionStream, which browsers and Node 20 both have, so this module has no
 * Node-only imports and works in both.
 */

export const kIdxImagesMagic = 2051;
export const kIdxLabelsMagic = 2049;
const kImagesHeaderBytes = 16;
const kLabelsHeaderBytes = 8;

export interface IdxImages {
  /** The file as its loader names it (a path, a URL, a picked file's name), for messages. */
  name: string;
  count: number;
  rows: number;
  cols: number;
  /** count * rows * cols pixels, row-major, 0 = background, 255 = ink; own buffer (byteOffset 0). */
  pixels: Uint8Array;
}

export interface IdxLabels {
  /** The file as its loader names it, for messages. */
  name: string;
  count: number;
  labels: Uint8Array;
}

/** Thrown for every malformed input; the message names the file and what is wrong with it. */
export class IdxFormatError extends Error {
  override name = 'IdxFormatError';
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Decompresses gzip; corrupt or truncated data rejects with an IdxFormatError naming the file. */
export async function gunzip(bytes: Uint8Array, name = 'data'): Promise<Uint8Array> {
  // DecompressionStream takes ArrayBuffer-backed views only; copy the rare SharedArrayBuffer view.
  const chunk = bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
  const input = new ReadableStream<Uint8Array<ArrayBuffer>>({
    start(controller) {
      controller.enqueue(chunk);
      controller.close();
    },
  });
  const reader = input.pipeThrough(new DecompressionStream('gzip')).getReader();
  const chunks: Uint8Array[] = [];
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
    }
  } catch {
    // The stream's own error ("incorrect data check", "unexpected end of file") says less than this.
    throw new IdxFormatError(`${name}: corrupt gzip data: the file is damaged or truncated`);
  }
  return concatBytes(chunks);
}

export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

/** The IDX bytes of a file that is either gzipped or raw. */
export async function idxBytes(file: Uint8Array, name: string): Promise<Uint8Array> {
  return isGzip(file) ? gunzip(file, name) : file;
}

function readHeader(bytes: Uint8Array, name: string, magic: number, words: number, what: string): number[] {
  if (bytes.length < 4) throw new IdxFormatError(`${name}: not an IDX ${what} file: only ${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found = view.getUint32(0);
  if (found !== magic) throw new IdxFormatError(`${name}: not an IDX ${what} file: magic ${found}, expected ${magic}`);
  if (bytes.length < words * 4) {
    throw new IdxFormatError(`${name}: truncated IDX header: expected ${words * 4} bytes, got ${bytes.length}`);
  }
  return Array.from({ length: words - 1 }, (_, i) => view.getUint32(4 * (i + 1)));
}

function checkBodyLength(bytes: Uint8Array, name: string, header: number, expected: number, what: string): void {
  const total = header + expected;
  if (bytes.length < total) {
    throw new IdxFormatError(`${name}: truncated: expected ${total} bytes for ${what}, got ${bytes.length}`);
  }
  if (bytes.length > total) {
    throw new IdxFormatError(`${name}: count mismatch: the header declares ${what} (${total} bytes) but the file has ${bytes.length} bytes`);
  }
}

/**
 * The size of a whole uncompressed IDX file from its first bytes (16 for images, 8 for labels), or
 * undefined when they are too few or not an IDX header. Lets a download whose server decompresses on
 * the fly (Content-Encoding: gzip, as Vite's dev server does for .gz) still show a progress total.
 */
export function idxFileSize(head: Uint8Array): number | undefined {
  if (head.length < 8) return undefined;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const magic = view.getUint32(0);
  if (magic === kIdxLabelsMagic) return kLabelsHeaderBytes + view.getUint32(4);
  if (magic !== kIdxImagesMagic || head.length < kImagesHeaderBytes) return undefined;
  return kImagesHeaderBytes + view.getUint32(4) * view.getUint32(8) * view.getUint32(12);
}

/**
 * Parses uncompressed IDX3 image bytes: the format only (magic, header, length). What MNIST needs
 * of them (28x28, at least one image) is checked when a data set is assembled (validateMnistParts).
 */
export function parseIdxImages(bytes: Uint8Array, name = 'images'): IdxImages {
  const [count, rows, cols] = readHeader(bytes, name, kIdxImagesMagic, 4, 'image');
  if (rows === 0 || cols === 0) throw new IdxFormatError(`${name}: images are ${rows}x${cols}, expected at least 1x1`);
  checkBodyLength(bytes, name, kImagesHeaderBytes, count * rows * cols, `${count} images of ${rows}x${cols}`);
  return { name, count, rows, cols, pixels: bytes.slice(kImagesHeaderBytes) };
}

/** Parses uncompressed IDX1 label bytes (the format only; the labels' range is checked with the data set). */
export function parseIdxLabels(bytes: Uint8Array, name = 'labels'): IdxLabels {
  const [count] = readHeader(bytes, name, kIdxLabelsMagic, 2, 'label');
  checkBodyLength(bytes, name, kLabelsHeaderBytes, count, `${count} labels`);
  return { name, count, labels: bytes.slice(kLabelsHeaderBytes) };
}

/** Parses an IDX3 image file, gzipped or raw. */
export async function readIdxImages(file: Uint8Array, name = 'images'): Promise<IdxImages> {
  return parseIdxImages(await idxBytes(file, name), name);
}

/** Parses an IDX1 label file, gzipped or raw. */
export async function readIdxLabels(file: Uint8Array, name = 'labels'): Promise<IdxLabels> {
  return parseIdxLabels(await idxBytes(file, name), name);
}

/** Writes IDX3 image bytes (uncompressed). */
export function encodeIdxImages(pixels: Uint8Array, count: number, rows: number, cols: number): Uint8Array {
  if (pixels.length !== count * rows * cols) {
    throw new Error(`encodeIdxImages: ${pixels.length} pixels is not ${count} images of ${rows}x${cols}`);
  }
  const out = new Uint8Array(kImagesHeaderBytes + pixels.length);
  const view = new DataView(out.buffer);
  [kIdxImagesMagic, count, rows, cols].forEach((word, i) => view.setUint32(4 * i, word));
  out.set(pixels, kImagesHeaderBytes);
  return out;
}

/** Writes IDX1 label bytes (uncompressed). */
export function encodeIdxLabels(labels: Uint8Array): Uint8Array {
  const out = new Uint8Array(kLabelsHeaderBytes + labels.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, kIdxLabelsMagic);
  view.setUint32(4, labels.length);
  out.set(labels, kLabelsHeaderBytes);
  return out;
}
