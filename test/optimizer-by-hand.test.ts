/**
 * Three steps of SGD, Momentum, Nesterov, AdaGrad and RMSprop worked by hand as exact fractions
 * (lr 1/2, μ = ρ = 1/2, g = 1, x0 = 0), against the float64 reference and the WGSL kernels.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hyperparameters } from '../src/optim/hyperparameters';
import { OptimizerPipelines } from '../src/optim/optimizer-pipelines';
import { gpuRun, referenceRun, type Id } from './fixtures/optimizer-runs';
import { testDevice } from './gpu';

let device: GPUDevice | undefined;
let pipelines: OptimizerPipelines;
beforeAll(async () => {
  device = await testDevice();
  if (device) pipelines = new OptimizerPipelines(device);
});
afterAll(() => device?.destroy());
afterAll(() => device?.destroy());

// --- Three steps by hand: lr 1/2, μ 1/2 (or ρ 1/2), g = 1, x0 = 0 -------------------------------

/*
 * SGD:      x = -1/2, -1, -3/2.
 * Momentum: v1 = -1/2,                x1 = -1/2
 *           v2 = -1/4 - 1/2 = -3/4,   x2 = -5/4
 *           v3 = -3/8 - 1/2 = -7/8,   x3 = -17/8
 * Nesterov: x1 = 0 + 0 - (3/2)(1/2) = -3/4,            v1 = -1/2
 *           x2 = -3/4 + (1/4)(-1/2) - 3/4 = -13/8,     v2 = -3/4
 *           x3 = -13/8 + (1/4)(-3/4) - 3/4 = -41/16,   v3 = -7/8
 * AdaGrad:  h = 1, 2, 3;  x = -1/2, -1/2 - 1/(2√2), -1/2 - 1/(2√2) - 1/(2√3)   (eps neglected)
 * RMSprop:  h = 1/2, 3/4, 7/8;  x1 = -(1/2)/√(1/2) = -√2/2,  x2 = x1 - (1/2)/√(3/4) = x1 - 1/√3,
 *           x3 = x2 - (1/2)/√(7/8) = x2 - √(2/7)                                    (eps neglected)
 * eps = 1e-7 moves the adaptive rules' x by about 1e-7 here, hence 6 digits for them.
 */
const r2 = Math.SQRT2;
const r3 = Math.sqrt(3);
const kByHand: { id: Id; hyper: Hyperparameters; x: number[]; state?: number[]; digits: number }[] = [
  { id: 'sgd', hyper: { lr: 0.5 }, x: [-1 / 2, -1, -3 / 2], digits: 12 },
  { id: 'momentum', hyper: { lr: 0.5, momentum: 0.5 }, x: [-1 / 2, -5 / 4, -17 / 8], state: [-1 / 2, -3 / 4, -7 / 8], digits: 12 },
  { id: 'nesterov', hyper: { lr: 0.5, momentum: 0.5 }, x: [-3 / 4, -13 / 8, -41 / 16], state: [-1 / 2, -3 / 4, -7 / 8], digits: 12 },
  { id: 'adagrad', hyper: { lr: 0.5 }, x: [-1 / 2, -1 / 2 - 1 / (2 * r2), -1 / 2 - 1 / (2 * r2) - 1 / (2 * r3)], state: [1, 2, 3], digits: 6 },
  {
    id: 'rmsprop',
    hyper: { lr: 0.5, decay: 0.5 },
    x: [-r2 / 2, -r2 / 2 - 1 / r3, -r2 / 2 - 1 / r3 - Math.sqrt(2 / 7)],
    state: [1 / 2, 3 / 4, 7 / 8],
    digits: 6,
  },
];

describe('three steps worked by hand (lr 1/2, μ = ρ = 1/2, g = 1, x0 = 0)', () => {
  it.for(kByHand)('$id: the float64 reference', ({ id, hyper, x, state, digits }) => {
    const run = referenceRun(id, hyper, [0]);
    for (let t = 0; t < 3; t++) {
      run.step([1]);
      const out = run.read();
      expect(out.x[0]).toBeCloseTo(x[t], digits);
      if (state) expect(out.state[0][0]).toBeCloseTo(state[t], 12);
    }
  });

  it.for(kByHand)('$id: the WGSL kernel', async ({ id, hyper, x, state }, ctx) => {
    if (!device) return ctx.skip();
    const run = gpuRun(device, pipelines, id, hyper, [0]);
    for (let t = 0; t < 3; t++) {
      run.step([1]);
      const out = await run.read();
      expect(out.x[0]).toBeCloseTo(x[t], 6);
      if (state) expect(out.state[0][0]).toBeCloseTo(state[t], 6);
    }
    run.destroy();
  });
});
