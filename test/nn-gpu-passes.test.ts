/**
 * Every MLP kernel (shaders/nn/) against its float64 reference (src/nn/reference.ts) on random
 * inputs of odd sizes, with 1-3 racers that differ by activation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuffer, readFloat32, storageUsage } from '../src/gpu/buffers';
import {
  AccuracyPass,
  AffineBackwardDataPass,
  preferredMatmulStrategy,
  AffineBackwardWeightsPass,
  AffineForwardPass,
  IterationRing,
  LayerUniform,
  SoftmaxXentPass,
  createRacerActivations,
  type MatmulTiling,
  type PassBinding,
} from '../src/nn/gpu-passes';
import { networkLayout, type Activation } from '../src/nn/layout';
import { activate, affineBackwardData, affineBackwardWeights, affineForward, countCorrect, softmaxCrossEntropy } from '../src/nn/reference';
import { kNoLabel } from '../src/nn/batch';
import { mlpLayerShape, type LayerShape } from '../src/nn/shape';
import { cached, maxRelativeError, readU32, run, seededRandom, testDevice } from './gpu';

let device: GPUDevice | undefined;
beforeAll(async () => {
  device = await testDevice();
});
afterAll(() => device?.destroy());

const kRacerActivations: Activation[][] = [['relu'], ['sigmoid', 'tanh'], ['tanh', 'relu', 'sigmoid']];

function randomArray(n: number, seed: number, scale = 1): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: n }, () => (random() * 2 - 1) * scale);
}

/** Records the passes into one compute pass and submits it. */
interface AffineCase {
  N: number;
  I: number;
  O: number;
  R: number;
  /** Layer 0 (shared input X0) or layer 1 of a 3-layer network (per-racer X, offsets not 0). */
  first: boolean;
  tiling?: MatmulTiling;
}

const kSizes: Omit<AffineCase, 'tiling'>[] = [
  { N: 5, I: 13, O: 7, R: 1, first: true },
  { N: 5, I: 13, O: 7, R: 3, first: false },
  { N: 1, I: 1, O: 1, R: 2, first: false },
  { N: 130, I: 785, O: 11, R: 2, first: true },
  { N: 33, I: 65, O: 31, R: 3, first: false },
  { N: 128, I: 100, O: 10, R: 2, first: false },
];
// Every size with both strategies' defaults, and a few other tilings.
const kAffineCases: AffineCase[] = [
  ...kSizes.map((c) => ({ ...c, tiling: { strategy: 'shared' } as const })),
  ...kSizes.map((c) => ({ ...c, tiling: { strategy: 'direct' } as const })),
  { N: 37, I: 50, O: 45, R: 3, first: false, tiling: { strategy: 'shared', threadsM: 4, threadsN: 16, tileK: 8 } },
  { N: 37, I: 50, O: 45, R: 2, first: true, tiling: { strategy: 'shared', threadsM: 16, threadsN: 16, tileK: 4 } },
  { N: 37, I: 50, O: 45, R: 3, first: false, tiling: { strategy: 'direct', threadsM: 8, threadsN: 8 } },
  { N: 70, I: 30, O: 9, R: 2, first: true, tiling: { strategy: 'direct', threadsM: 1, threadsN: 1 } },
];

const caseName = (c: AffineCase): string =>
  `N=${c.N} I=${c.I} O=${c.O}, ${c.R} racer(s), ${c.first ? 'shared input' : 'hidden layer'}${c.tiling ? `, tiling ${JSON.stringify(c.tiling)}` : ''}`;

function setUp(c: AffineCase): { shape: LayerShape; acts: Activation[]; params: Float32Array } {
  const layout = c.first ? networkLayout([c.I, c.O]) : networkLayout([3, c.I, c.O]);
  const shape = mlpLayerShape(layout, c.first ? 0 : 1, c.N, c.R);
  // Hidden activations on the output too, to test each activation's forward.
  shape.outputActivation = 'racer';
  const params = randomArray(c.R * layout.paramsPerRacer, c.N * 31 + c.I, 1 / Math.sqrt(c.I));
  return { shape, acts: kRacerActivations[c.R - 1], params };
}

describe('affine kernels', () => {
  it('picks the direct strategy on software adapters (classifyAdapter), shared on hardware ones', () => {
    const on = (vendor: string, architecture: string, isFallbackAdapter = false) =>
      preferredMatmulStrategy({ adapterInfo: { vendor, architecture, device: '', description: '', isFallbackAdapter } } as unknown as GPUDevice);
    expect(on('google', 'swiftshader', true)).toBe('direct');
    expect(on('mesa', 'llvmpipe')).toBe('direct');
    expect(on('nvidia', 'hopper')).toBe('shared');
    expect(on('nvidia', 'hopper', true)).toBe('direct');
    expect(on('', '')).toBe('shared');
    expect(preferredMatmulStrategy({} as GPUDevice)).toBe('shared');
    // This machine's adapter as the race sees it: Dawn on lavapipe here says it is a fallback.
    if (device?.adapterInfo.isFallbackAdapter) expect(preferredMatmulStrategy(device)).toBe('direct');
  });

  it.for(kAffineCases.map((c) => [caseName(c), c] as const))('forward matches the reference: %s', async ([, c], ctx) => {
    if (!device) return ctx.skip();
    const gpu = device;
    const { shape, acts, params } = setUp(c);
    const X = randomArray(c.first ? c.N * c.I : c.R * c.N * c.I, c.O + 5);
    const expected = affineForward(X, params, shape, acts);

    const layer = new LayerUniform(gpu, shape, 'test.layer');
    const buffers = {
      X: createBuffer(gpu, 'test.X', storageUsage(), X),
      params: createBuffer(gpu, 'test.params', storageUsage(), params),
      Y: createBuffer(gpu, 'test.Y', storageUsage(), expected.length * 4),
      racerActivations: createRacerActivations(gpu, acts),
    };
    const forward = cached(`forward${JSON.stringify(c.tiling)}`, () => new AffineForwardPass(gpu, c.tiling));
    let binding: PassBinding | undefined;
    await run(gpu, (pass) => forward.encode(pass, (binding = forward.bindGroup({ ...buffers, layer }))));
    const Y = await readFloat32(gpu, buffers.Y);
    binding?.destroy();
    Object.values(buffers).forEach((b) => b.destroy());
    layer.destroy();
    expect(maxRelativeError(Y, expected)).toBeLessThan(1e-4);
  });

  it.for(kAffineCases.filter((c) => !c.first).map((c) => [caseName(c), c] as const))('backward data matches the reference: %s', async ([, c], ctx) => {
    if (!device) return ctx.skip();
    const gpu = device;
    const { shape, acts, params } = setUp(c);
    // X is the output of the previous layer's activation (each racer's own).
    const pre = randomArray(c.R * c.N * c.I, c.I + 11, 2);
    const X = pre.map((v, k) => activate(acts[Math.floor(k / (c.N * c.I))], v));
    const dY = randomArray(c.R * c.N * c.O, c.N + 3);
    const expected = affineBackwardData(dY, params, X, shape, acts);

    const layer = new LayerUniform(gpu, shape, 'test.layer');
    const buffers = {
      dY: createBuffer(gpu, 'test.dY', storageUsage(), dY),
      params: createBuffer(gpu, 'test.params', storageUsage(), params),
      X: createBuffer(gpu, 'test.X', storageUsage(), X),
      dX: createBuffer(gpu, 'test.dX', storageUsage(), expected.length * 4),
      racerActivations: createRacerActivations(gpu, acts),
    };
    const backward = cached(`data${JSON.stringify(c.tiling)}`, () => new AffineBackwardDataPass(gpu, c.tiling));
    await run(gpu, (pass) => backward.encode(pass, backward.bindGroup({ ...buffers, layer })));
    const dX = await readFloat32(gpu, buffers.dX);
    Object.values(buffers).forEach((b) => b.destroy());
    layer.destroy();
    expect(maxRelativeError(dX, expected)).toBeLessThan(1e-4);
  });

  it.for(kAffineCases.map((c) => [caseName(c), c] as const))('backward weights matches the reference: %s', async ([, c], ctx) => {
    if (!device) return ctx.skip();
    const gpu = device;
    const { shape } = setUp(c);
    const X = randomArray(c.first ? c.N * c.I : c.R * c.N * c.I, c.O + 7);
    const dY = randomArray(c.R * c.N * c.O, c.N + 13);
    // Entries of other layers (and padding) must keep their value.
    const before = new Float32Array(c.R * shape.paramsPerRacer).fill(7);
    const expected = affineBackwardWeights(X, dY, shape, Float64Array.from(before));

    const layer = new LayerUniform(gpu, shape, 'test.layer');
    const buffers = {
      X: createBuffer(gpu, 'test.X', storageUsage(), X),
      dY: createBuffer(gpu, 'test.dY', storageUsage(), dY),
      grads: createBuffer(gpu, 'test.grads', storageUsage(), before),
    };
    const backward = cached(`weights${JSON.stringify(c.tiling)}`, () => new AffineBackwardWeightsPass(gpu, c.tiling));
    await run(gpu, (pass) => backward.encode(pass, backward.bindGroup({ ...buffers, layer })));
    const grads = await readFloat32(gpu, buffers.grads);
    Object.values(buffers).forEach((b) => b.destroy());
    layer.destroy();
    const { weightOffset, biasOffset } = shape.layer;
    for (let r = 0; r < c.R; r++) {
      const base = r * shape.paramsPerRacer;
      const dW = [base + weightOffset, base + weightOffset + c.I * c.O] as const;
      const db = [base + biasOffset, base + biasOffset + c.O] as const;
      expect(maxRelativeError(grads.subarray(...dW), expected.subarray(...dW))).toBeLessThan(1e-4);
      expect(maxRelativeError(grads.subarray(...db), expected.subarray(...db))).toBeLessThan(1e-4);
    }
    // Everything else untouched.
    const untouched = (k: number): boolean => {
      const o = k % shape.paramsPerRacer;
      return !(o >= weightOffset && o < weightOffset + c.I * c.O) && !(o >= biasOffset && o < biasOffset + c.O);
    };
    expect(grads.filter((_, k) => untouched(k)).every((v) => v === 7)).toBe(true);
  });

  it('rejects buffers too small for the layer', async (ctx) => {
    if (!device) return ctx.skip();
    const gpu = device;
    const shape = mlpLayerShape(networkLayout([4, 3]), 0, 2, 2);
    const layer = new LayerUniform(gpu, shape);
    const small = createBuffer(gpu, 'test.small', storageUsage(), 8);
    const forward = cached('forward', () => new AffineForwardPass(gpu));
    expect(() => forward.bindGroup({ X: small, params: small, Y: small, racerActivations: small, layer })).toThrow(
      /X \('test.small'\) has 8 bytes, needs at least 32/,
    );
    expect(() => new AffineForwardPass(gpu, { threadsM: 32, threadsN: 32 })).toThrow(/threads per workgroup/);
    expect(() => new AffineForwardPass(gpu, { strategy: 'shared', tileK: 64 })).toThrow(/bytes of shared memory/);
    small.destroy();
    layer.destroy();
  });
});

describe('softmax cross-entropy kernel', () => {
  interface LossCase {
    N: number;
    C: number;
    R: number;
    scale: number;
  }
  const kLossCases: LossCase[] = [
    { N: 1, C: 3, R: 1, scale: 3 },
    { N: 5, C: 10, R: 2, scale: 3 },
    { N: 130, C: 10, R: 3, scale: 5 },
    { N: 64, C: 7, R: 2, scale: 400 }, // logits far beyond exp's range: the row max keeps it finite
  ];
  const kSlots = 4;
  const kSlot = 2;

  /** Runs the kernel on the GPU, writing result row kSlot; other rows keep a sentinel. */
  async function gpuSoftmax(gpu: GPUDevice, logits: Float32Array, labels: Uint32Array, N: number, C: number, R: number) {
    const ring = new IterationRing(gpu, 2, 'test.ring');
    ring.set(1, { iteration: 9, slot: kSlot });
    ring.flush();
    const buffers = {
      logits: createBuffer(gpu, 'test.logits', storageUsage(), logits),
      labels: createBuffer(gpu, 'test.labels', storageUsage(), labels),
      dLogits: createBuffer(gpu, 'test.dLogits', storageUsage(), logits.length * 4),
      losses: createBuffer(gpu, 'test.losses', storageUsage(), new Float32Array(kSlots * R).fill(-1)),
      correct: createBuffer(gpu, 'test.correct', storageUsage(), new Uint32Array(kSlots * R).fill(77)),
    };
    const softmax = cached('softmax', () => new SoftmaxXentPass(gpu));
    const binding = softmax.bindGroup({ ...buffers, ring }, { rows: N, classes: C, racers: R, slots: kSlots });
    await run(gpu, (pass) => softmax.encode(pass, binding, [ring.offset(1)]));
    const out = {
      losses: await readFloat32(gpu, buffers.losses),
      dLogits: await readFloat32(gpu, buffers.dLogits),
      correct: await readU32(gpu, buffers.correct),
    };
    binding.destroy();
    ring.destroy();
    Object.values(buffers).forEach((b) => b.destroy());
    return out;
  }

  it('matches a hand-computed loss, gradient and correct count', async (ctx) => {
    // Row 0: logits (1, 2, 3), label 2 (argmax 2: correct). Row 1: (0, 0, 0), label 1 (argmax is the first maximum, 0).
    const logits = Float32Array.from([1, 2, 3, 0, 0, 0]);
    const labels = Uint32Array.from([2, 1]);
    const z = 1 + Math.exp(-1) + Math.exp(-2);
    const p0 = [Math.exp(-2) / z, Math.exp(-1) / z, 1 / z];
    const loss = -(Math.log(1 / z + 1e-7) + Math.log(1 / 3 + 1e-7)) / 2;
    const dLogits = [p0[0] / 2, p0[1] / 2, (p0[2] - 1) / 2, 1 / 6, (1 / 3 - 1) / 2, 1 / 6];
    const ref = softmaxCrossEntropy(logits, labels, 2, 3);
    expect(ref.loss[0]).toBeCloseTo(loss, 14);
    expect(maxRelativeError(ref.dLogits, dLogits)).toBeLessThan(1e-14);
    expect(ref.correct[0]).toBe(1);
    if (!device) return ctx.skip();
    const out = await gpuSoftmax(device, logits, labels, 2, 3, 1);
    expect(Math.abs(out.losses[kSlot] - loss) / loss).toBeLessThan(1e-6);
    expect(maxRelativeError(out.dLogits, dLogits)).toBeLessThan(1e-6);
    expect(out.correct[kSlot]).toBe(1);
  });

  it.for(kLossCases.map((c) => [`N=${c.N} C=${c.C}, ${c.R} racer(s), logits up to ${c.scale}`, c] as const))(
    'matches the reference: %s',
    async ([, { N, C, R, scale }], ctx) => {
      if (!device) return ctx.skip();
      const logits = randomArray(R * N * C, N * C + R, scale);
      const random = seededRandom(N + 1);
      const labels = Uint32Array.from({ length: N }, () => Math.floor(random() * C));
      const ref = softmaxCrossEntropy(logits, labels, N, C, R);
      const out = await gpuSoftmax(device, logits, labels, N, C, R);
      expect(maxRelativeError(out.losses.subarray(kSlot * R, (kSlot + 1) * R), ref.loss)).toBeLessThan(1e-5);
      expect(maxRelativeError(out.dLogits, ref.dLogits)).toBeLessThan(1e-5);
      expect(Array.from(out.correct.subarray(kSlot * R, (kSlot + 1) * R))).toEqual(Array.from(ref.correct));
      // Other result rows untouched.
      expect(out.losses.filter((_, k) => Math.floor(k / R) !== kSlot).every((v) => v === -1)).toBe(true);
      expect(out.correct.filter((_, k) => Math.floor(k / R) !== kSlot).every((v) => v === 77)).toBe(true);
      expect(ref.loss.every(Number.isFinite)).toBe(true);
    },
  );

  it('rejects labels that are not classes', () => {
    expect(() => softmaxCrossEntropy([0, 1, 2], [3], 1, 3)).toThrow(/label 3 of row 0/);
  });
});

describe('accuracy kernel', () => {
  it("adds each racer's correct count to its slot, ignoring padding rows", async (ctx) => {
    if (!device) return ctx.skip();
    const gpu = device;
    const [N, C, R, slots] = [130, 10, 3, 3];
    const logits = randomArray(R * N * C, 3, 2);
    const random = seededRandom(11);
    // Labels mostly the racer-0 argmax, so counts are large and differ between racers; some padding.
    const labels = Uint32Array.from({ length: N }, (_, n) => {
      if (n % 17 === 16) return kNoLabel;
      if (random() < 0.3) return Math.floor(random() * C);
      let best = 0;
      for (let c = 1; c < C; c++) if (logits[n * C + c] > logits[n * C + best]) best = c;
      return best;
    });
    const expected = countCorrect(logits, labels, N, C, R);
    const ring = new IterationRing(gpu, 1, 'test.ring');
    ring.set(0, { slot: 1 });
    ring.flush();
    const buffers = {
      logits: createBuffer(gpu, 'test.logits', storageUsage(), logits),
      labels: createBuffer(gpu, 'test.labels', storageUsage(), labels),
      correct: createBuffer(gpu, 'test.correct', storageUsage(), new Uint32Array(slots * R).fill(5)),
    };
    const accuracy = new AccuracyPass(gpu, { workgroupSize: 32 });
    const binding = accuracy.bindGroup({ ...buffers, ring }, { rows: N, classes: C, racers: R, slots });
    // Two chunks into one slot accumulate.
    await run(gpu, (pass) => {
      accuracy.encode(pass, binding, [ring.offset(0)]);
      accuracy.encode(pass, binding, [ring.offset(0)]);
    });
    const correct = await readU32(gpu, buffers.correct);
    binding.destroy();
    ring.destroy();
    Object.values(buffers).forEach((b) => b.destroy());
    expect(expected[0]).toBeGreaterThan(N / 2);
    expect(Array.from(correct)).toEqual([5, 5, 5, ...Array.from(expected, (c) => 5 + 2 * c), 5, 5, 5]);
  });
});
