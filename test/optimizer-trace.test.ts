/**
 * The optimizer state the 2D race reads back (record-state.wgsl on the GPU, the reference's state on
 * the CPU) against Momentum and Adam on the seed function, two steps written out by hand in float64.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTrajectoryRaceCpu, runTrajectoryRaceGpu, TrajectoryPipelines, type TrajectoryConfig, type TrajectoryResult } from '../src/race2d/trajectory';
import { maxRelativeError, testDevice, withValidation } from './gpu';

let device: GPUDevice | undefined;
beforeAll(async () => {
  device = await testDevice();
});
afterAll(() => device?.destroy());

const config: TrajectoryConfig = {
  function: 'seed',
  start: [-7, 2],
  steps: 2,
  racers: [
    { optimizer: 'momentum', hyperparameters: { lr: 0.1, momentum: 0.9 } },
    { optimizer: 'adam', hyperparameters: { lr: 0.3, beta1: 0.9, beta2: 0.999 } },
  ],
};

// grad of x^2/20 + y^2 is (x/10, 2y).
const grad = ([x, y]: number[]): number[] => [x / 10, 2 * y];

function handMomentum(): { g: number[][]; v: number[][]; path: number[][] } {
  const out = { g: [] as number[][], v: [] as number[][], path: [[-7, 2]] };
  let v = [0, 0];
  for (let t = 1; t <= 2; t++) {
    const p = out.path[t - 1];
    const g = grad(p);
    v = [0.9 * v[0] - 0.1 * g[0], 0.9 * v[1] - 0.1 * g[1]];
    out.g.push(g);
    out.v.push(v);
    out.path.push([p[0] + v[0], p[1] + v[1]]);
  }
  return out;
}

function handAdam(): { g: number[][]; m: number[][]; v: number[][]; path: number[][] } {
  const out = { g: [] as number[][], m: [] as number[][], v: [] as number[][], path: [[-7, 2]] };
  let m = [0, 0];
  let v = [0, 0];
  for (let t = 1; t <= 2; t++) {
    const p = out.path[t - 1];
    const g = grad(p);
    m = m.map((mi, i) => 0.9 * mi + 0.1 * g[i]);
    v = v.map((vi, i) => 0.999 * vi + 0.001 * g[i] * g[i]);
    const mHat = m.map((mi) => mi / (1 - 0.9 ** t));
    const vHat = v.map((vi) => vi / (1 - 0.999 ** t));
    // The seed's form: lr_t = lr sqrt(1 - b2^t) / (1 - b1^t), eps 1e-7 added to sqrt(v).
    const lrT = (0.3 * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t);
    out.g.push(g);
    out.m.push(m);
    out.v.push(v);
    out.path.push(p.map((pi, i) => pi - (lrT * m[i]) / (Math.sqrt(v[i]) + 1e-7)));
    expect(mHat[0] / Math.sqrt(vHat[0])).toBeCloseTo(-1, 1);
  }
  return out;
}

function check([momentum, adam]: TrajectoryResult[], tolerance: number): void {
  const hm = handMomentum();
  const ha = handAdam();
  expect(Object.keys(momentum.trace!.state)).toEqual(['v']);
  expect(Object.keys(adam.trace!.state)).toEqual(['m', 'v']);
  expect(maxRelativeError(momentum.trace!.g.flat(), hm.g.flat())).toBeLessThan(tolerance);
  expect(maxRelativeError(momentum.trace!.state.v.flat(), hm.v.flat())).toBeLessThan(tolerance);
  expect(maxRelativeError(momentum.path.flat(), hm.path.flat())).toBeLessThan(tolerance);
  expect(maxRelativeError(adam.trace!.g.flat(), ha.g.flat())).toBeLessThan(tolerance);
  expect(maxRelativeError(adam.trace!.state.m.flat(), ha.m.flat())).toBeLessThan(tolerance);
  expect(maxRelativeError(adam.trace!.state.v.flat(), ha.v.flat())).toBeLessThan(tolerance);
  expect(maxRelativeError(adam.path.flat(), ha.path.flat())).toBeLessThan(tolerance);
}

describe('the optimizer trace of the 2D race', () => {
  it('CPU: g, v (Momentum) and g, m, v (Adam) after 2 steps equal the hand computation', () => {
    check(runTrajectoryRaceCpu(config, { trace: true }), 1e-12);
    // Hand values for the first Momentum step: v1 = -0.1 g0 = (0.07, -0.4).
    const [momentum] = runTrajectoryRaceCpu(config, { trace: true });
    expect(momentum.trace!.state.v[0][0]).toBeCloseTo(0.07, 12);
    expect(momentum.trace!.state.v[1][1]).toBeCloseTo(-0.68, 12);
  });

  it('WebGPU: the kernels’ own buffers, read back, equal the hand computation', async (ctx) => {
    if (!device) return ctx.skip();
    const gpu = device;
    const results = await withValidation(gpu, () => runTrajectoryRaceGpu(new TrajectoryPipelines(gpu), config, { trace: true }));
    check(results, 1e-4); // float32: v += (1 - beta2)(g² - v) rounds at ~1e-5 relative
  });

  it('leaves the trace out unless asked', () => {
    expect(runTrajectoryRaceCpu(config)[0].trace).toBeUndefined();
  });
});
