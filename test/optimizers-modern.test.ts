/**
 * AdamW, Lion, AdaDelta and Adamax against float64 computations written here from the issue's
 * formulas (PyTorch's torch.optim pseudocode; Lion: arXiv 2302.06675, Algorithm 2), not from the
 * references in src/optim/registry.ts: several steps of the 2D race on f = x² + xy with
 * non-default hyperparameters, on the CPU path (float64, to 1e-12) and on WebGPU (float32), plus
 * each rule's first step in closed form.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTrajectoryRaceCpu, runTrajectoryRaceGpu, TrajectoryPipelines, type TrajectoryConfig } from '../src/race2d/trajectory';
import { testDevice } from './gpu';

type Vec = [number, number];
type Hyper = Record<string, number>;
/** One optimizer's state machine on a 2-vector: step(p, g, t) returns the next p. */
type Rule = () => (p: Vec, g: Vec, t: number) => Vec;

const grad = ([x, y]: Vec): Vec => [2 * x + y, x]; // f = x² + xy
const map = (a: Vec, f: (v: number, i: number) => number): Vec => [f(a[0], 0), f(a[1], 1)];

const rules: Record<string, (h: Hyper) => Rule> = {
  // p -= lr·wd·p; then the seed's Adam (m, v, lr_t = lr·√(1−β2ᵗ)/(1−β1ᵗ), eps 1e-7 outside the sqrt).
  adamw: (h) => () => {
    let m: Vec = [0, 0];
    let v: Vec = [0, 0];
    return (p, g, t) => {
      const decayed = map(p, (pi) => pi - h.lr * h.weight_decay * pi);
      m = map(m, (mi, i) => mi + (1 - h.beta1) * (g[i] - mi));
      v = map(v, (vi, i) => vi + (1 - h.beta2) * (g[i] * g[i] - vi));
      const lrT = (h.lr * Math.sqrt(1 - h.beta2 ** t)) / (1 - h.beta1 ** t);
      return map(decayed, (pi, i) => pi - (lrT * m[i]) / (Math.sqrt(v[i]) + 1e-7));
    };
  },
  // c = β1·m + (1−β1)·g; p −= lr·(sign(c) + wd·p); m = β2·m + (1−β2)·g.
  lion: (h) => () => {
    let m: Vec = [0, 0];
    return (p, g) => {
      const c = map(m, (mi, i) => h.beta1 * mi + (1 - h.beta1) * g[i]);
      const next = map(p, (pi, i) => pi - h.lr * (Math.sign(c[i]) + h.weight_decay * pi));
      m = map(m, (mi, i) => h.beta2 * mi + (1 - h.beta2) * g[i]);
      return next;
    };
  },
  // v = ρv + (1−ρ)g²; d = √(u+eps)/√(v+eps)·g; u = ρu + (1−ρ)d²; p −= lr·d (eps 1e-6).
  adadelta: (h) => () => {
    let v: Vec = [0, 0];
    let u: Vec = [0, 0];
    return (p, g) => {
      v = map(v, (vi, i) => h.rho * vi + (1 - h.rho) * g[i] * g[i]);
      const d = map(g, (gi, i) => (Math.sqrt(u[i] + 1e-6) / Math.sqrt(v[i] + 1e-6)) * gi);
      u = map(u, (ui, i) => h.rho * ui + (1 - h.rho) * d[i] * d[i]);
      return map(p, (pi, i) => pi - h.lr * d[i]);
    };
  },
  // m = β1·m + (1−β1)·g; u = max(β2·u, |g| + eps); p −= lr/(1−β1ᵗ)·m/u (eps 1e-8).
  adamax: (h) => () => {
    let m: Vec = [0, 0];
    let u: Vec = [0, 0];
    return (p, g, t) => {
      m = map(m, (mi, i) => h.beta1 * mi + (1 - h.beta1) * g[i]);
      u = map(u, (ui, i) => Math.max(h.beta2 * ui, Math.abs(g[i]) + 1e-8));
      return map(p, (pi, i) => pi - (h.lr / (1 - h.beta1 ** t)) * (m[i] / u[i]));
    };
  },
};

const kCases: { optimizer: string; hyperparameters: Hyper }[] = [
  { optimizer: 'adamw', hyperparameters: { lr: 0.05, beta1: 0.8, beta2: 0.95, weight_decay: 0.2 } },
  { optimizer: 'lion', hyperparameters: { lr: 0.03, beta1: 0.7, beta2: 0.9, weight_decay: 0.1 } },
  { optimizer: 'adadelta', hyperparameters: { lr: 2, rho: 0.8 } },
  { optimizer: 'adamax', hyperparameters: { lr: 0.04, beta1: 0.75, beta2: 0.9 } },
];
const kStart: Vec = [1.5, -0.5];
const kSteps = 12;

function expectedPath(optimizer: string, h: Hyper): Vec[] {
  const step = rules[optimizer](h)();
  const path: Vec[] = [kStart];
  for (let t = 1; t <= kSteps; t++) {
    const p = path[t - 1];
    path.push(step(p, grad(p), t));
  }
  return path;
}

const config = (c: (typeof kCases)[number]): TrajectoryConfig => ({ function: 'x2xy', start: kStart, steps: kSteps, racers: [c] });

let device: GPUDevice | undefined;
beforeAll(async () => {
  device = await testDevice();
});
afterAll(() => device?.destroy());

describe('AdamW, Lion, AdaDelta and Adamax against independent float64 steps', () => {
  it.for(kCases)('$optimizer: the CPU path, 12 steps, to 1e-12', (c) => {
    const [result] = runTrajectoryRaceCpu(config(c));
    const expected = expectedPath(c.optimizer, c.hyperparameters);
    expect(result.path).toHaveLength(kSteps + 1);
    result.path.forEach((p, t) => {
      expect(Math.abs(p[0] - expected[t][0]), `x at step ${t}`).toBeLessThan(1e-12);
      expect(Math.abs(p[1] - expected[t][1]), `y at step ${t}`).toBeLessThan(1e-12);
    });
    expect(result.path[kSteps]).not.toEqual(kStart);
  });

  it.for(kCases)('$optimizer: the WGSL kernel, 12 steps, to float32 precision', async (c, ctx) => {
    if (!device) return ctx.skip();
    const [result] = await runTrajectoryRaceGpu(new TrajectoryPipelines(device), config(c));
    const expected = expectedPath(c.optimizer, c.hyperparameters);
    result.path.forEach((p, t) => {
      expect(Math.abs(p[0] - expected[t][0]), `x at step ${t}`).toBeLessThan(2e-5);
      expect(Math.abs(p[1] - expected[t][1]), `y at step ${t}`).toBeLessThan(2e-5);
    });
  });

  it('takes the first step each rule gives in closed form', () => {
    const g = grad(kStart); // (2.5, 1.5): both positive
    const first = (c: (typeof kCases)[number]) => runTrajectoryRaceCpu(config(c))[0].path[1];
    const [adamw, lion, adadelta, adamax] = kCases;
    // AdamW: m = (1−β1)g, v = (1−β2)g², so m/√v = g/|g|·(1−β1)/√(1−β2) and lr_t cancels to lr·sign(g) (eps aside).
    const aw = adamw.hyperparameters;
    const awEps = (1e-7 * (1 - aw.beta1)) / Math.sqrt(1 - aw.beta2);
    expect(first(adamw)[0]).toBeCloseTo(kStart[0] * (1 - aw.lr * aw.weight_decay) - (aw.lr * g[0]) / (g[0] + awEps / (1 - aw.beta1)), 12);
    // Lion: m = 0, so c = (1−β1)g and the step is lr·(sign(g) + wd·p).
    const li = lion.hyperparameters;
    expect(first(lion)).toEqual([kStart[0] - li.lr * (1 + li.weight_decay * kStart[0]), kStart[1] - li.lr * (1 + li.weight_decay * kStart[1])]);
    // AdaDelta: u = 0, v = (1−ρ)g², d = √eps/√((1−ρ)g²+eps)·g.
    const ad = adadelta.hyperparameters;
    const d0 = (Math.sqrt(1e-6) / Math.sqrt((1 - ad.rho) * g[0] * g[0] + 1e-6)) * g[0];
    expect(first(adadelta)[0]).toBeCloseTo(kStart[0] - ad.lr * d0, 14);
    // Adamax: m/(1−β1) = g, u = |g| + eps: the step is lr·g/(|g|+eps).
    const am = adamax.hyperparameters;
    expect(first(adamax)[1]).toBeCloseTo(kStart[1] - (am.lr * g[1]) / (g[1] + 1e-8), 14);
  });
});
