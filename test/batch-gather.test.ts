/**
 * The minibatch gather (shaders/nn/batch_gather.wgsl) and its PCG hash against their references
 * (src/nn/batch.ts, src/nn/reference.ts): pinned batch indices, even coverage, exact bytes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuffer, readFloat32, storageUsage } from '../src/gpu/buffers';
import { batchHash, batchIndices, kNoLabel, pcgHash, pixelValue, sequentialIndices } from '../src/nn/batch';
import { BatchGatherPass, IterationRing, uploadImageSet } from '../src/nn/gpu-passes';
import { gather } from '../src/nn/reference';
import { cached, readU32, run, seededRandom, testDevice } from './gpu';

let device: GPUDevice | undefined;
beforeAll(async () => {
  device = await testDevice();
});
afterAll(() => device?.destroy());

describe('batch hash and gather', () => {
  /** The PCG hash in BigInt arithmetic: an independent check of the u32 emulation. */
  function pcgBig(v: number): number {
    const m = 1n << 32n;
    const state = (BigInt(v) * 747796405n + 2891336453n) % m;
    const word = (((state >> ((state >> 28n) + 4n)) ^ state) * 277803737n) % m;
    return Number((word >> 22n) ^ word);
  }

  it('pcgHash agrees with a BigInt implementation', () => {
    const random = seededRandom(1);
    const inputs = [0, 1, 2, 0x7fffffff, 0x80000000, 0xffffffff, ...Array.from({ length: 1000 }, () => Math.floor(random() * 2 ** 32))];
    for (const v of inputs) expect(pcgHash(v)).toBe(pcgBig(v));
  });

  it('batch indices are pinned: changing the hash would silently change every race', () => {
    expect(Array.from(batchIndices(1, 0, 6, 60000))).toEqual([8367, 52798, 19914, 51720, 743, 45219]);
    expect(Array.from(batchIndices(2026, 1999, 4, 8000))).toEqual([5059, 2763, 7727, 6394]);
    expect(batchHash(0, 0, 0)).toBe(pcgHash(pcgHash(pcgHash(0))));
  });

  it('batch indices cover the training set evenly (with replacement)', () => {
    const count = 8000;
    const bins = new Array(10).fill(0);
    for (let it = 0; it < 200; it++) for (const j of batchIndices(3, it, 128, count)) bins[Math.floor((j * 10) / count)]++;
    for (const b of bins) expect(Math.abs(b / 2560 - 1)).toBeLessThan(0.1);
    const batch = batchIndices(3, 0, 128, count);
    expect(new Set(batch).size).toBeGreaterThan(120);
    expect(Array.from(batchIndices(3, 1, 128, count))).not.toEqual(Array.from(batch));
  });

  it('rejects bad arguments with clear messages', () => {
    expect(() => batchIndices(-1, 0, 128, 10)).toThrow(/seed must be/);
    expect(() => batchIndices(0, 0, 0, 10)).toThrow(/batch size/);
    expect(() => batchIndices(0, 0, 8, 0)).toThrow(/training set/);
  });

  interface GatherCase {
    name: string;
    count: number;
    D: number;
    N: number;
    seed: number;
    iterations: number[];
  }
  const kGatherCases: GatherCase[] = [
    { name: '997 images of 13 pixels (rows straddle u32 words), batch 5', count: 997, D: 13, N: 5, seed: 7, iterations: [0, 1, 2] },
    { name: '300 images of 784 pixels, batch 130', count: 300, D: 784, N: 130, seed: 0xffffffff, iterations: [0, 1999, 123456] },
    { name: '1 image of 1 pixel, batch 3', count: 1, D: 1, N: 3, seed: 0, iterations: [5] },
  ];

  async function gpuGather(
    gpu: GPUDevice,
    images: Uint8Array,
    imageLabels: Uint32Array,
    D: number,
    N: number,
    seed: number,
    sequential: boolean,
    values: { iteration?: number; first?: number }[],
  ): Promise<{ X: Float32Array; labels: Uint32Array }[]> {
    const set = uploadImageSet(gpu, images, imageLabels, D, 'test.images');
    const ring = new IterationRing(gpu, values.length, 'test.ring');
    values.forEach((v, k) => ring.set(k, v));
    ring.flush();
    // One X0 per iteration (one bind group each), all encoded before one submit.
    const outs = values.map((_, k) => ({
      X0: createBuffer(gpu, `test.X0.${k}`, storageUsage(), 4 * N * D),
      labels: createBuffer(gpu, `test.labels.${k}`, storageUsage(), 4 * N),
    }));
    const gatherPass = cached('gather', () => new BatchGatherPass(gpu));
    const bindings = outs.map((o) => gatherPass.bindGroup({ set, ring, ...o }, { rows: N, seed, sequential }));
    await run(gpu, (pass) => bindings.forEach((b, k) => gatherPass.encode(pass, b, [ring.offset(k)])));
    const result = [];
    for (const o of outs) result.push({ X: await readFloat32(gpu, o.X0), labels: await readU32(gpu, o.labels) });
    bindings.forEach((b) => b.destroy());
    outs.forEach((o) => {
      o.X0.destroy();
      o.labels.destroy();
    });
    ring.destroy();
    set.images.destroy();
    set.labels.destroy();
    return result;
  }

  it.for(kGatherCases.map((c) => [c.name, c] as const))('GPU gather equals the reference exactly: %s', async ([, c], ctx) => {
    if (!device) return ctx.skip();
    const random = seededRandom(c.count + c.D);
    const images = Uint8Array.from({ length: c.count * c.D }, () => Math.floor(random() * 256));
    // Label j = j, so the gathered labels are the batch indices themselves.
    const imageLabels = Uint32Array.from({ length: c.count }, (_, j) => j);
    const got = await gpuGather(
      device,
      images,
      imageLabels,
      c.D,
      c.N,
      c.seed,
      false,
      c.iterations.map((iteration) => ({ iteration })),
    );
    c.iterations.forEach((iteration, k) => {
      const indices = batchIndices(c.seed, iteration, c.N, c.count);
      const ref = gather(images, imageLabels, indices, c.D);
      expect(Array.from(got[k].labels)).toEqual(Array.from(indices));
      expect(got[k].X).toEqual(ref.X);
    });
  });

  it('a sequential gather maps every byte value exactly and pads past the end', async (ctx) => {
    // Image j is the bytes j, j+1, ..., so all 256 values appear.
    const [count, D, N] = [10, 256, 4];
    const images = Uint8Array.from({ length: count * D }, (_, k) => (Math.floor(k / D) + (k % D)) % 256);
    const imageLabels = Uint32Array.from({ length: count }, (_, j) => (j * 3) % 10);
    const ref = gather(images, imageLabels, sequentialIndices(8, N), D);
    expect(Array.from(ref.labels)).toEqual([4, 7, kNoLabel, kNoLabel]);
    expect(ref.X.subarray(2 * D).every((v) => v === 0)).toBe(true);
    expect(ref.X[0 * D + 248]).toBe(pixelValue(0));
    expect(pixelValue(255)).toBe(1);
    expect(pixelValue(0)).toBe(0);
    if (!device) return ctx.skip();
    const [got] = await gpuGather(device, images, imageLabels, D, N, 0, true, [{ first: 8 }]);
    expect(Array.from(got.labels)).toEqual(Array.from(ref.labels));
    expect(got.X).toEqual(ref.X);
  });

  it('rejects an image set whose size disagrees with its labels', async (ctx) => {
    if (!device) return ctx.skip();
    expect(() => uploadImageSet(device!, new Uint8Array(10), [1, 2, 3], 4)).toThrow(/3 images of 4 pixels need 12 bytes, got 10/);
  });
});
