/**
 * Every optimizer kernel against its float64 TypeScript reference, and the seed's two Adam
 * exercises against the values the seed derives by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GpuOptimizerRun, ReferenceOptimizerRun } from '../src/optim/gpu-optimizer';
import { OptimizerPipelines } from '../src/optim/optimizer-pipelines';
import { kSeedOptimizerIds, optimizerIds, optimizerSpec, resolveHyperparameters, type ResolvedHyperparameters } from '../src/optim/registry';
import { maxRelativeError, seededRandom, testDevice, withValidation } from './gpu';

let device: GPUDevice | undefined;
let pipelines: OptimizerPipelines;
beforeAll(async () => {
  device = await testDevice();
  if (device) pipelines = new OptimizerPipelines(device);
});
afterAll(() => device?.destroy());

const asFloat32 = (h: ResolvedHyperparameters): ResolvedHyperparameters =>
  Object.fromEntries(Object.entries(h).map(([k, v]) => [k, Math.fround(v)])) as ResolvedHyperparameters;

// Sizes below, at and above the workgroup size (64), and not multiples of it.
const kSizes = [1, 2, 63, 64, 65, 1000, 4099];
const kSteps = 100;

describe.each(optimizerIds())('%s kernel', (id) => {
  it.for(kSizes)(`matches the reference over ${kSteps} steps on %i random parameters`, async (n, ctx) => {
    if (!device) return ctx.skip();
    const gpu = device;
    const spec = optimizerSpec(id);
    // Non-default hyperparameters exercise every uniform field.
    const hyper = resolveHyperparameters(spec, { lr: 0.05 });
    const random = seededRandom(n * 7 + id.length);
    const initial = Float32Array.from({ length: n }, () => random() * 4 - 2);
    // The uniform holds float32 hyperparameters: the reference gets the same values.
    const ref = new ReferenceOptimizerRun(spec, asFloat32(hyper), initial);
    const run = new GpuOptimizerRun(gpu, spec, hyper, initial, pipelines);
    await withValidation(gpu, async () => {
      for (let t = 0; t < kSteps; t++) {
        // Gradients as float32, so both sides see identical inputs.
        const g = Float32Array.from({ length: n }, () => random() * 2 - 1);
        run.step(g);
        ref.step(g);
      }
    });
    const out = await run.read();
    run.destroy();
    // Parameters that end near zero after travelling far carry the rounding of the whole path:
    // their error is measured against the scale they moved on (start and end).
    const scale = Math.max(...initial.map(Math.abs));
    expect(maxRelativeError(out.params, ref.params, scale)).toBeLessThan(1e-5);
    out.state.forEach((s, k) => expect(maxRelativeError(s, ref.state[k])).toBeLessThan(1e-5));
  });
});

describe("the seed's Adam exercises (lr 1, beta1 = beta2 = 1/2)", () => {
  const adam = optimizerSpec('adam');
  const hyper = resolveHyperparameters(adam, { lr: 1, beta1: 0.5, beta2: 0.5 });
  const exercises = [
    {
      name: 'f(x,y) = xy from (1, 2)',
      grad: ([x, y]: number[]) => [y, x],
      start: [1, 2],
      steps: [
        { g: [2, 1], m: [1, 1 / 2], v: [2, 1 / 2], mHat: [2, 1], vHat: [4, 1], x: [0, 1] },
        { g: [1, 0], m: [1, 1 / 4], v: [3 / 2, 1 / 4], mHat: [4 / 3, 1 / 3], vHat: [2, 1 / 3], x: [(-2 * Math.SQRT2) / 3, 1 - Math.sqrt(3) / 3] },
      ],
    },
    {
      name: 'f(x,y) = x^2 + xy from (1, 1)',
      grad: ([x, y]: number[]) => [2 * x + y, x],
      start: [1, 1],
      steps: [
        { g: [3, 1], m: [3 / 2, 1 / 2], v: [9 / 2, 1 / 2], mHat: [3, 1], vHat: [9, 1], x: [0, 0] },
        { g: [0, 0], m: [3 / 4, 1 / 4], v: [9 / 4, 1 / 4], mHat: [1, 1 / 3], vHat: [3, 1 / 3], x: [-Math.sqrt(3) / 3, -Math.sqrt(3) / 3] },
      ],
    },
  ];

  for (const ex of exercises) {
    it(`${ex.name}: g, m, v, m^, v^ and x after each step, on the GPU`, async (ctx) => {
      if (!device) return ctx.skip();
      const run = new GpuOptimizerRun(device, adam, hyper, Float32Array.from(ex.start), pipelines);
      let x = ex.start;
      for (const [i, expected] of ex.steps.entries()) {
        const g = ex.grad(x);
        expected.g.forEach((gk, k) => expect(g[k]).toBeCloseTo(gk, 6));
        run.step(Float32Array.from(g));
        const {
          params,
          state: [m, v],
        } = await run.read();
        const t = i + 1;
        const mHat = Array.from(m, (mi) => mi / (1 - 0.5 ** t));
        const vHat = Array.from(v, (vi) => vi / (1 - 0.5 ** t));
        // eps = 1e-7 in the denominator moves x by about 1e-7; float32 adds a few ulps.
        for (let k = 0; k < 2; k++) {
          expect(m[k]).toBeCloseTo(expected.m[k], 6);
          expect(v[k]).toBeCloseTo(expected.v[k], 6);
          expect(mHat[k]).toBeCloseTo(expected.mHat[k], 6);
          expect(vHat[k]).toBeCloseTo(expected.vHat[k], 6);
          expect(params[k]).toBeCloseTo(expected.x[k], 5);
        }
        x = Array.from(params);
      }
      run.destroy();
    });

    it(`${ex.name}: the float64 reference gives the same x`, () => {
      const ref = new ReferenceOptimizerRun(adam, hyper, ex.start);
      for (const expected of ex.steps) {
        ref.step(ex.grad(Array.from(ref.params)));
        expect(ref.params[0]).toBeCloseTo(expected.x[0], 6);
        expect(ref.params[1]).toBeCloseTo(expected.x[1], 6);
      }
    });
  }
});

describe('the registry', () => {
  it("has the seed's defaults", () => {
    const defaults = Object.fromEntries(kSeedOptimizerIds.map((id) => [id, resolveHyperparameters(optimizerSpec(id))]));
    expect(defaults.sgd.lr).toBe(0.01);
    expect(defaults.momentum).toMatchObject({ lr: 0.01, momentum: 0.9 });
    expect(defaults.nesterov).toMatchObject({ lr: 0.01, momentum: 0.9 });
    expect(defaults.adagrad.lr).toBe(0.01);
    expect(defaults.rmsprop).toMatchObject({ lr: 0.01, decay: 0.99 });
    expect(defaults.adam).toMatchObject({ lr: 0.001, beta1: 0.9, beta2: 0.999 });
  });

  it('rejects invalid hyperparameters with a clear message', () => {
    const adam = optimizerSpec('adam');
    expect(() => resolveHyperparameters(adam, { lr: 0 })).toThrow(/lr .* must be .* \(0, ∞\), got 0/);
    expect(() => resolveHyperparameters(adam, { lr: -1 })).toThrow(/lr/);
    expect(() => resolveHyperparameters(adam, { beta1: 1 })).toThrow(/beta1 .* \[0, 1\), got 1/);
    expect(() => resolveHyperparameters(adam, { beta2: -0.1 })).toThrow(/beta2/);
    expect(() => resolveHyperparameters(adam, { lr: Number.NaN })).toThrow(/got NaN/);
    expect(() => resolveHyperparameters(optimizerSpec('sgd'), { momentum: 0.9 })).toThrow(/SGD has no hyperparameter 'momentum'. Allowed: lr/);
    expect(() => optimizerSpec('rprop')).toThrow(/Known optimizers: sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw, lion, adadelta, adamax/);
    expect(optimizerSpec('RMSprop').id).toBe('rmsprop');
  });
});
