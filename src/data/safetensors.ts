/**
 * The safetensors format (https://github.com/huggingface/safetensors), which PyTorch, JAX and
 * Hugging Face load: 8 bytes N (u64, little-endian), N bytes of UTF-8 JSON header, then the data.
 * The header maps each tensor's name to `{"dtype": "F32", "shape": [..], "data_offsets": [b, e]}`
 * (offsets into the data, which follows the header) and may hold `"__metadata__"`, a map of
 * strings to strings. Values are little-endian, row-major ('C' order).
 *
 * Written as the reference implementation (the Rust crate behind Python's `safetensors`) writes
 * it, so our bytes equal its bytes: `__metadata__` first, tensors by descending dtype (its enum
 * order) then by name, laid out contiguously in that order, and the header padded with spaces to
 * a multiple of 8 bytes so every tensor starts aligned. Read as strictly as it reads: the tensors
 * must tile the data exactly (no gap, no overlap, nothing after the last), and each one's byte size
 * must be its shape's product times its dtype's size. No Node-only imports: runs in the page too.
 */

/** The dtypes this module reads and writes, with their typed arrays. */
export interface SafetensorsArrays {
  F64: Float64Array;
  F32: Float32Array;
  I32: Int32Array;
  U8: Uint8Array;
  /** PyTorch's int64 (BatchNorm1d's `num_batches_tracked`). */
  I64: BigInt64Array;
}
export type SafetensorsDtype = keyof SafetensorsArrays;

export interface SafetensorsTensor<D extends SafetensorsDtype = SafetensorsDtype> {
  dtype: D;
  /** Dimensions, outermost first; [] is a scalar (one element). */
  shape: readonly number[];
  /** product(shape) values, row-major; on decode, an array of its own (byteOffset 0). */
  data: SafetensorsArrays[D];
}

export interface NamedSafetensorsTensor<D extends SafetensorsDtype = SafetensorsDtype> extends SafetensorsTensor<D> {
  name: string;
}

export interface DecodedSafetensors {
  /** Tensors in file order (by data offset). */
  tensors: Map<string, SafetensorsTensor>;
  metadata: Record<string, string>;
}

export interface DecodeSafetensorsOptions {
  /** Refuse files larger than this; default kSafetensorsMaxBytes. */
  maxBytes?: number;
  /** The file as its loader names it (a path, a picked file's name), to start each message. */
  name?: string;
}

/** Thrown for every malformed input or tensor; the message says what is wrong, in one line. */
export class SafetensorsError extends Error {
  override name = 'SafetensorsError';
}

/** The largest file read by default: 100 MB (10^8 bytes, the reference's header limit). */
export const kSafetensorsMaxBytes = 100_000_000;
const kMetadataKey = '__metadata__';
const kLengthBytes = 8;
/** The reference pads the header to this, so tensors of up to 8-byte items start aligned. */
const kHeaderAlignment = 8;

interface DtypeInfo {
  itemBytes: number;
  /** Position in the reference's Dtype enum (ascending alignment); the writer sorts by it, descending. */
  rank: number;
  array: new (length: number) => SafetensorsArrays[SafetensorsDtype];
  /** The values of a little-endian host's buffer (whole, starting at 0). */
  over: (buffer: ArrayBuffer) => SafetensorsArrays[SafetensorsDtype];
  read: (view: DataView, offset: number) => number | bigint;
  write: (view: DataView, offset: number, value: number | bigint) => void;
}

const kDtypes: Record<SafetensorsDtype, DtypeInfo> = {
  U8: { itemBytes: 1, rank: 1, array: Uint8Array, over: (b) => new Uint8Array(b), read: (v, o) => v.getUint8(o), write: (v, o, x) => v.setUint8(o, Number(x)) },
  I32: {
    itemBytes: 4,
    rank: 9,
    array: Int32Array,
    over: (b) => new Int32Array(b),
    read: (v, o) => v.getInt32(o, true),
    write: (v, o, x) => v.setInt32(o, Number(x), true),
  },
  F32: {
    itemBytes: 4,
    rank: 11,
    array: Float32Array,
    over: (b) => new Float32Array(b),
    read: (v, o) => v.getFloat32(o, true),
    write: (v, o, x) => v.setFloat32(o, Number(x), true),
  },
  F64: {
    itemBytes: 8,
    rank: 12,
    array: Float64Array,
    over: (b) => new Float64Array(b),
    read: (v, o) => v.getFloat64(o, true),
    write: (v, o, x) => v.setFloat64(o, Number(x), true),
  },
  I64: {
    itemBytes: 8,
    rank: 13,
    array: BigInt64Array,
    over: (b) => new BigInt64Array(b),
    read: (v, o) => v.getBigInt64(o, true),
    write: (v, o, x) => v.setBigInt64(o, BigInt(x), true),
  },
};

/** The reference's other dtypes: known, so a file holding them is told apart from a corrupt one. */
const kUnsupportedDtypes = new Set(['BOOL', 'I8', 'F8_E5M2', 'F8_E4M3', 'I16', 'U16', 'F16', 'BF16', 'U32', 'U64']);

const kHostLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function isSupportedDtype(dtype: unknown): dtype is SafetensorsDtype {
  return typeof dtype === 'string' && Object.hasOwn(kDtypes, dtype);
}

function describeDtype(dtype: unknown): string {
  const list = Object.keys(kDtypes).join(', ');
  if (typeof dtype === 'string' && kUnsupportedDtypes.has(dtype)) return `dtype ${dtype} is not supported (only ${list})`;
  return `unknown dtype ${JSON.stringify(dtype)} (supported: ${list})`;
}

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/** Elements of a shape, or undefined when the shape is not a list of whole numbers >= 0. */
function elementCount(shape: unknown): number | undefined {
  if (!Array.isArray(shape) || !shape.every(isCount)) return undefined;
  const count = shape.reduce((n: number, d: number) => n * d, 1);
  return Number.isSafeInteger(count) ? count : undefined;
}

const shapeText = (shape: readonly number[]): string => `[${shape.join(', ')}]`;

/** Orders names as the reference does (Rust compares UTF-8 bytes, i.e. code points, not UTF-16 units). */
function compareNames(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i].codePointAt(0) ?? 0) - (y[i].codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/**
 * The bytes of a safetensors file holding `tensors` and `metadata`, as the reference writes them.
 * Throws a SafetensorsError for a duplicate or reserved name, an unsupported dtype, a shape that
 * does not match the data's length, or metadata that is not strings.
 */
export function encodeSafetensors(tensors: readonly NamedSafetensorsTensor[], metadata?: Record<string, string>): Uint8Array {
  const names = new Set<string>();
  for (const t of tensors) {
    if (t.name === kMetadataKey) throw new SafetensorsError(`a tensor may not be named ${kMetadataKey}`);
    if (names.has(t.name)) throw new SafetensorsError(`two tensors are named ${JSON.stringify(t.name)}`);
    names.add(t.name);
    if (!isSupportedDtype(t.dtype)) throw new SafetensorsError(`tensor ${JSON.stringify(t.name)}: ${describeDtype(t.dtype)}`);
    if (!(t.data instanceof kDtypes[t.dtype].array)) {
      throw new SafetensorsError(`tensor ${JSON.stringify(t.name)}: ${t.dtype} data must be a ${kDtypes[t.dtype].array.name}`);
    }
    const count = elementCount(t.shape);
    if (count === undefined)
      throw new SafetensorsError(`tensor ${JSON.stringify(t.name)}: shape ${JSON.stringify(t.shape)} is not a list of whole numbers >= 0`);
    if (count !== t.data.length) {
      throw new SafetensorsError(`tensor ${JSON.stringify(t.name)}: shape ${shapeText(t.shape)} holds ${count} values, the data has ${t.data.length}`);
    }
  }
  for (const [key, value] of Object.entries(metadata ?? {})) {
    if (typeof value !== 'string') throw new SafetensorsError(`metadata ${JSON.stringify(key)} must be a string, got ${typeof value}`);
  }

  const ordered = [...tensors].sort((a, b) => kDtypes[b.dtype].rank - kDtypes[a.dtype].rank || compareNames(a.name, b.name));
  // No prototype, so a tensor named __proto__ is a key like any other.
  const header: Record<string, unknown> = Object.create(null);
  if (metadata !== undefined) header[kMetadataKey] = metadata;
  let end = 0;
  for (const t of ordered) {
    const begin = end;
    end += t.data.length * kDtypes[t.dtype].itemBytes;
    header[t.name] = { dtype: t.dtype, shape: [...t.shape], data_offsets: [begin, end] };
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerBytes = Math.ceil(json.length / kHeaderAlignment) * kHeaderAlignment;
  const out = new Uint8Array(kLengthBytes + headerBytes + end);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes), true);
  out.set(json, kLengthBytes);
  out.fill(0x20, kLengthBytes + json.length, kLengthBytes + headerBytes);
  let at = kLengthBytes + headerBytes;
  for (const t of ordered) {
    const { itemBytes, write } = kDtypes[t.dtype];
    if (kHostLittleEndian) out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    else t.data.forEach((x, i) => write(view, at + i * itemBytes, x));
    at += t.data.byteLength;
  }
  return out;
}

interface HeaderEntry {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  begin: number;
  end: number;
}

/**
 * The tensors and metadata of a safetensors file. Every value is copied out, so the result does
 * not alias `bytes` and tensors at any byte offset decode. Throws a SafetensorsError with one
 * line saying what is wrong for a file that is truncated, too large, or whose header is not JSON,
 * repeats a name, lacks a field, names a dtype this module does not read, or lies about offsets.
 */
export function decodeSafetensors(bytes: Uint8Array, options: DecodeSafetensorsOptions = {}): DecodedSafetensors {
  const maxBytes = options.maxBytes ?? kSafetensorsMaxBytes;
  const fail = (message: string): never => {
    throw new SafetensorsError(options.name === undefined ? message : `${options.name}: ${message}`);
  };
  if (bytes.length > maxBytes) fail(`the file is ${bytes.length} bytes, over the limit of ${maxBytes} bytes`);
  if (bytes.length < kLengthBytes) fail(`truncated: ${bytes.length} bytes, fewer than the 8 that give the header's length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const declared = view.getBigUint64(0, true);
  if (declared > BigInt(Math.floor(maxBytes))) fail(`the header's length says ${declared} bytes, over the limit of ${maxBytes} bytes: not a safetensors file?`);
  const headerLength = Number(declared);
  if (kLengthBytes + headerLength > bytes.length) {
    fail(`truncated: the header's length says ${headerLength} bytes, but only ${bytes.length - kLengthBytes} follow`);
  }
  const entries = readHeader(bytes.subarray(kLengthBytes, kLengthBytes + headerLength), fail);
  const metadata = entries.metadata;
  const dataStart = kLengthBytes + headerLength;
  checkTiling(entries.tensors, bytes.length - dataStart, fail);

  const tensors = new Map<string, SafetensorsTensor>();
  for (const e of entries.tensors) {
    const { itemBytes, array, over, read } = kDtypes[e.dtype];
    const start = dataStart + e.begin;
    let data: SafetensorsArrays[SafetensorsDtype];
    if (kHostLittleEndian) {
      // A copy into a fresh buffer, so the typed array is aligned whatever `start` is. Not
      // bytes.slice(): on a Node Buffer that is a view into a shared pool.
      const copy = new Uint8Array(e.end - e.begin);
      copy.set(bytes.subarray(start, dataStart + e.end));
      data = over(copy.buffer);
    } else {
      data = new array((e.end - e.begin) / itemBytes);
      for (let i = 0; i < data.length; i++) data[i] = read(view, start + i * itemBytes);
    }
    tensors.set(e.name, { dtype: e.dtype, shape: e.shape, data });
  }
  return { tensors, metadata };
}

function readHeader(headerBytes: Uint8Array, fail: (message: string) => never): { tensors: HeaderEntry[]; metadata: Record<string, string> } {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(headerBytes);
  } catch {
    return fail('the header is not UTF-8 text');
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    return fail(`the header is not JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    return fail(`the header is JSON but not an object of tensors (${Array.isArray(header) ? 'an array' : String(header)})`);
  }
  // JSON.parse keeps the last of two equal keys; the file would then hold bytes nobody names.
  const duplicate = firstDuplicateKey(text);
  if (duplicate !== undefined) fail(`the header names ${JSON.stringify(duplicate)} twice`);

  let metadata: Record<string, string> = {};
  const tensors: HeaderEntry[] = [];
  for (const [name, value] of Object.entries(header)) {
    if (name === kMetadataKey) {
      metadata = readMetadata(value, fail);
      continue;
    }
    const what = `tensor ${JSON.stringify(name)}`;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${what} is not an object with dtype, shape and data_offsets`);
    const entry = value as Record<string, unknown>;
    for (const field of ['dtype', 'shape', 'data_offsets']) {
      if (!Object.hasOwn(entry, field)) fail(`${what} has no ${field}`);
    }
    const { dtype, shape, data_offsets: offsets } = entry;
    if (!isSupportedDtype(dtype)) return fail(`${what}: ${describeDtype(dtype)}`);
    const count = elementCount(shape);
    if (count === undefined) return fail(`${what}: shape ${JSON.stringify(shape)} is not a list of whole numbers >= 0`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
      return fail(`${what}: data_offsets ${JSON.stringify(offsets)} is not [begin, end] in bytes`);
    }
    const [begin, end] = offsets as number[];
    if (end < begin) fail(`${what}: data_offsets [${begin}, ${end}] end before they begin`);
    const bytes = count * kDtypes[dtype].itemBytes;
    if (end - begin !== bytes) {
      fail(`${what}: data_offsets [${begin}, ${end}] hold ${end - begin} bytes, but ${dtype} ${shapeText(shape as number[])} needs ${bytes}`);
    }
    tensors.push({ name, dtype, shape: shape as number[], begin, end });
  }
  return { tensors, metadata };
}

function readMetadata(value: unknown, fail: (message: string) => never): Record<string, string> {
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) return fail(`${kMetadataKey} is not an object of strings`);
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') fail(`${kMetadataKey} ${JSON.stringify(key)} is ${JSON.stringify(v)}, not a string`);
  }
  return { ...(value as Record<string, string>) };
}

/** The tensors, sorted by offset, must cover the data exactly: from 0, no gap, no overlap, to its end. */
function checkTiling(tensors: HeaderEntry[], dataBytes: number, fail: (message: string) => never): void {
  tensors.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  let previous: HeaderEntry | undefined;
  for (const t of tensors) {
    const what = `tensor ${JSON.stringify(t.name)} at bytes [${t.begin}, ${t.end}]`;
    if (t.begin > covered) {
      fail(
        `${what} leaves a gap after ${previous ? `tensor ${JSON.stringify(previous.name)}` : 'the header'} (bytes ${covered} to ${t.begin} belong to no tensor)`,
      );
    }
    if (t.begin < covered) fail(`${what} overlaps tensor ${JSON.stringify(previous?.name)}, which ends at ${covered}`);
    covered = t.end;
    previous = t;
  }
  if (covered > dataBytes) fail(`truncated: the tensors' offsets reach byte ${covered} of the data, the file holds ${dataBytes}`);
  if (covered < dataBytes) fail(`${dataBytes - covered} bytes after the last tensor belong to no tensor (the tensors cover ${covered} of ${dataBytes})`);
}

/**
 * The first key that appears twice in one object of a JSON text (already known to parse), or
 * undefined. A scan of strings and brackets: enough because the text is valid JSON.
 */
function firstDuplicateKey(text: string): string | undefined {
  const objects: (Set<string> | undefined)[] = []; // undefined for an array
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const keys = objects.at(-1);
      if (expectKey && keys) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (keys.has(key)) return key;
        keys.add(key);
      }
      expectKey = false;
      i = j;
    } else if (c === '{') {
      objects.push(new Set());
      expectKey = true;
    } else if (c === '[') {
      objects.push(undefined);
      expectKey = false;
    } else if (c === '}' || c === ']') {
      objects.pop();
      expectKey = false;
    } else if (c === ',') {
      expectKey = objects.at(-1) !== undefined;
    }
  }
  return undefined;
}
