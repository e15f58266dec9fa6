/**
 * The first layer over the input's nonzero pixels (src/wasm/assembly/sparse.ts, gemm.ts's
 * sparseGemm): each kernel through the module's exports at odd sizes (9 images of 37 pixels, most
 * of them zero, one image all zero; batch 7 with a row past the set; 45 outputs, so the 32-, 8-,
 * 4-column and scalar blocks all run), the first layer's forward and weight gradient with their
 * dense fallbacks where W or dY is not finite, against its float64 reference with the bound of
 * test/wasm-kernels-vs-float64.test.ts ((K + 4)·u·Σ|a·b| + 8·u·|exact|), and bit for bit against the
 * dense gemm on the gathered rows, which the engine relies on. Then the whole race: sparse and dense
 * inputs give the same bits, a diverging racer and one with infinite first-layer weights included
 * (the dense fallback keeps 0·Inf = NaN where the sparse sum would skip it).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { activationCode, networkLayout } from '../src/nn/layout';
import { affineBackwardWeights, affineForward } from '../src/nn/reference';
import type { LayerShape } from '../src/nn/shape';
import { resolveRace } from '../src/race/config';
import type { RaceData } from '../src/race/dataset';
import { seededRandom } from '../src/util/random';
import { kBias, kStore } from '../src/wasm/assembly/gemm-epilogues';
import { instantiateRaceWasm, type RaceWasmExports } from '../src/wasm/module';
import { WasmRaceBackend } from '../src/wasm/wasm-backend';
import { expectWithin, wasmArena } from './fixtures/wasm-arena';
import { syntheticRaceData } from './fixtures/synthetic-race-data';

const u = 2 ** -24;
const kCount = 9; // images in the set
const D = 37; // pixels per image
const O = 45; // the layer's outputs
const kIndices = [4, 0, 8, 4, kCount, 2, 7]; // a batch of 7: a repeat, the all-zero image 8, a row past the set
const N = kIndices.length;

let memory: WebAssembly.Memory;
let k: RaceWasmExports;
const { alloc, putF32, f32At, reset } = wasmArena(() => memory);

beforeAll(async () => {
  memory = new WebAssembly.Memory({ initial: 8 });
  k = await instantiateRaceWasm(memory);
});

const u32At = (at: number, length: number): Uint32Array => new Uint32Array(memory.buffer, at, length).slice();
const putU32 = (values: ArrayLike<number>): number => {
  const at = alloc(values.length * 4);
  new Uint32Array(memory.buffer, at, values.length).set(values);
  return at;
};
const bits = (v: Float32Array): Uint32Array => new Uint32Array(v.buffer, v.byteOffset, v.length);

/** 9 images, about 70 % zero pixels, image 8 all zero. */
function sparseImages(): Uint8Array {
  const random = seededRandom(37);
  return Uint8Array.from({ length: kCount * D }, (_, i) => (i >= 8 * D || random() < 0.7 ? 0 : 1 + Math.floor(random() * 255)));
}

/** The set's sparse rows, the batch's rows by kIndices, its transpose, and the dense batch by the gather. */
function sparseBatch() {
  const images = sparseImages();
  const imagesAt = alloc(images.length);
  new Uint8Array(memory.buffer, imagesAt, images.length).set(images);
  const nonzeros = images.reduce((n, p) => n + (p === 0 ? 0 : 1), 0);
  const set = { starts: alloc((kCount + 1) * 4), entries: alloc(nonzeros * 8) };
  k.sparseImages(imagesAt, kCount, D, set.starts, set.entries);
  const indices = putU32(kIndices);
  const rows = { starts: alloc((N + 1) * 4), entries: alloc(N * D * 8) };
  k.sparseBatch(set.starts, set.entries, kCount, indices, N, rows.starts, rows.entries);
  const columns = { starts: alloc((D + 1) * 4), entries: alloc(N * D * 8) };
  k.sparseTranspose(rows.starts, rows.entries, N, D, columns.starts, columns.entries);
  const X = alloc(N * D * 4);
  k.gather(imagesAt, kCount, indices, X, N, D);
  return { images, imagesAt, nonzeros, set, rows, columns, X, x: f32At(X, N * D) };
}

/** The sparse rows at (starts, entries) made dense (m x d). */
function dense(starts: number, entries: number, m: number, d: number): Float32Array {
  const at = putF32(new Float32Array(m * d).fill(Number.NaN));
  k.sparseToDense(starts, entries, m, d, at);
  return f32At(at, m * d);
}

const shapeOf = (outputActivation: 'identity' | 'relu'): LayerShape => {
  const layout = networkLayout([D, O]);
  return {
    rows: N,
    racers: 1,
    paramsPerRacer: layout.paramsPerRacer,
    layer: layout.layers[0],
    sharedInput: true,
    outputActivation,
    inputActivation: 'identity',
  };
};
const abs = (v: ArrayLike<number>): Float64Array => Float64Array.from(v, Math.abs);
const bound = (K: number, sums: ArrayLike<number>, exact: ArrayLike<number>) => (i: number) =>
  (K + 4) * u * sums[i] + 8 * u * Math.abs(exact[i]) + Number.MIN_VALUE;

describe('sparse rows of the first layer input', () => {
  it('keep each nonzero pixel, scaled as the gather scales it, in pixel order; a batch by indices, empty past the set', () => {
    reset();
    const { images, nonzeros, set, rows, x } = sparseBatch();
    const starts = u32At(set.starts, kCount + 1);
    expect(starts[kCount]).toBe(nonzeros);
    expect(starts[8]).toBe(starts[9]); // the all-zero image has no entries
    for (let j = 0; j < kCount; j++) {
      const pixels = Array.from(u32At(set.entries, nonzeros * 2).subarray(2 * starts[j], 2 * starts[j + 1])).filter((_, e) => e % 2 === 0);
      expect(pixels, `image ${j}'s pixels`).toEqual(Array.from(images.subarray(j * D, (j + 1) * D).keys()).filter((i) => images[j * D + i] !== 0));
    }
    // Made dense again, the batch is the gather's bit for bit (the row past the set and image 8 zero).
    expect(bits(dense(rows.starts, rows.entries, N, D))).toEqual(bits(x));
  });

  it('transpose to one row per pixel listing the batch rows in order', () => {
    reset();
    const { columns, x } = sparseBatch();
    const transposed = Float32Array.from({ length: D * N }, (_, t) => x[(t % N) * D + Math.floor(t / N)]);
    expect(bits(dense(columns.starts, columns.entries, D, N))).toEqual(bits(transposed));
    const starts = u32At(columns.starts, D + 1);
    for (let c = 0; c < D; c++) {
      const batchRows = Array.from(u32At(columns.entries, 2 * starts[D]).subarray(2 * starts[c], 2 * starts[c + 1])).filter((_, e) => e % 2 === 0);
      expect(batchRows, `pixel ${c}'s rows`).toEqual([...batchRows].sort((a, b) => a - b));
    }
  });
});

describe.each(['identity', 'relu'] as const)('sparseGemm (%s)', (a) => {
  const shape = shapeOf(a);
  const { weightOffset, biasOffset } = shape.layer;

  it(`forward: Y (${N}x${O}) = ${a}(X W + b) over X's nonzeros, as float64 and bit for bit as the dense gemm`, () => {
    reset();
    const { rows, X, x } = sparseBatch();
    const params = Float32Array.from({ length: shape.paramsPerRacer }, (_, i) => Math.sin(i * 1.7 + activationCode(a)) * 0.5);
    const P = putF32(params);
    const Y = alloc(N * O * 4);
    k.sparseGemm(rows.starts, rows.entries, P + weightOffset * 4, O, Y, O, N, O, kBias, P + biasOffset * 4, activationCode(a));
    const y = f32At(Y, N * O);
    const exact = affineForward(x, params, shape, []);
    const sums = affineForward(abs(x), abs(params), { ...shape, outputActivation: 'identity' }, []);
    expectWithin('Y', y, exact, bound(D, sums, exact));
    const denseY = alloc(N * O * 4);
    k.gemm(X, D * 4, 4, P + weightOffset * 4, O, denseY, O, N, D, O, kBias, P + biasOffset * 4, 0, activationCode(a));
    expect(bits(y)).toEqual(bits(f32At(denseY, N * O)));
  });

  it(`weight gradient: dW (${D}x${O}) = Xᵀ dY over the transpose's entries, as float64 and bit for bit as the dense gemm`, () => {
    reset();
    const { columns, X, x } = sparseBatch();
    const random = seededRandom(activationCode(a) + 3);
    const dy = Float32Array.from({ length: N * O }, () => (random() - 0.5) * 0.6);
    const dY = putF32(dy);
    const dW = putF32(new Float32Array(D * O).fill(Number.NaN));
    k.sparseGemm(columns.starts, columns.entries, dY, O, dW, O, D, O, kStore, 0, 0);
    const exact = affineBackwardWeights(x, dy, shape).subarray(weightOffset, weightOffset + D * O);
    const sums = affineBackwardWeights(abs(x), abs(dy), shape).subarray(weightOffset, weightOffset + D * O);
    expectWithin('dW', f32At(dW, D * O), exact, bound(N, sums, exact));
    const denseW = alloc(D * O * 4);
    k.gemm(X, 4, D * 4, dY, O, denseW, O, D, N, O, kStore, 0, 0, 0);
    expect(bits(f32At(dW, D * O))).toEqual(bits(f32At(denseW, D * O)));
  });
});

describe('the first layer over sparse rows', () => {
  const shape = shapeOf('relu');
  const { weightOffset, biasOffset } = shape.layer;
  const relu = activationCode('relu');

  it('forward: as the dense gemm where W holds an Inf at a pixel some rows lack (0·Inf = NaN there), and where W is finite', () => {
    reset();
    const { rows, X, x, images } = sparseBatch();
    // Pixel p is nonzero in image 4 (batch rows 0 and 3) and zero in image 0 (batch row 1).
    const p = Array.from({ length: D }, (_, i) => i).find((i) => images[4 * D + i] !== 0 && images[i] === 0) ?? -1;
    expect(p).toBeGreaterThanOrEqual(0);
    const params = Float32Array.from({ length: shape.paramsPerRacer }, (_, i) => Math.cos(i * 0.9) * 0.5);
    const P = putF32(params);
    const scratch = alloc(4 * D * 4);
    const run = (layer: boolean, act: number): Float32Array => {
      const Y = alloc(N * O * 4);
      if (layer) k.sparseLayerForward(rows.starts, rows.entries, P + weightOffset * 4, P + biasOffset * 4, Y, N, D, O, act, scratch);
      else k.gemm(X, D * 4, 4, P + weightOffset * 4, O, Y, O, N, D, O, kBias, P + biasOffset * 4, 0, act);
      return f32At(Y, N * O);
    };
    expect(bits(run(true, relu))).toEqual(bits(run(false, relu)));
    new Float32Array(memory.buffer, P + (weightOffset + p * O + 2) * 4, 1)[0] = Number.POSITIVE_INFINITY;
    expect(run(true, relu)).toEqual(run(false, relu));
    // Without the ReLU (which makes a NaN 0): row 1 lacks pixel p, so the dense sum is NaN there (the sparse one alone would skip the Inf).
    const y = run(true, 0);
    expect(y).toEqual(run(false, 0));
    expect(y[1 * O + 2]).toBeNaN();
    expect(x[1 * D + p]).toBe(0);
  });

  it('weight gradient: as the dense gemm where dY holds an Inf or a NaN (0·Inf = NaN for every pixel the row lacks)', () => {
    reset();
    const { columns, X } = sparseBatch();
    const dy = Float32Array.from({ length: N * O }, (_, i) => Math.sin(i) * 0.3);
    const run = (values: Float32Array, layer: boolean): Float32Array => {
      const dY = putF32(values);
      const dW = putF32(new Float32Array(D * O).fill(7));
      if (layer) k.sparseLayerWeights(columns.starts, columns.entries, X, dY, dW, N, D, O);
      else k.gemm(X, 4, D * 4, dY, O, dW, O, D, N, O, kStore, 0, 0, 0);
      return f32At(dW, D * O);
    };
    expect(bits(run(dy, true))).toEqual(bits(run(dy, false)));
    for (const bad of [Number.POSITIVE_INFINITY, Number.NaN]) {
      const values = dy.slice();
      values[2 * O + 5] = bad;
      const dW = run(values, true);
      expect(dW).toEqual(run(values, false));
      expect(dW.filter((_, i) => i % O === 5).every(Number.isNaN), `column 5 with ${bad}`).toBe(true);
    }
  });
});

describe('allFinite', () => {
  it.each([13, 37])('tells %i floats with an Inf or NaN anywhere (vector body or tail) from finite ones', (count) => {
    reset();
    const finite = Float32Array.from({ length: count }, (_, i) => (i % 3 === 0 ? -0 : (i - 6) * 1e37));
    expect(k.allFinite(putF32(finite), count)).toBe(1);
    for (const at of [0, 9, count - 1]) {
      for (const bad of [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN]) {
        const values = finite.slice();
        values[at] = bad;
        expect(k.allFinite(putF32(values), count), `${bad} at ${at}`).toBe(0);
      }
    }
  });
});

/** The synthetic set with about 75 % of its pixels zero, as MNIST's. */
function sparseRaceData(): RaceData {
  const data = syntheticRaceData(60, 23);
  const random = seededRandom(11);
  const thin = (images: Uint8Array) => images.map((p) => (random() < 0.75 ? 0 : p));
  return { ...data, trainImages: thin(data.trainImages), testImages: thin(data.testImages) };
}

describe('WasmRaceBackend with sparse input', () => {
  it('gives the dense input’s bits: losses, accuracies and predictions, a diverging racer and infinite weights included', async () => {
    const data = sparseRaceData();
    const race = resolveRace({
      sizes: [784, 9, 6, 10],
      iterations: 6,
      batchSize: 7,
      seed: 3,
      evalEvery: 3,
      trainAccuracy: true,
      racers: [
        { optimizer: 'sgd', hyperparameters: { lr: 0.1 } },
        { optimizer: 'adam', hyperparameters: { lr: 0.01 }, bn: true, l2: 0.01 },
        // Diverges: its dY and then its weights become Inf and NaN, the dense fallbacks' case.
        { optimizer: 'sgd', hyperparameters: { lr: 1e30 } },
        // Some first-layer weights round to Inf from the start.
        { optimizer: 'sgd', init: 1e38 },
      ],
    });
    const results = [];
    for (const sparseInput of [true, false]) {
      const wasm = await WasmRaceBackend.create(race, data, { threads: 2, sparseInput });
      const first = await wasm.run({ first: 0, count: 3, active: race.racers.map(() => true), evaluate: true });
      const second = await wasm.run({ first: 3, count: 3, active: race.racers.map(() => true), evaluate: true });
      wasm.destroy();
      results.push({ first, second });
    }
    expect(results[0]).toEqual(results[1]);
    expect(Array.from(results[0].second.losses.subarray(-4)).map(Number.isFinite)).toEqual([true, true, false, false]);
  });
});
