/**
 * Every MLP kernel (shaders/nn/) against its float64 reference (src/nn/reference.ts) on random
 * inputs of odd sizes, with 1-3 racers that differ by activation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuffer, readFloat32, storageUsage } from '../src/gpu/buffers';
import {
  AffineBackwardDataPass, AffineBackwardWeightsPass, AffineForwardPass, LayerUniform, createRacerActivations,
  type MatmulTiling, type PassBinding,
} from '../src/nn/kernels';
import { networkLayout, type Activation } from '../src/nn/layout';
import { activate, affineBackwardData, affineBackwardWeights, affineForward } from '../src/nn/reference';
import { mlpLayerShape, type LayerShape } from '../src/nn/shape';
import { maxRelativeError, seededRandom, testDevice, withValidation } from './gpu';

let device: GPUDevice | undefined;
beforeAll(async () => {
  device = await testDevice();
});
afterAll(() => device?.destroy());

// Pipelines are compiled once per tiling (compiling dominates on lavapipe).
const passCache = new Map<string, unknown>();
function cached<T>(key: string, make: () => T): T {
  if (!passCache.has(key)) passCache.set(key, make());
  return passCache.get(key) as T;
}

const kRacerActivations: Activation[][] = [['relu'], ['sigmoid', 'tanh'], ['tanh', 'relu', 'sigmoid']];

function randomArray(n: number, seed: number, scale = 1): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: n }, () => (random() * 2 - 1) * scale);
}

/** Records the passes into one compute pass and submits it. */
async function run(gpu: GPUDevice, record: (pass: GPUComputePassEncoder) => void): Promise<void> {
  await withValidation(gpu, () => {
    const encoder = gpu.createCommandEncoder({ label: 'test.encoder' });
    const pass = encoder.beginComputePass({ label: 'test.pass' });
    record(pass);
    pass.end();
    gpu.queue.submit([encoder.finish()]);
  });
}

interface AffineCase {
  N: number;
  I: number;
  O: number;
  R: number;
  /** Layer 0 (shared input X0) or layer 1 of a 3-layer network (per-racer X, offsets not 0). */
  first: boolean;
  tiling?: MatmulTiling;
}

const kAffineCases: AffineCase[] = [
  { N: 5, I: 13, O: 7, R: 1, first: true },
  { N: 5, I: 13, O: 7, R: 3, first: false },
  { N: 1, I: 1, O: 1, R: 2, first: false },
  { N: 130, I: 785, O: 11, R: 2, first: true },
  { N: 33, I: 65, O: 31, R: 3, first: false },
  { N: 128, I: 100, O: 10, R: 2, first: false },
  { N: 37, I: 50, O: 45, R: 3, first: false, tiling: { threadsM: 4, threadsN: 16, tileK: 8 } },
  { N: 37, I: 50, O: 45, R: 2, first: true, tiling: { threadsM: 16, threadsN: 16, tileK: 4 } },
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

  it.for(kAffineCases.filter((c) => !c.first).map((c) => [caseName(c), c] as const))(
    'backward data matches the reference: %s', async ([, c], ctx) => {
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
    },
  );

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
    const forward = cached('forward{}', () => new AffineForwardPass(gpu));
    expect(() => forward.bindGroup({ X: small, params: small, Y: small, racerActivations: small, layer })).toThrow(/X \('test.small'\) has 8 bytes, needs at least 32/);
    expect(() => new AffineForwardPass(gpu, { threadsM: 32, threadsN: 32 })).toThrow(/threads per workgroup/);
    small.destroy();
    layer.destroy();
  });
});
