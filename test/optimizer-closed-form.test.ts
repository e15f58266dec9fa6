/**
 * SGD, Momentum, Nesterov, AdaGrad and RMSprop against values derived independently of
 * src/optim/registry.ts: closed-form solutions of each rule (as the seed README writes it) on
 * 1D problems — a quadratic f(x) = a/2·x² (gradient a·x), a constant gradient, an alternating one,
 * a linearly growing one (the steps worked by hand are in optimizer-by-hand.test.ts).
 *
 * Both the float64 reference (ReferenceOptimizerRun → spec.reference) and the WGSL kernel
 * (GpuOptimizerRun) are checked: the reference to 1e-12, the kernel to float32 tolerance.
 * Every run goes "closed loop": the gradient of step t is computed, here, from the run's own x
 * after step t-1 (for the GPU: read back after every step), so the run really optimises f.
 *
 * The rules (seed README, eps = 1e-7, all state zero at the start), with k = lr·a:
 *   SGD       x -= lr·g
 *   Momentum  v = μv - lr·g;  x += v
 *   Nesterov  x += μ²v;  x -= (1+μ)·lr·g;  v = μv - lr·g     (x uses v from before the step)
 *   AdaGrad   h += g²;  x -= lr·g/(√h + eps)
 *   RMSprop   h = ρh + (1-ρ)g²;  x -= lr·g/(√h + eps)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hyperparameters } from '../src/optim/hyperparameters';
import { OptimizerPipelines } from '../src/optim/optimizer-pipelines';
import { f32, gpuRun, kEps, referenceRun, type Id } from './fixtures/optimizer-runs';
import { testDevice, withValidation } from './gpu';

// --- Closed forms, derived from the rules above (not from the code under test) ---------------

interface Exact {
  x: number;
  /** The optimizer's state vector (v or h) after the step, when the rule has one. */
  state?: number;
}

/**
 * The solution of s_t = T·s_{t-1} - D·s_{t-2} with given s_0, s_1, by its characteristic roots
 * r² - T·r + D = 0: two real roots A·r1^t + B·r2^t, a double root (A + B·t)·r^t, or complex roots
 * ρ^t (C·cos tθ + E·sin tθ) with ρ = √D, cos θ = T/(2ρ).
 */
function secondOrder(T: number, D: number, s0: number, s1: number, t: number): number {
  const disc = T * T - 4 * D;
  if (disc > 0) {
    const r1 = (T + Math.sqrt(disc)) / 2;
    const r2 = (T - Math.sqrt(disc)) / 2;
    const A = (s1 - r2 * s0) / (r1 - r2);
    return A * r1 ** t + (s0 - A) * r2 ** t;
  }
  if (disc === 0) {
    const r = T / 2;
    return (s0 + (s1 / r - s0) * t) * r ** t;
  }
  const rho = Math.sqrt(D);
  const theta = Math.acos(T / (2 * rho));
  const E = (s1 / rho - s0 * Math.cos(theta)) / Math.sin(theta);
  return rho ** t * (s0 * Math.cos(t * theta) + E * Math.sin(t * theta));
}

const closedForm = {
  /** SGD on a/2·x²: x_t = (1 - k)^t x0. */
  sgdQuadratic:
    (lr: number, a: number, x0: number) =>
    (t: number): Exact => ({ x: (1 - lr * a) ** t * x0 }),

  /** SGD, constant g: x_t = x0 - t·lr·g. */
  sgdConstant:
    (lr: number, g: number, x0: number) =>
    (t: number): Exact => ({ x: x0 - t * lr * g }),

  /**
   * Momentum, constant g: v_t = -lr·g·(1 - μ^t)/(1 - μ), and x_t = x0 + Σ_{k=1..t} v_k
   * = x0 - lr·g/(1-μ)·(t - μ(1 - μ^t)/(1 - μ)).
   */
  momentumConstant:
    (lr: number, mu: number, g: number, x0: number) =>
    (t: number): Exact => ({
      x: x0 - ((lr * g) / (1 - mu)) * (t - (mu * (1 - mu ** t)) / (1 - mu)),
      state: (-lr * g * (1 - mu ** t)) / (1 - mu),
    }),

  /**
   * Momentum on a/2·x²: v_t = x_t - x_{t-1}, so x_t = x_{t-1} + μ(x_{t-1} - x_{t-2}) - k·x_{t-1},
   * i.e. x_t = (1 + μ - k)·x_{t-1} - μ·x_{t-2}, with x_1 = (1 - k)·x0 (v_0 = 0).
   */
  momentumQuadratic:
    (lr: number, mu: number, a: number, x0: number) =>
    (t: number): Exact => {
      const k = lr * a;
      const x = (s: number) => secondOrder(1 + mu - k, mu, x0, (1 - k) * x0, s);
      return { x: x(t), state: t === 0 ? 0 : x(t) - x(t - 1) };
    },

  /**
   * Nesterov, constant g: v_t is Momentum's, v_t = -lr·g(1 - μ^t)/(1 - μ), and
   * x_t = x0 - t(1+μ)·lr·g + μ²·Σ_{k=0..t-1} v_k with Σ_{k=0..t-1} v_k = -lr·g/(1-μ)·(t - (1-μ^t)/(1-μ)).
   */
  nesterovConstant:
    (lr: number, mu: number, g: number, x0: number) =>
    (t: number): Exact => ({
      x: x0 - t * (1 + mu) * lr * g - ((mu * mu * lr * g) / (1 - mu)) * (t - (1 - mu ** t) / (1 - mu)),
      state: (-lr * g * (1 - mu ** t)) / (1 - mu),
    }),

  /**
   * Nesterov on a/2·x²: the state (x, v) evolves by M = [[1 - (1+μ)k, μ²], [-k, μ]], whose trace is
   * T = (1+μ)(1-k) and determinant D = μ(1-k); by Cayley–Hamilton x_t = T·x_{t-1} - D·x_{t-2},
   * with x_1 = (1 - (1+μ)k)·x0. The velocity follows from the first row: μ²·v_t = x_{t+1} - (1 - (1+μ)k)·x_t.
   */
  nesterovQuadratic:
    (lr: number, mu: number, a: number, x0: number) =>
    (t: number): Exact => {
      const k = lr * a;
      const c = 1 - (1 + mu) * k;
      const x = (s: number) => secondOrder((1 + mu) * (1 - k), mu * (1 - k), x0, c * x0, s);
      return { x: x(t), state: (x(t + 1) - c * x(t)) / (mu * mu) };
    },

  /**
   * AdaGrad with gradient sequence g_1, g_2, …: h_t = Σ g_k², x_t = x0 - Σ lr·g_k/(√h_k + eps).
   * For constant g, h_t = t·g²; for g_k = c·k, h_t = c²·t(t+1)(2t+1)/6.
   */
  adagrad:
    (lr: number, x0: number, g: (k: number) => number, h: (t: number) => number) =>
    (t: number): Exact => {
      let x = x0;
      for (let k = 1; k <= t; k++) x -= (lr * g(k)) / (Math.sqrt(h(k)) + kEps);
      return { x, state: h(t) };
    },

  /**
   * RMSprop with |g_k| = m constant (any signs): h_t = (1 - ρ^t)·m², x_t = x0 - Σ lr·g_k/(m√(1-ρ^k) + eps).
   */
  rmsprop:
    (lr: number, rho: number, x0: number, g: (k: number) => number, m: number) =>
    (t: number): Exact => {
      let x = x0;
      for (let k = 1; k <= t; k++) x -= (lr * g(k)) / (m * Math.sqrt(1 - rho ** k) + kEps);
      return { x, state: (1 - rho ** t) * m * m };
    },
};

// --- Cases: one optimizer, one set of hyperparameters, several independent 1D lanes -----------

interface Lane {
  name: string;
  x0: number;
  /** Gradient of step t (1-based) at the current x. */
  grad: (x: number, t: number) => number;
  exact: (t: number) => Exact;
}

interface Case {
  id: Id;
  hyper: Hyperparameters;
  steps: number;
  lanes: Lane[];
}

const quadratic = (a: number) => (x: number) => a * x;
const constant = (g: number) => () => g;

function quadLanes(a: number[], x0: number[], exact: (a: number, x0: number) => (t: number) => Exact): Lane[] {
  return a.map((ai, i) => ({ name: `a = ${ai}, x0 = ${x0[i]}`, x0: x0[i], grad: quadratic(ai), exact: exact(ai, x0[i]) }));
}

function constLanes(g: number[], x0: number[], exact: (g: number, x0: number) => (t: number) => Exact): Lane[] {
  return g.map((gi, i) => ({ name: `g = ${gi}, x0 = ${x0[i]}`, x0: x0[i], grad: constant(gi), exact: exact(gi, x0[i]) }));
}

const kCases: (Case & { name: string })[] = [
  {
    name: 'SGD on quadratics (contracting, oscillating: 1 - lr·a = 0.8, -0.6)',
    id: 'sgd',
    hyper: { lr: 0.2 },
    steps: 25,
    lanes: quadLanes([1, 8], [3, -2], (a, x0) => closedForm.sgdQuadratic(0.2, a, x0)),
  },
  {
    name: 'SGD with constant gradients (default lr)',
    id: 'sgd',
    hyper: {},
    steps: 20,
    lanes: constLanes([1, -3.5], [0.5, 2], (g, x0) => closedForm.sgdConstant(0.01, g, x0)),
  },
  {
    // T = 1.2, D = 0.25 (real roots); k = 0.25 is critical damping (T = 1, double root 1/2);
    // k = 1 gives T = 0.25 < 2√D (complex roots, oscillating).
    name: 'Momentum (lr 0.5, μ 0.25) on quadratics: overdamped, critically damped, underdamped',
    id: 'momentum',
    hyper: { lr: 0.5, momentum: 0.25 },
    steps: 30,
    lanes: quadLanes([0.1, 0.5, 2], [4, -1, 1.5], (a, x0) => closedForm.momentumQuadratic(0.5, 0.25, a, x0)),
  },
  {
    // k = 0.1, μ = 0.9: complex roots of modulus √0.9, a slow spiral.
    name: 'Momentum at its default μ 0.9 (lr 0.02) on an underdamped quadratic',
    id: 'momentum',
    hyper: { lr: 0.02 },
    steps: 40,
    lanes: quadLanes([5], [-3], (a, x0) => closedForm.momentumQuadratic(0.02, 0.9, a, x0)),
  },
  {
    name: 'Momentum (lr 0.1, μ 0.7) with constant gradients',
    id: 'momentum',
    hyper: { lr: 0.1, momentum: 0.7 },
    steps: 25,
    lanes: constLanes([1, -0.25], [0, 3], (g, x0) => closedForm.momentumConstant(0.1, 0.7, g, x0)),
  },
  {
    // k = 0.1: T = 1.35, D = 0.45 (real roots); k = 0.5: T = 0.75, D = 0.25 (complex);
    // k = 1.2: T = -0.3, D = -0.1 (real roots 0.2 and -0.5).
    name: 'Nesterov (lr 0.1, μ 0.5) on quadratics: real, complex and negative roots',
    id: 'nesterov',
    hyper: { lr: 0.1, momentum: 0.5 },
    steps: 30,
    lanes: quadLanes([1, 5, 12], [2, -1, 0.75], (a, x0) => closedForm.nesterovQuadratic(0.1, 0.5, a, x0)),
  },
  {
    name: 'Nesterov at its default μ 0.9 (lr 0.05) with constant gradients',
    id: 'nesterov',
    hyper: { lr: 0.05 },
    steps: 25,
    lanes: constLanes([1, -2], [1, -0.5], (g, x0) => closedForm.nesterovConstant(0.05, 0.9, g, x0)),
  },
  {
    name: 'AdaGrad (lr 0.3): constant gradients of three sizes, and g_t = 0.5·t',
    id: 'adagrad',
    hyper: { lr: 0.3 },
    steps: 30,
    lanes: [
      ...[1, -4, 0.01].map(
        (g, i): Lane => ({
          name: `g = ${g}`,
          x0: [1, -1, 2][i],
          grad: constant(g),
          exact: closedForm.adagrad(
            0.3,
            [1, -1, 2][i],
            () => g,
            (t) => t * g * g,
          ),
        }),
      ),
      {
        name: 'g_t = 0.5·t',
        x0: 5,
        grad: (_x, t) => 0.5 * t,
        exact: closedForm.adagrad(
          0.3,
          5,
          (k) => 0.5 * k,
          (t) => (0.25 * t * (t + 1) * (2 * t + 1)) / 6,
        ),
      },
    ],
  },
  {
    name: 'RMSprop (lr 0.05, ρ 0.9): constant gradients and an alternating one',
    id: 'rmsprop',
    hyper: { lr: 0.05, decay: 0.9 },
    steps: 30,
    lanes: [
      ...[2, -0.5].map(
        (g, i): Lane => ({
          name: `g = ${g}`,
          x0: [1, -2][i],
          grad: constant(g),
          exact: closedForm.rmsprop(0.05, 0.9, [1, -2][i], () => g, Math.abs(g)),
        }),
      ),
      {
        name: 'g_t = 3·(-1)^(t+1)',
        x0: 0.5,
        grad: (_x, t) => (t % 2 === 1 ? 3 : -3),
        exact: closedForm.rmsprop(0.05, 0.9, 0.5, (k) => (k % 2 === 1 ? 3 : -3), 3),
      },
    ],
  },
  {
    name: 'RMSprop at its default ρ 0.99 (lr 0.01) with a constant gradient',
    id: 'rmsprop',
    hyper: {},
    steps: 20,
    lanes: [{ name: 'g = 1', x0: 0, grad: constant(1), exact: closedForm.rmsprop(0.01, 0.99, 0, () => 1, 1) }],
  },
];

/** The scale a lane's values move on, for relative errors of values that cross zero. */
function laneScale(lane: Lane, steps: number, pick: (e: Exact) => number): number {
  let s = 0;
  for (let t = 0; t <= steps; t++) s = Math.max(s, Math.abs(pick(lane.exact(t))));
  return s;
}

// --- The closed forms themselves, against the rules iterated by hand here ---------------------

describe('the closed forms (sanity: against the rules iterated literally, in this file)', () => {
  it('secondOrder solves its recurrence for real, double and complex roots', () => {
    for (const [T, D] of [
      [1.2, 0.25],
      [1, 0.25],
      [0.25, 0.25],
      [-0.3, -0.1],
      [1.8, 0.9],
    ]) {
      let [s0, s1] = [1.5, -0.7];
      for (let t = 2; t <= 30; t++) {
        [s0, s1] = [s1, T * s1 - D * s0];
        expect(secondOrder(T, D, 1.5, -0.7, t)).toBeCloseTo(s1, 12);
      }
    }
  });

  it('Momentum and Nesterov quadratic forms match the rules written out', () => {
    const [lr, mu, a, x0] = [0.1, 0.6, 3, 2];
    let [xm, vm] = [x0, 0];
    let [xn, vn] = [x0, 0];
    for (let t = 1; t <= 30; t++) {
      vm = mu * vm - lr * a * xm;
      xm += vm;
      const g = a * xn;
      xn += mu * mu * vn - (1 + mu) * lr * g;
      vn = mu * vn - lr * g;
      expect(closedForm.momentumQuadratic(lr, mu, a, x0)(t).x).toBeCloseTo(xm, 12);
      expect(closedForm.momentumQuadratic(lr, mu, a, x0)(t).state).toBeCloseTo(vm, 12);
      expect(closedForm.nesterovQuadratic(lr, mu, a, x0)(t).x).toBeCloseTo(xn, 12);
      expect(closedForm.nesterovQuadratic(lr, mu, a, x0)(t).state).toBeCloseTo(vn, 12);
    }
  });
});

// --- The float64 reference ---------------------------------------------------------------------

describe('the float64 reference against the closed forms', () => {
  it.for(kCases)('$name', ({ id, hyper, steps, lanes }) => {
    const run = referenceRun(
      id,
      hyper,
      lanes.map((l) => l.x0),
    );
    for (let t = 1; t <= steps; t++) {
      const before = run.read().x;
      run.step(lanes.map((l, i) => l.grad(before[i], t)));
      const { x, state } = run.read();
      lanes.forEach((lane, i) => {
        const exact = lane.exact(t);
        const xScale = Math.max(
          1,
          laneScale(lane, steps, (e) => e.x),
        );
        expect(Math.abs(x[i] - exact.x) / xScale, `${lane.name}, x after step ${t}`).toBeLessThan(1e-12);
        if (exact.state !== undefined) {
          const sScale = Math.max(
            1e-3,
            laneScale(lane, steps, (e) => e.state ?? 0),
          );
          expect(Math.abs(state[0][i] - exact.state) / sScale, `${lane.name}, state after step ${t}`).toBeLessThan(1e-12);
        }
      });
    }
  });
});

// --- The WGSL kernels ----------------------------------------------------------------------------

let device: GPUDevice | undefined;
let pipelines: OptimizerPipelines;
beforeAll(async () => {
  device = await testDevice();
  if (device) pipelines = new OptimizerPipelines(device);
});
afterAll(() => device?.destroy());

describe('the WGSL kernels against the closed forms (float32)', () => {
  it.for(kCases)('$name', async ({ id, hyper, steps, lanes }, ctx) => {
    if (!device) return ctx.skip();
    const gpu = device;
    const run = gpuRun(
      gpu,
      pipelines,
      id,
      hyper,
      lanes.map((l) => f32(l.x0)),
    );
    await withValidation(gpu, async () => {
      let x = (await run.read()).x;
      for (let t = 1; t <= steps; t++) {
        // The gradient at the kernel's own x, rounded to float32 once.
        run.step(lanes.map((l, i) => f32(l.grad(x[i], t))));
        const out = await run.read();
        x = out.x;
        lanes.forEach((lane, i) => {
          const exact = lane.exact(t);
          const xScale = Math.max(
            1,
            laneScale(lane, steps, (e) => e.x),
          );
          expect(Math.abs(out.x[i] - exact.x) / xScale, `${lane.name}, x after step ${t}`).toBeLessThan(1e-5);
          if (exact.state !== undefined) {
            const sScale = Math.max(
              1e-3,
              laneScale(lane, steps, (e) => e.state ?? 0),
            );
            expect(Math.abs(out.state[0][i] - exact.state) / sScale, `${lane.name}, state after step ${t}`).toBeLessThan(1e-5);
          }
        });
      }
    });
    run.destroy();
  });
});
