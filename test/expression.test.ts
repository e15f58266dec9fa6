/** Typed f(x, y): rejected text (with its column), hand-derived gradients, and races on WebGPU and the CPU path. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate, ExpressionError, parseExpression } from '../src/race2d/expression';
import { runTrajectoryRaceCpu, runTrajectoryRaceGpu, TrajectoryPipelines, type TrajectoryConfig } from '../src/race2d/trajectory';
import { raceByHand } from './fixtures/race-by-hand';
import { testDevice, withValidation } from './gpu';

let device: GPUDevice | undefined;
let pipelines: TrajectoryPipelines;
beforeAll(async () => {
  device = await testDevice();
  if (device) pipelines = new TrajectoryPipelines(device);
});
afterAll(() => device?.destroy());

// Implicit multiplication (2x, x y) is rejected: write *.
const kBad: [text: string, column: number, message: RegExp][] = [
  ['constructor', 1, /unknown name 'constructor'/],
  ['alert(1)', 1, /unknown name 'alert'/],
  ['__proto__', 1, /unknown name '__proto__'/],
  ['x.constructor', 2, /'\.' is not allowed/],
  ['x.y', 2, /'\.' is not allowed/],
  ['[1,2]', 1, /'\[' is not allowed/],
  ['"a"', 1, /'"' is not allowed/],
  ['x=1', 2, /'=' is not allowed/],
  ['f(x)=x', 1, /unknown name 'f'/],
  ['x;y', 2, /';' is not allowed/],
  ['import', 1, /unknown name 'import'/],
  ['1e', 2, /digits after the exponent/],
  ['sin()', 1, /sin takes one argument, got 0/],
  ['sin(x,y)', 1, /sin takes one argument, got 2/],
  ['x + max(x)', 5, /max takes two arguments, got 1/],
  ['', 1, /type a function of x and y/],
  ['   ', 1, /type a function of x and y/],
  ['(', 1, /never closed/],
  ['x)', 2, /without a matching/],
  ['x +', 4, /unexpected end/],
  ['x^', 3, /unexpected end/],
  ['2x', 2, /write \* between '2' and 'x'/],
  ['x y', 3, /no implicit multiplication/],
  ['sin x', 1, /needs its argument in parentheses/],
  ['ln(x)', 1, /unknown name 'ln'/],
  ['x!', 2, /'!' is not allowed/],
  ['x mod y', 3, /unknown name 'mod'/],
  ['x,y', 2, /unexpected operator ,/],
  ['this', 1, /unknown name 'this'/],
  ['process.exit()', 1, /unknown name 'process'/],
  ['x = 3', 3, /'=' is not allowed/],
  ['"str"', 1, /'"' is not allowed/],
  ['x ^', 4, /unexpected end/],
  ['toString', 1, /unknown name 'toString'/],
  ['x ? 1 : 2', 3, /'\?' is not allowed/],
  ['`x`', 1, /'`' is not allowed/],
  ['1e999', 1, /the number 1e999 is too large/],
  [`${'('.repeat(51)}x${')'.repeat(51)}`, 51, /more than 50 nested parentheses/],
  [`x${'+x'.repeat(300)}`, 501, /601 characters long \(at most 500\)/],
  ['x**y', 3, /value expected/],
  ['()', 2, /value expected/],
  ['max(x,)', 7, /value expected/],
  ['sin(,x)', 5, /value expected/],
  ['(x,y)', 3, /parenthesis \) expected/],
  ['x + ', 5, /unexpected end/],
  ['2.*x', 2, /the operator '\.\*' is not allowed/],
  ['x + sin(x,y) + max(1)', 5, /sin takes one argument, got 2/],
];

describe('typed functions', () => {
  it.for(kBad)('rejects %j at column %i', ([text, column, message]) => {
    let error: unknown;
    try {
      parseExpression(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ExpressionError);
    expect((error as ExpressionError).column).toBe(column);
    expect((error as ExpressionError).message).toMatch(message);
    expect((error as ExpressionError).message).toMatch(new RegExp(`at column ${column}$`));
  });

  // Values worked by hand at (x, y) = (3, 2): unary minus binds looser than ^ and tighter than * and /.
  it.for([
    ['-x^2', -9],
    ['(-x)^2', 9],
    ['-(x)^2', -9],
    ['2^3^2', 512],
    ['x^-y^2', 3 ** -4],
    ['2*-x^2', -18],
    ['-x*y', -6],
    ['x-y-1', 0],
    ['x/y/2', 0.75],
    ['--x^2', 9],
    ['max(x, -y^2)^2 - +1', 8],
    ['1.e1*.5 + 1e-1', 5.1],
  ] as [string, number][])('reads %s by the grammar (%d at (3, 2))', ([text, value]) => {
    expect(evaluate(parseExpression(text).f, 3, 2)).toBe(value);
  });

  it('a bad expression runs nothing: the race config is rejected before any step', () => {
    expect(() => runTrajectoryRaceCpu({ function: 'alert(1)', start: [0, 0], steps: 1, racers: [{ optimizer: 'sgd' }] })).toThrow(/column 1/);
  });

  it('differentiates as by hand', () => {
    const cases: [string, (x: number, y: number) => number[]][] = [
      ['sin(x)*y^2 + exp(-x^2)', (x, y) => [Math.cos(x) * y * y - 2 * x * Math.exp(-x * x), 2 * y * Math.sin(x)]],
      ['abs(x) + max(x, y) - min(x, 2*y)', (x, y) => [Math.sign(x) + (x < y ? 0 : 1) - (x < 2 * y ? 1 : 0), (x < y ? 1 : 0) - (x < 2 * y ? 0 : 2)]],
      [
        'sqrt(x^2 + 1) * atan(y) / tanh(x + 2)',
        (x, y) => {
          const s = Math.sqrt(x * x + 1);
          const t = Math.tanh(x + 2);
          return [((x / s) * Math.atan(y)) / t - (s * Math.atan(y) * (1 - t * t)) / (t * t), s / (1 + y * y) / t];
        },
      ],
      [
        'x^y + log(cosh(y)) + tan(x) + sinh(x)*pi - e',
        (x, y) => [y * x ** (y - 1) + 1 / Math.cos(x) ** 2 + Math.cosh(x) * Math.PI, x ** y * Math.log(x) + Math.tanh(y)],
      ],
    ];
    for (const [text, grad] of cases) {
      const p = parseExpression(text);
      for (const [x, y] of [
        [0.3, 0.7],
        [1.2, -0.4],
        [2.5, 1.5],
      ]) {
        const [gx, gy] = grad(x, y);
        expect(evaluate(p.dfdx, x, y)).toBeCloseTo(gx, 10);
        expect(evaluate(p.dfdy, x, y)).toBeCloseTo(gy, 10);
      }
    }
  });
});

// --- The race by hand: f = sin(x)*y^2 + exp(-x^2), gradient written out, SGD/Momentum/Adam rules from the seed (./fixtures/race-by-hand.ts).
const kText = 'sin(x)*y^2 + exp(-x^2)';
const grad = (x: number, y: number): [number, number] => [Math.cos(x) * y * y - 2 * x * Math.exp(-x * x), 2 * y * Math.sin(x)];

const byHand = (optimizer: 'sgd' | 'momentum' | 'adam', lr: number, start: [number, number], steps: number): [number, number][] =>
  raceByHand(grad, { optimizer, lr }, start, steps);

describe('a typed function races', () => {
  const config: TrajectoryConfig = {
    function: kText,
    start: [1, 1.5],
    steps: 8,
    racers: [
      { optimizer: 'sgd', hyperparameters: { lr: 0.1 } },
      { optimizer: 'momentum', hyperparameters: { lr: 0.05, momentum: 0.9 } },
      { optimizer: 'adam', hyperparameters: { lr: 0.1, beta1: 0.9, beta2: 0.999 } },
    ],
  };
  const expected = [byHand('sgd', 0.1, [1, 1.5], 8), byHand('momentum', 0.05, [1, 1.5], 8), byHand('adam', 0.1, [1, 1.5], 8)];

  it('on the CPU path, as the hand-derived float64 race', () => {
    runTrajectoryRaceCpu(config).forEach((r, i) => {
      expect(r.diverged).toBeNull();
      r.path.forEach(([x, y], s) => {
        expect(x).toBeCloseTo(expected[i][s][0], 6);
        expect(y).toBeCloseTo(expected[i][s][1], 6);
      });
    });
  });

  it('on WebGPU, as the hand-derived float64 race (float32 tolerance)', async (ctx) => {
    if (!device) return ctx.skip();
    const results = await withValidation(device, () => runTrajectoryRaceGpu(pipelines, config));
    results.forEach((r, i) => {
      expect(r.diverged).toBeNull();
      r.path.forEach(([x, y], s) => {
        expect(Math.abs(x - expected[i][s][0])).toBeLessThan(1e-4);
        expect(Math.abs(y - expected[i][s][1])).toBeLessThan(1e-4);
      });
    });
  });

  // sqrt(x) at x < 0 and log(x) at 0: the gradient is NaN or infinite from the start.
  const kNaN: TrajectoryConfig = { function: 'sqrt(x) + y^2', start: [-1, 1], steps: 3, racers: [{ optimizer: 'sgd' }, { optimizer: 'lion' }] };
  it('a NaN gradient marks the racer diverged on the CPU path', () => {
    for (const r of runTrajectoryRaceCpu(kNaN)) {
      expect(r.diverged).toBe(1);
      expect(r.path[1]).toEqual([NaN, NaN]);
    }
  });

  it('a NaN gradient marks the racer diverged on WebGPU (Lion included, whose sign(g) would hide it)', async (ctx) => {
    if (!device) return ctx.skip();
    for (const r of await withValidation(device, () => runTrajectoryRaceGpu(pipelines, kNaN))) expect(r.diverged).toBe(1);
    const inf = await runTrajectoryRaceGpu(pipelines, { ...kNaN, function: 'log(x^2) + y^2', start: [0, 1] });
    for (const r of inf) expect(r.diverged).toBe(1);
  });
});
