/**
 * src/data/safetensors.ts: a round trip, golden bytes written out by hand, one message for each
 * kind of bad file, and both directions with the real client, Python's `safetensors` (the
 * reference implementation) and numpy. Under CI=true a missing python3 `safetensors` fails; elsewhere
 * those tests are skipped (.ci/install-system installs it with pip).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors, kSafetensorsMaxBytes, type NamedSafetensorsTensor, SafetensorsError } from '../src/data/safetensors';

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

/** A file from a header text (padded to 8 bytes unless told), a declared length and the data bytes. */
function file(header: string, data: number[] = [], declared?: bigint | number): Uint8Array {
  const json = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(declared ?? json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const f32 = (shape: number[], begin: number, end: number): string => JSON.stringify({ dtype: 'F32', shape, data_offsets: [begin, end] });

function decodeError(bytes: Uint8Array, options?: Parameters<typeof decodeSafetensors>[1]): string {
  try {
    decodeSafetensors(bytes, options);
  } catch (e) {
    expect(e).toBeInstanceOf(SafetensorsError);
    return (e as Error).message;
  }
  throw new Error('decoded without an error');
}

describe('the safetensors format', () => {
  it('writes the bytes worked out by hand: length, header padded with spaces, float32 little-endian', () => {
    // {"__metadata__":{"k":"v"},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}} is 79 characters
    // (26 for the metadata part with its comma, 53 for the tensor and the closing brace): 1 space
    // pads it to 80 = 0x50. 1.0f = 0x3f800000 and -2.0f = 0xc0000000, least significant byte first.
    const header = '{"__metadata__":{"k":"v"},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}} ';
    expect(header.length).toBe(80);
    const golden = [0x50, 0, 0, 0, 0, 0, 0, 0, ...ascii(header), 0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0];
    const bytes = encodeSafetensors([{ name: 'w', dtype: 'F32', shape: [2], data: new Float32Array([1, -2]) }], { k: 'v' });
    expect([...bytes]).toEqual(golden);
    const back = decodeSafetensors(new Uint8Array(golden));
    expect(back.metadata).toEqual({ k: 'v' });
    expect(back.tensors.get('w')).toEqual({ dtype: 'F32', shape: [2], data: new Float32Array([1, -2]) });
  });

  it('writes no __metadata__ without metadata, and the widest dtypes first, then by name', () => {
    const bytes = encodeSafetensors([
      { name: 'u', dtype: 'U8', shape: [1], data: new Uint8Array([7]) },
      { name: 'b', dtype: 'F32', shape: [], data: new Float32Array([0.5]) },
      { name: 'a', dtype: 'F32', shape: [], data: new Float32Array([0.25]) },
      { name: 'd', dtype: 'F64', shape: [], data: new Float64Array([2]) },
      { name: 'i', dtype: 'I32', shape: [], data: new Int32Array([-1]) },
    ]);
    const length = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(length % 8).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(8, 8 + length));
    expect(header.trimEnd()).toBe(
      '{"d":{"dtype":"F64","shape":[],"data_offsets":[0,8]},"a":{"dtype":"F32","shape":[],"data_offsets":[8,12]},' +
        '"b":{"dtype":"F32","shape":[],"data_offsets":[12,16]},"i":{"dtype":"I32","shape":[],"data_offsets":[16,20]},' +
        '"u":{"dtype":"U8","shape":[1],"data_offsets":[20,21]}}',
    );
    expect(bytes.length).toBe(8 + length + 21);
  });

  it("reads PyTorch's int64 (BatchNorm1d's num_batches_tracked) from bytes written out by hand, and refuses a short one", () => {
    // -2 and 2^40 + 3 as little-endian int64s.
    const data = [0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 3, 0, 0, 0, 0, 1, 0, 0];
    const header = '{"n":{"dtype":"I64","shape":[2],"data_offsets":[0,16]}}';
    const { tensors } = decodeSafetensors(file(header.padEnd(56), data));
    expect(tensors.get('n')).toEqual({ dtype: 'I64', shape: [2], data: new BigInt64Array([-2n, 2n ** 40n + 3n]) });
    expect(encodeSafetensors([{ name: 'n', dtype: 'I64', shape: [2], data: new BigInt64Array([-2n, 2n ** 40n + 3n]) }])).toEqual(file(header.padEnd(56), data));
    expect(decodeError(file('{"n":{"dtype":"I64","shape":[2],"data_offsets":[0,12]}}', data.slice(0, 12)))).toBe(
      'tensor "n": data_offsets [0, 12] hold 12 bytes, but I64 [2] needs 16',
    );
  });

  it('reads back what it wrote: every dtype, scalars, empty tensors, any names and metadata', () => {
    const tensors: NamedSafetensorsTensor[] = [
      { name: '0.weight', dtype: 'F32', shape: [2, 3], data: new Float32Array([0.1, -2.5, 3e-38, Number.NaN, -0, Number.POSITIVE_INFINITY]) },
      { name: 'scalar', dtype: 'F64', shape: [], data: new Float64Array([Math.PI]) },
      { name: 'none', dtype: 'F32', shape: [0, 4], data: new Float32Array(0) },
      { name: 'counts', dtype: 'I32', shape: [3], data: new Int32Array([-2147483648, 0, 2147483647]) },
      { name: 'pixels', dtype: 'U8', shape: [1, 3], data: new Uint8Array([0, 128, 255]) },
      { name: 'ünï "côdé" 😀', dtype: 'U8', shape: [1], data: new Uint8Array([9]) },
      { name: '__proto__', dtype: 'U8', shape: [1], data: new Uint8Array([4]) },
      { name: '', dtype: 'I32', shape: [1, 1, 1], data: new Int32Array([5]) },
    ];
    const metadata = { optimizer: 'adam', lr: '0.001', 'naïve "quoted"\n': '😀' };
    const back = decodeSafetensors(encodeSafetensors(tensors, metadata));
    expect(back.metadata).toEqual(metadata);
    expect(new Set(back.tensors.keys())).toEqual(new Set(tensors.map((t) => t.name)));
    for (const { name, ...tensor } of tensors) {
      const read = back.tensors.get(name);
      expect(read, name).toEqual(tensor);
      expect(read?.data.byteOffset, name).toBe(0);
    }
  });

  it('reads tensors at any byte offset, from a view at any offset of its buffer', () => {
    // U8 [3] first puts the F32 at byte 3 of the data, and the header (40 bytes) keeps it unaligned.
    const header = `{"u":{"dtype":"U8","shape":[3],"data_offsets":[0,3]},"f":${f32([2], 3, 11)}}`;
    const data = [1, 2, 3, 0x00, 0x00, 0xc0, 0x3f, 0x00, 0x00, 0x20, 0xc1]; // 1.5f, -10f
    const bytes = file(header, data);
    expect((8 + header.length + 3) % 4).not.toBe(0);
    for (const shift of [0, 1, 2, 3]) {
      const backing = new Uint8Array(bytes.length + shift);
      backing.set(bytes, shift);
      const back = decodeSafetensors(backing.subarray(shift));
      expect(back.tensors.get('f')?.data).toEqual(new Float32Array([1.5, -10]));
      expect(back.tensors.get('u')?.data).toEqual(new Uint8Array([1, 2, 3]));
    }
    // The result owns its values: changing the file afterwards changes nothing.
    const back = decodeSafetensors(bytes);
    bytes.fill(0);
    expect(back.tensors.get('f')?.data).toEqual(new Float32Array([1.5, -10]));
  });

  it('gives one clear message for each kind of bad file', () => {
    const w = `"w":${f32([2], 0, 8)}`;
    const eight = [0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0];
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array(0), /^truncated: 0 bytes, fewer than the 8 that give the header's length$/],
      [new Uint8Array(7), /^truncated: 7 bytes, fewer than the 8/],
      // {"w": (5) + {"dtype":"F32", (15) "shape":[2], (12) "data_offsets":[0,8]} (21) + } (1) = 54, then 8 bytes.
      [file(`{${w}}`, eight, 1000), /^truncated: the header's length says 1000 bytes, but only 62 follow$/],
      [file(`{${w}}`, eight, 2n ** 63n), /^the header's length says 9223372036854775808 bytes, over the limit of 100000000 bytes/],
      [file(`{${w}}`, eight, 2n ** 64n - 1n), /^the header's length says 18446744073709551615 bytes, over the limit/],
      [file('{"w":1}').map((b, i) => (i === 10 ? 0xff : b)), /^the header is not UTF-8 text$/],
      [file('{oops'), /^the header is not JSON \(/],
      [file('[1, 2]'), /^the header is JSON but not an object of tensors \(an array\)$/],
      [file('42'), /^the header is JSON but not an object of tensors \(42\)$/],
      [file('null'), /^the header is JSON but not an object of tensors \(null\)$/],
      [file('{"w":3}'), /^tensor "w" is not an object with dtype, shape and data_offsets$/],
      [file('{"w":{"shape":[2],"data_offsets":[0,8]}}', eight), /^tensor "w" has no dtype$/],
      [file('{"w":{"dtype":"F32","data_offsets":[0,8]}}', eight), /^tensor "w" has no shape$/],
      [file('{"w":{"dtype":"F32","shape":[2]}}', eight), /^tensor "w" has no data_offsets$/],
      [file('{"w":{"dtype":"F32","shape":[2],"offsets":[0,8]}}', eight), /^tensor "w" has no data_offsets$/],
      [file('{"w":{"dtype":"F33","shape":[2],"data_offsets":[0,8]}}', eight), /^tensor "w": unknown dtype "F33" \(supported: U8, I32, F32, F64, I64\)$/],
      [file('{"w":{"dtype":"F16","shape":[4],"data_offsets":[0,8]}}', eight), /^tensor "w": dtype F16 is not supported \(only U8, I32, F32, F64, I64\)$/],
      [file('{"w":{"dtype":7,"shape":[4],"data_offsets":[0,8]}}', eight), /^tensor "w": unknown dtype 7/],
      [file('{"w":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}', eight), /^tensor "w": shape \[-2\] is not a list of whole numbers >= 0$/],
      [file('{"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,8]}}', eight), /^tensor "w": shape \[1.5\] is not/],
      [file('{"w":{"dtype":"F32","shape":"2","data_offsets":[0,8]}}', eight), /^tensor "w": shape "2" is not/],
      [file('{"w":{"dtype":"F32","shape":[2],"data_offsets":[0]}}', eight), /^tensor "w": data_offsets \[0\] is not \[begin, end\] in bytes$/],
      [file(`{"w":${f32([2], 8, 0)}}`, eight), /^tensor "w": data_offsets \[8, 0\] end before they begin$/],
      [file(`{"w":${f32([2], 0, 4)}}`, eight), /^tensor "w": data_offsets \[0, 4\] hold 4 bytes, but F32 \[2\] needs 8$/],
      [file(`{"w":${f32([3], 0, 12)}}`, eight), /^truncated: the tensors' offsets reach byte 12 of the data, the file holds 8$/],
      [file(`{"w":${f32([1], 4, 8)}}`, eight), /^tensor "w" at bytes \[4, 8\] leaves a gap after the header \(bytes 0 to 4 belong to no tensor\)$/],
      [
        file(`{"a":${f32([1], 0, 4)},"b":${f32([1], 8, 12)}}`, [...eight, 0, 0, 0, 0]),
        /^tensor "b" at bytes \[8, 12\] leaves a gap after tensor "a" \(bytes 4 to 8 belong to no tensor\)$/,
      ],
      [file(`{"a":${f32([2], 0, 8)},"b":${f32([2], 4, 12)}}`, [...eight, 0, 0, 0, 0]), /^tensor "b" at bytes \[4, 12\] overlaps tensor "a", which ends at 8$/],
      [file(`{${w}}`, [...eight, 1, 2]), /^2 bytes after the last tensor belong to no tensor \(the tensors cover 8 of 10\)$/],
      [file(`{"__metadata__":{"lr":0.1},${w}}`, eight), /^__metadata__ "lr" is 0.1, not a string$/],
      [file(`{"__metadata__":["lr"],${w}}`, eight), /^__metadata__ is not an object of strings$/],
      [file(`{${w},${w}}`, eight), /^the header names "w" twice$/],
      [file('{"w":{"dtype":"F32","dtype":"F32","shape":[2],"data_offsets":[0,8]}}', eight), /^the header names "dtype" twice$/],
    ];
    for (const [bytes, message] of cases) expect(decodeError(bytes), message.source).toMatch(message);
  });

  it('refuses a file over the limit (100 MB unless told) before reading it, and names the file', () => {
    expect(decodeError(new Uint8Array(kSafetensorsMaxBytes + 1))).toBe('the file is 100000001 bytes, over the limit of 100000000 bytes');
    const small = encodeSafetensors([{ name: 'w', dtype: 'F32', shape: [16], data: new Float32Array(16) }]);
    expect(decodeSafetensors(small, { maxBytes: small.length }).tensors.size).toBe(1);
    expect(decodeError(small, { maxBytes: small.length - 1, name: 'racer1.safetensors' })).toBe(
      `racer1.safetensors: the file is ${small.length} bytes, over the limit of ${small.length - 1} bytes`,
    );
    expect(decodeError(file('{oops'), { name: 'w.safetensors' })).toMatch(/^w\.safetensors: the header is not JSON/);
    // Strings with brackets, commas and escaped quotes do not confuse the duplicate-name scan.
    const tricky = encodeSafetensors([{ name: 'a{"b",[c]}\\', dtype: 'U8', shape: [1], data: new Uint8Array([1]) }], { '{': '"}' });
    expect([...decodeSafetensors(tricky).tensors.keys()]).toEqual(['a{"b",[c]}\\']);
  });

  it('refuses to write what it could not read back', () => {
    const w = (name: string): NamedSafetensorsTensor => ({ name, dtype: 'F32', shape: [1], data: new Float32Array(1) });
    const fails = (tensors: NamedSafetensorsTensor[], metadata?: Record<string, string>): string => {
      try {
        encodeSafetensors(tensors, metadata);
      } catch (e) {
        expect(e).toBeInstanceOf(SafetensorsError);
        return (e as Error).message;
      }
      throw new Error('encoded without an error');
    };
    expect(fails([w('a'), w('a')])).toBe('two tensors are named "a"');
    expect(fails([w('__metadata__')])).toBe('a tensor may not be named __metadata__');
    expect(fails([{ ...w('a'), shape: [2] }])).toBe('tensor "a": shape [2] holds 2 values, the data has 1');
    expect(fails([{ ...w('a'), shape: [-1] }])).toBe('tensor "a": shape [-1] is not a list of whole numbers >= 0');
    expect(fails([{ ...w('a'), data: new Float64Array(1) } as unknown as NamedSafetensorsTensor])).toBe('tensor "a": F32 data must be a Float32Array');
    expect(fails([{ ...w('a'), dtype: 'F16' } as unknown as NamedSafetensorsTensor])).toBe(
      'tensor "a": dtype F16 is not supported (only U8, I32, F32, F64, I64)',
    );
    expect(fails([w('a')], { lr: 0.1 } as unknown as Record<string, string>)).toBe('metadata "lr" must be a string, got number');
  });
});

// ---- the real client: Python's safetensors (Rust inside) with numpy ----

function python(script: string, ...args: string[]): { status: number | null; out: string; err: string } {
  const result = spawnSync('python3', ['-c', script, ...args], { encoding: 'utf8' });
  return { status: result.status, out: result.stdout, err: `${result.stderr}${result.error?.message ?? ''}` };
}

const hasSafetensors = python('import safetensors.numpy, numpy').status === 0;
const kDir = mkdtempSync(join(tmpdir(), 'safetensors-test-'));
afterAll(() => rmSync(kDir, { recursive: true, force: true }));

/** Runs `fn` when python3 has safetensors; under CI=true its absence fails the test. */
function withPython(fn: () => void): (ctx: { skip: () => void }) => void {
  return (ctx) => {
    if (!hasSafetensors) {
      if (process.env.CI === 'true') throw new Error('python3 cannot import safetensors and numpy: .ci/install-system installs them');
      return ctx.skip();
    }
    fn();
  };
}

/** Python prints each array as dtype, shape and values; float32 and float64 values print exactly (repr). */
const kDumpArrays = `
def dump(arrays):
    return {k: {"dtype": str(v.dtype), "shape": list(v.shape), "values": [float(x) if v.dtype.kind == "f" else int(x) for x in v.reshape(-1)]} for k, v in arrays.items()}
`;

const kNumpyDtype = { F32: 'float32', F64: 'float64', I32: 'int32', U8: 'uint8', I64: 'int64' } as const;

describe("the real client: Python's safetensors", () => {
  it(
    'reads a file that Python wrote from numpy arrays',
    withPython(() => {
      const path = join(kDir, 'from-python.safetensors');
      const { status, out, err } = python(
        `${kDumpArrays}
import json, sys, numpy as np
from safetensors.numpy import save_file
arrays = {
    "0.weight": (np.arange(12, dtype=np.float32).reshape(3, 4) - 5.5) / np.float32(7),
    "0.bias": np.array([1e-30, -0.0, 3.4e38], dtype=np.float32),
    "scale": np.array(np.pi, dtype=np.float64),
    "steps": np.array([[-3], [2147483647]], dtype=np.int32),
    "mask": np.array([0, 1, 255], dtype=np.uint8),
    "1.num_batches_tracked": np.array(7, dtype=np.int64),
}
save_file(arrays, sys.argv[1], metadata={"optimizer": "adam", "layers": "784-100-10"})
print(json.dumps(dump(arrays)))`,
        path,
      );
      expect(status, err).toBe(0);
      const expected = JSON.parse(out) as Record<string, { dtype: string; shape: number[]; values: number[] }>;
      const back = decodeSafetensors(readFileSync(path), { name: path });
      expect(back.metadata).toEqual({ optimizer: 'adam', layers: '784-100-10' });
      expect([...back.tensors.keys()].sort()).toEqual(Object.keys(expected).sort());
      for (const [name, tensor] of back.tensors) {
        expect(kNumpyDtype[tensor.dtype], name).toBe(expected[name].dtype);
        expect(tensor.shape, name).toEqual(expected[name].shape);
        expect([...tensor.data].map(Number), name).toEqual(expected[name].values);
      }
    }),
  );

  it(
    'writes files that Python reads as the same arrays and metadata, byte for byte as Python writes them',
    withPython(() => {
      const tensors: NamedSafetensorsTensor[] = [
        { name: '0.weight', dtype: 'F32', shape: [2, 3], data: new Float32Array([0.1, -2.5, 3e-38, -0, 1e30, 7]) },
        { name: '0.bias', dtype: 'F32', shape: [2], data: new Float32Array([0.5, -0.25]) },
        { name: '10.weight', dtype: 'F64', shape: [1, 1], data: new Float64Array([Math.E]) },
        { name: 'iteration', dtype: 'I32', shape: [], data: new Int32Array([41]) },
        { name: 'labels', dtype: 'U8', shape: [4], data: new Uint8Array([0, 9, 200, 3]) },
        { name: 'empty', dtype: 'F32', shape: [0, 2], data: new Float32Array(0) },
      ];
      const metadata = { optimizer: 'adam β', hyperparameters: '{"lr":0.001}' };
      const ours = join(kDir, 'ours.safetensors');
      const theirs = join(kDir, 'theirs.safetensors');
      writeFileSync(ours, encodeSafetensors(tensors, metadata));
      const { status, out, err } = python(
        `${kDumpArrays}
import json, sys, numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file, save_file
arrays = load_file(sys.argv[1])
with safe_open(sys.argv[1], framework="np") as f:
    metadata = f.metadata()
# The same arrays and metadata written by the reference, for a byte comparison.
save_file(arrays, sys.argv[2], metadata=metadata)
print(json.dumps({"arrays": dump(arrays), "metadata": metadata}))`,
        ours,
        theirs,
      );
      expect(status, err).toBe(0);
      const read = JSON.parse(out) as { arrays: Record<string, { dtype: string; shape: number[]; values: number[] }>; metadata: Record<string, string> };
      expect(read.metadata).toEqual(metadata);
      expect(Object.keys(read.arrays).sort()).toEqual(tensors.map((t) => t.name).sort());
      for (const t of tensors) {
        expect(read.arrays[t.name], t.name).toEqual({ dtype: kNumpyDtype[t.dtype], shape: [...t.shape], values: [...t.data] });
      }
      // The reference keeps metadata in a hash map, so its order is its own: compare the rest
      // exactly, and the files whole when there is one key.
      const single = { optimizer: 'adam' };
      writeFileSync(ours, encodeSafetensors(tensors, single));
      expect(
        python(
          `import sys; from safetensors.numpy import load_file, save_file; save_file(load_file(sys.argv[1]), sys.argv[2], metadata=${JSON.stringify(single)})`,
          ours,
          theirs,
        ).status,
      ).toBe(0);
      expect(Buffer.from(readFileSync(theirs)).equals(readFileSync(ours))).toBe(true);
    }),
  );
});
