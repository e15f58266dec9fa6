/**
 * The 2D functions the optimizers race on: the seed's x^2/20 + y^2, the two Adam exercises
 * (saddles) and three classic test functions. `index` selects the same function in
 * shaders/race2d/gradient2d.wgsl; tests check the two agree.
 */

export type Point = [number, number];
/** A plot window: the x and y ranges shown. */
export type View = { x: Point; y: Point };

export interface Function2D {
  /** A FunctionId, or a typed function's normalized text (src/race2d/typed-function.ts). */
  id: string;
  /** The named function's case in shaders/race2d/functions2d.wgsl; unused for a typed function. */
  index: number;
  label: string;
  /** The formula as a person reads it. */
  formula: string;
  f(x: number, y: number): number;
  grad(x: number, y: number): Point;
  /** Default start and plot window. */
  start: Point;
  view: View;
  /** Minima (marked '+') and saddle points (marked 'x'). */
  minima: Point[];
  saddles: Point[];
  /** Contour levels for `view`, increasing. */
  levels: number[];
  /** A typed function's generated `fn gradient` (src/race2d/expression-wgsl.ts); absent for the named ones. */
  gradientWgsl?: string;
}

export const kFunctionIds = ['seed', 'xy', 'x2xy', 'rosenbrock', 'beale', 'himmelblau'] as const;
export type FunctionId = (typeof kFunctionIds)[number];

const geometric = (lo: number, hi: number, n: number): number[] => Array.from({ length: n }, (_, i) => lo * (hi / lo) ** (i / (n - 1)));
const linear = (lo: number, hi: number, n: number): number[] => Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));

export const kFunctions: Readonly<Record<FunctionId, Function2D & { id: FunctionId }>> = {
  seed: {
    id: 'seed',
    index: 0,
    label: 'Seed: x²/20 + y²',
    formula: 'f(x, y) = x²/20 + y²',
    f: (x, y) => (x * x) / 20 + y * y,
    grad: (x, y) => [x / 10, 2 * y],
    start: [-7, 2],
    view: { x: [-10, 10], y: [-10, 10] },
    minima: [[0, 0]],
    saddles: [],
    // The seed draws contours only where f <= 7.
    levels: [0.25, 0.5, 1, 1.5, 2, 3, 4, 5, 6, 7],
  },
  xy: {
    id: 'xy',
    index: 1,
    label: 'Exercise 1: xy (saddle)',
    formula: 'f(x, y) = xy',
    f: (x, y) => x * y,
    grad: (x, y) => [y, x],
    start: [1, 2],
    view: { x: [-3, 3], y: [-3, 3] },
    minima: [],
    saddles: [[0, 0]],
    levels: linear(-4, 4, 17),
  },
  x2xy: {
    id: 'x2xy',
    index: 2,
    label: 'Exercise 2: x² + xy (saddle)',
    formula: 'f(x, y) = x² + xy',
    f: (x, y) => x * x + x * y,
    grad: (x, y) => [2 * x + y, x],
    start: [1, 1],
    view: { x: [-3, 3], y: [-3, 3] },
    minima: [],
    saddles: [[0, 0]],
    levels: linear(-4, 8, 13),
  },
  rosenbrock: {
    id: 'rosenbrock',
    index: 3,
    label: 'Rosenbrock',
    formula: 'f(x, y) = (1 − x)² + 100(y − x²)²',
    f: (x, y) => (1 - x) ** 2 + 100 * (y - x * x) ** 2,
    grad: (x, y) => [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)],
    start: [-1.5, 2],
    view: { x: [-2, 2], y: [-1, 3] },
    minima: [[1, 1]],
    saddles: [],
    levels: geometric(0.1, 1000, 12),
  },
  beale: {
    id: 'beale',
    index: 4,
    label: 'Beale',
    formula: 'f(x, y) = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²',
    f: (x, y) => (1.5 - x + x * y) ** 2 + (2.25 - x + x * y * y) ** 2 + (2.625 - x + x * y ** 3) ** 2,
    grad: (x, y) => {
      const a = 1.5 - x + x * y;
      const b = 2.25 - x + x * y * y;
      const c = 2.625 - x + x * y ** 3;
      return [2 * a * (y - 1) + 2 * b * (y * y - 1) + 2 * c * (y ** 3 - 1), 2 * a * x + 4 * b * x * y + 6 * c * x * y * y];
    },
    start: [1, 1.5],
    view: { x: [-4.5, 4.5], y: [-4.5, 4.5] },
    minima: [[3, 0.5]],
    saddles: [],
    levels: geometric(0.1, 10000, 12),
  },
  himmelblau: {
    id: 'himmelblau',
    index: 5,
    label: 'Himmelblau',
    formula: 'f(x, y) = (x² + y − 11)² + (x + y² − 7)²',
    f: (x, y) => (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2,
    grad: (x, y) => {
      const a = x * x + y - 11;
      const b = x + y * y - 7;
      return [4 * a * x + 2 * b, 2 * a + 4 * b * y];
    },
    start: [0, 0],
    view: { x: [-6, 6], y: [-6, 6] },
    minima: [
      [3, 2],
      [-2.805118, 3.131312],
      [-3.77931, -3.283186],
      [3.584428, -1.848126],
    ],
    saddles: [],
    levels: geometric(0.5, 500, 12),
  },
};

export function isFunctionId(name: string): name is FunctionId {
  return (kFunctionIds as readonly string[]).includes(name);
}

export function functionById(name: string): Function2D {
  if (isFunctionId(name)) return kFunctions[name];
  throw new Error(`Unknown function '${name}'. Known functions: ${kFunctionIds.join(', ')}`);
}
