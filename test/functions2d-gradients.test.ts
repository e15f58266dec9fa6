/**
 * The 2D functions of the race, checked independently of their own formulas:
 *  - every function in the registry (kFunctionIds: a new one is covered without touching this
 *    file): the analytic CPU gradient against central differences of its value, in float64, at
 *    the start point, the listed minima and saddles, and points spread over the plot window;
 *  - the WGSL gradient (shaders/race2d/gradient2d.wgsl, selected by `index`) against the same
 *    central differences, at float32 tolerance. It is read through the race itself: one SGD step
 *    with lr 1 gives x1 = x0 - grad, so grad = x0 - x1;
 *  - the values against the standard definitions written out below, and hand-computed values;
 *  - the listed minima are local minima with zero gradient, the saddles have zero gradient and
 *    curvature of both signs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kFunctionIds, kFunctions, type Function2D, type Point } from '../src/race2d/functions';
import { runTrajectoryRaceGpu, TrajectoryPipelines } from '../src/race2d/trajectory';
import { testDevice, withValidation } from './gpu';

const f32 = Math.fround;
const kUlp32 = 2 ** -23;

// --- Numerical derivatives, float64 ---------------------------------------------------------------

/** Central differences with a step of 1e-5 relative to the coordinate (the step actually taken). */
function centralGradient(f: (x: number, y: number) => number, x: number, y: number): Point {
  const hx = 1e-5 * Math.max(1, Math.abs(x));
  const hy = 1e-5 * Math.max(1, Math.abs(y));
  return [(f(x + hx, y) - f(x - hx, y)) / (x + hx - (x - hx)), (f(x, y + hy) - f(x, y - hy)) / (y + hy - (y - hy))];
}

/** Hessian by central differences of a gradient; used as a scale and for the saddle check. */
function centralHessian(grad: (x: number, y: number) => Point, x: number, y: number): [[number, number], [number, number]] {
  const h = 1e-5 * Math.max(1, Math.abs(x), Math.abs(y));
  const [gx1, gy1] = grad(x + h, y);
  const [gx0, gy0] = grad(x - h, y);
  const [gx3, gy3] = grad(x, y + h);
  const [gx2, gy2] = grad(x, y - h);
  return [
    [(gx1 - gx0) / (2 * h), (gx3 - gx2) / (2 * h)],
    [(gy1 - gy0) / (2 * h), (gy3 - gy2) / (2 * h)],
  ];
}

const normInf = (v: readonly number[]) => Math.max(...v.map(Math.abs));

/**
 * Points to test a function at, all exactly representable in float32 (the GPU sees the same
 * point): the start, the minima and saddles, and six points spread over the plot window.
 */
function testPoints(fn: Function2D): { name: string; p: Point }[] {
  const spread: Point[] = [
    [0.2, 0.3],
    [0.8, 0.6],
    [0.5, 0.9],
    [0.1, 0.75],
    [0.65, 0.15],
    [0.35, 0.55],
  ];
  const {
    x: [x0, x1],
    y: [y0, y1],
  } = fn.view;
  const named: { name: string; p: Point }[] = [
    { name: 'start', p: fn.start },
    ...fn.minima.map((p, i) => ({ name: `minimum ${i}`, p })),
    ...fn.saddles.map((p, i) => ({ name: `saddle ${i}`, p })),
    ...spread.map(([u, v]) => ({ name: `(${u}, ${v}) of the window`, p: [x0 + u * (x1 - x0), y0 + v * (y1 - y0)] as Point })),
  ];
  return named.map(({ name, p }) => ({ name, p: [f32(p[0]), f32(p[1])] }));
}

// --- Independent definitions and hand-computed values ---------------------------------------------

/** The standard definitions, written out here; the functions with no entry get a todo. */
const kDefinitions: Partial<Record<string, (x: number, y: number) => number>> = {
  seed: (x, y) => x ** 2 / 20 + y ** 2,
  xy: (x, y) => x * y,
  x2xy: (x, y) => x ** 2 + x * y,
  rosenbrock: (x, y) => (1 - x) ** 2 + 100 * (y - x ** 2) ** 2,
  beale: (x, y) => (1.5 - x + x * y) ** 2 + (2.25 - x + x * y ** 2) ** 2 + (2.625 - x + x * y ** 3) ** 2,
  himmelblau: (x, y) => (x ** 2 + y - 11) ** 2 + (x + y ** 2 - 7) ** 2,
};

/**
 * Values worked by hand:
 *   seed(-7, 2) = 49/20 + 4 = 6.45;  xy(1, 2) = 2;  x2xy(1, 1) = 2, x2xy(-2, 3) = 4 - 6 = -2
 *   rosenbrock(-1.5, 2) = 2.5² + 100·(2 - 2.25)² = 6.25 + 6.25 = 12.5;  (0, 0) = 1;  (1, 1) = 0
 *   beale(0, 0) = 1.5² + 2.25² + 2.625² = 2.25 + 5.0625 + 6.890625 = 14.203125
 *   beale(1, 1.5) = (1.5 - 1 + 1.5)² + (2.25 - 1 + 2.25)² + (2.625 - 1 + 3.375)² = 4 + 12.25 + 25 = 41.25
 *   beale(3, 0.5) = (1.5 - 3 + 1.5)² + (2.25 - 3 + 0.75)² + (2.625 - 3 + 0.375)² = 0
 *   himmelblau(0, 0) = 121 + 49 = 170;  (3, 2) = (9 + 2 - 11)² + (3 + 4 - 7)² = 0;  (1, 1) = 81 + 25 = 106
 */
const kHandValues: Partial<Record<string, [number, number, number][]>> = {
  seed: [
    [-7, 2, 6.45],
    [0, 0, 0],
  ],
  xy: [
    [1, 2, 2],
    [-3, 0.5, -1.5],
  ],
  x2xy: [
    [1, 1, 2],
    [-2, 3, -2],
  ],
  rosenbrock: [
    [-1.5, 2, 12.5],
    [0, 0, 1],
    [1, 1, 0],
  ],
  beale: [
    [0, 0, 14.203125],
    [1, 1.5, 41.25],
    [3, 0.5, 0],
  ],
  himmelblau: [
    [0, 0, 170],
    [3, 2, 0],
    [1, 1, 106],
  ],
};

// --- CPU ------------------------------------------------------------------------------------------

describe('the CPU gradients against central differences (float64)', () => {
  it.for(kFunctionIds)('%s', (id) => {
    const fn = kFunctions[id];
    for (const {
      name,
      p: [x, y],
    } of testPoints(fn)) {
      const analytic = fn.grad(x, y);
      const numeric = centralGradient(fn.f, x, y);
      // Truncation O(h²·f''') and rounding O(eps64·|f|/h) are both far below this.
      const tol = 1e-6 * Math.max(1, normInf(numeric));
      for (let k = 0; k < 2; k++) {
        expect(Math.abs(analytic[k] - numeric[k]), `${id} at ${name} (${x}, ${y}), component ${k}`).toBeLessThan(tol);
      }
    }
  });
});

describe('the values against the standard definitions', () => {
  for (const id of kFunctionIds) {
    const definition = kDefinitions[id];
    if (!definition) {
      it.todo(`${id}: write its standard definition in this file`);
      continue;
    }
    it(`${id}: at the test points, and at values worked by hand`, () => {
      const fn = kFunctions[id];
      for (const {
        name,
        p: [x, y],
      } of testPoints(fn)) {
        const expected = definition(x, y);
        expect(Math.abs(fn.f(x, y) - expected), `${id} at ${name}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
      }
      for (const [x, y, value] of kHandValues[id] ?? []) {
        expect(fn.f(x, y), `${id}(${x}, ${y})`).toBeCloseTo(value, 12);
        expect(definition(x, y), `definition ${id}(${x}, ${y})`).toBeCloseTo(value, 12);
      }
    });
  }
});

describe('the listed minima and saddles', () => {
  it.for(kFunctionIds)('%s: minima are local minima with zero gradient; saddles have zero gradient and curvature of both signs', (id) => {
    const fn = kFunctions[id];
    for (const [x, y] of fn.minima) {
      // Minima are listed to 6 decimals (Himmelblau's): the gradient there is O(‖H‖·1e-6).
      const hess = centralHessian(fn.grad, x, y);
      expect(normInf(centralGradient(fn.f, x, y)), `${id} minimum (${x}, ${y})`).toBeLessThan(1e-5 * Math.max(1, normInf(hess.flat())));
      const f0 = fn.f(x, y);
      for (let k = 0; k < 8; k++) {
        const a = (k * Math.PI) / 4;
        const r = 1e-2;
        expect(fn.f(x + r * Math.cos(a), y + r * Math.sin(a)), `${id} around (${x}, ${y})`).toBeGreaterThan(f0);
      }
    }
    for (const [x, y] of fn.saddles) {
      expect(normInf(centralGradient(fn.f, x, y)), `${id} saddle (${x}, ${y})`).toBeLessThan(1e-9);
      const [[a, b], [c, d]] = centralHessian((u, v) => centralGradient(fn.f, u, v), x, y);
      // Indefinite: negative determinant (symmetric 2x2).
      expect(a * d - ((b + c) / 2) ** 2, `${id} saddle (${x}, ${y})`).toBeLessThan(0);
    }
  });
});

// --- GPU ------------------------------------------------------------------------------------------

let device: GPUDevice | undefined;
let pipelines: TrajectoryPipelines;
beforeAll(async () => {
  device = await testDevice();
  if (device) pipelines = new TrajectoryPipelines(device);
});
afterAll(() => device?.destroy());

/** The WGSL gradient at a float32 point: one SGD step with lr 1 from it, grad = x0 - x1. */
async function gpuGradient(id: (typeof kFunctionIds)[number], p: Point): Promise<{ start: Point; grad: Point }> {
  const [racer] = await runTrajectoryRaceGpu(pipelines, {
    function: id,
    start: p,
    steps: 1,
    racers: [{ optimizer: 'sgd', hyperparameters: { lr: 1 } }],
  });
  const [[x0, y0], [x1, y1]] = racer.path;
  return { start: [x0, y0], grad: [x0 - x1, y0 - y1] };
}

describe('the WGSL gradients against central differences (float32)', () => {
  it.for(kFunctionIds)('%s', async (id, ctx) => {
    if (!device) return ctx.skip();
    const gpu = device;
    const fn = kFunctions[id];
    await withValidation(gpu, async () => {
      for (const { name, p } of testPoints(fn)) {
        const { start, grad } = await gpuGradient(id, p);
        expect(start, `${id} at ${name}: the point the GPU started from`).toEqual(p);
        const [x, y] = p;
        const numeric = centralGradient(fn.f, x, y);
        // float32: the intermediate products are rounded (an error like moving the point by a few
        // ulps, i.e. ‖H‖·|p|·ulp) and so are the gradient and x1 = x0 - g (|g|, |p| times an ulp).
        const hess = centralHessian(fn.grad, x, y);
        const scale = Math.max(1, normInf(p), normInf(numeric)) + normInf(p) * normInf(hess.flat());
        const tol = 16 * kUlp32 * scale;
        for (let k = 0; k < 2; k++) {
          expect(Math.abs(grad[k] - numeric[k]), `${id} at ${name} (${x}, ${y}), component ${k}: GPU ${grad[k]}, central ${numeric[k]}`).toBeLessThan(tol);
        }
      }
    });
  });
});
