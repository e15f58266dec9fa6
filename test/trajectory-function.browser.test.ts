/**
 * <trajectory-race>'s function field in Chromium: a typed f(x, y) races on WebGPU and on the CPU
 * path as a float64 race worked by hand, and every bad text is explained at its column and runs nothing.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { kSeedTrajectoryRace } from '../src/race2d/trajectory';
import type { TrajectoryRace } from '../src/ui/trajectory-race/trajectory-race';
import { raceByHand, type HandOptimizer } from './fixtures/race-by-hand';
import { $, $$, cleanUp, countRaces, mount, nextRace, settle, typeInto } from './fixtures/trajectory-harness';
import { testDevice } from './gpu';

let hasWebGpu = false;
beforeAll(async () => {
  const device = await testDevice();
  hasWebGpu = device !== undefined;
  device?.destroy();
});
afterEach(cleanUp);

// f = x²/20 + y² + sin(x)/10: the seed's valley, rippled, so the seed's learning rates stay stable on it.
const kText = 'x^2/20 + y^2 + sin(x)/10';
const grad = (x: number, y: number): [number, number] => [x / 10 + Math.cos(x) / 10, 2 * y];
/** The seed's racers: lr, and μ = 0.9 (Momentum, Nesterov), ρ = 0.99 (RMSprop). */
const kSeedLr = Object.fromEntries(kSeedTrajectoryRace.racers.map((r) => [r.optimizer, r.hyperparameters?.lr as number]));

const field = (el: TrajectoryRace): HTMLInputElement => $<HTMLInputElement>(el, 'input.expression');

async function typeFunction(el: TrajectoryRace, text: string) {
  const finished = nextRace(el);
  await typeInto(el, field(el), text);
  return finished;
}

function expectHandRace(el: TrajectoryRace, tolerance: number): void {
  // A typed function's view is -5..5: the seed's start (-7, 2) is off it, so the start moved to (-4, 3).
  expect(el.start).toBe('-4,3');
  expect(el.results.map((r) => r.optimizer)).toEqual(kSeedTrajectoryRace.racers.map((r) => r.optimizer));
  for (const r of el.results) {
    const expected = raceByHand(grad, { optimizer: r.optimizer as HandOptimizer, lr: kSeedLr[r.optimizer] }, [-4, 3], 30);
    expect(r.diverged, r.optimizer).toBeNull();
    expect(r.path).toHaveLength(31);
    r.path.forEach(([x, y], s) => {
      expect(Math.abs(x - expected[s][0]), `${r.optimizer} x at step ${s}`).toBeLessThan(tolerance);
      expect(Math.abs(y - expected[s][1]), `${r.optimizer} y at step ${s}`).toBeLessThan(tolerance);
    });
  }
}

describe('<trajectory-race> typed f(x, y)', () => {
  it('typing an expression races it on WebGPU, as the race worked by hand (float32 tolerance)', async (ctx) => {
    if (!hasWebGpu) return ctx.skip();
    const { el } = await mount();
    const detail = await typeFunction(el, kText);
    await el.updateComplete;
    expect(detail.backend).toBe('webgpu');
    expect(el.function).toBe(kText);
    expect(el.getAttribute('function')).toBe(kText);
    expect($(el, '.formula').textContent).toBe(`f(x, y) = ${kText}`);
    expect($<HTMLSelectElement>(el, 'select').value).toBe('typed');
    expectHandRace(el, 2e-4);
    // The contours are the typed function's: levels fitted to its values over -5..5.
    expect($$(el, '.panel[data-racer="sgd"] .contours path').length).toBeGreaterThan(5);
  });

  it('on the CPU path (force-cpu), as the race worked by hand (float64)', async () => {
    const { el } = await mount({ 'force-cpu': '' });
    const detail = await typeFunction(el, kText);
    expect(detail.backend).toBe('cpu');
    expectHandRace(el, 1e-9);
  });

  it('the function attribute takes an expression; picking a named function clears the field', async () => {
    const { el, detail } = await mount({ function: 'x^2 + 3*y^2', start: '1,1', steps: '1', 'force-cpu': '' });
    expect(field(el).value).toBe('x^2 + 3*y^2');
    // One SGD step (lr 0.95) by hand: (1 - 0.95 * 2, 1 - 0.95 * 6).
    const [x, y] = detail.results[0].path[1];
    expect(x).toBeCloseTo(1 - 0.95 * 2, 12);
    expect(y).toBeCloseTo(1 - 0.95 * 6, 12);

    const select = $<HTMLSelectElement>(el, 'select');
    const finished = nextRace(el);
    select.value = 'himmelblau';
    select.dispatchEvent(new Event('change'));
    await finished;
    await el.updateComplete;
    expect([el.function, el.start, field(el).value]).toEqual(['himmelblau', '0,0', '']);

    // Picking "Typed f(x, y)" with an empty field puts an example there and races it.
    const typed = nextRace(el);
    select.value = 'typed';
    select.dispatchEvent(new Event('change'));
    await typed;
    expect(el.function).toBe('x^2 + 3*y^2 + sin(x)');
    expect(field(el).value).toBe(el.function);
    expect(el.shadowRoot!.activeElement).toBe(field(el));
  });

  // [text, 1-based column, message]: code-like text included; none of it is ever evaluated.
  const kBad: [string, number, RegExp][] = [
    ['constructor', 1, /unknown name 'constructor'/],
    ['alert(1)', 1, /unknown name 'alert'/],
    ['__proto__', 1, /unknown name '__proto__'/],
    ['x.constructor', 2, /'\.' is not allowed/],
    ['this', 1, /unknown name 'this'/],
    ['process.exit()', 1, /unknown name 'process'/],
    ['[1,2]', 1, /'\[' is not allowed/],
    ['x = 3', 3, /'=' is not allowed/],
    ['"str"', 1, /'"' is not allowed/],
    ['x;y', 2, /';' is not allowed/],
    ['', 1, /type a function of x and y/],
    ['(x + 1', 1, /'\(' is never closed/],
    ['x + 1)', 6, /'\)' without a matching '\('/],
    ['x + foo(y)', 5, /unknown name 'foo'/],
    ['x ^', 4, /unexpected end of expression/],
    ['sin x', 1, /sin needs its argument in parentheses/],
    ['2x', 2, /write \* between '2' and 'x'/],
    ['max(x)', 1, /max takes two arguments, got 1/],
    ['toString', 1, /unknown name 'toString'/],
    ['1e999', 1, /too large/],
  ];

  it('explains every bad text at its column, under the field, and runs nothing: the last race stays', async () => {
    const { el } = await mount({ 'force-cpu': '' });
    const races = countRaces(el);
    const before = el.results;
    const input = field(el);
    for (const [text, column, message] of kBad) {
      await typeInto(el, input, text);
      expect(input.getAttribute('aria-invalid'), text).toBe('true');
      const error = el.shadowRoot!.getElementById(input.getAttribute('aria-describedby')!)!;
      expect(error.getAttribute('data-column'), text).toBe(String(column));
      expect(error.querySelector('.error')!.textContent, text).toMatch(message);
      expect(error.querySelector('.error')!.textContent, text).toMatch(new RegExp(`at column ${column}$`));
      const echo = error.querySelector('pre.expression-echo');
      if (text === '') expect(echo).toBeNull();
      else {
        // The echoed text with the bad character marked, and the caret under it.
        expect(echo!.querySelector('mark')!.textContent, text).toBe(text[column - 1] ?? ' ');
        expect(echo!.textContent!.split('\n')).toEqual([text.length >= column ? text : `${text} `, `${' '.repeat(column - 1)}^`]);
      }
      // Nothing changed: the element's function, its drawing and its results.
      expect(el.function).toBe('seed');
      expect($$(el, '.panel .trace')).toHaveLength(6);
    }
    await settle();
    expect(races.count).toBe(0);
    expect(el.results).toBe(before);
    expect(location.hash).toBe('');

    // A good text clears the error and races.
    const finished = nextRace(el);
    await typeInto(el, input, 'x^2 + y^2');
    expect(input.getAttribute('aria-invalid')).toBe('false');
    expect(el.shadowRoot!.getElementById('function-error')).toBeNull();
    expect((await finished).results[0].path[0]).toEqual([-4, 3]);
  });

  it('a bad function set from outside is explained in the field; the plots keep the last race', async () => {
    const { el } = await mount({ 'force-cpu': '' });
    const races = countRaces(el);
    el.function = 'alert(1)';
    await el.updateComplete;
    expect(field(el).value).toBe('alert(1)');
    expect(field(el).getAttribute('aria-invalid')).toBe('true');
    expect($(el, '#function-error .error').textContent).toMatch(/unknown name 'alert'.* at column 1$/);
    expect($(el, '[part="message"]').textContent).toMatch(/Fix the highlighted values/);
    expect($$(el, '.panel .trace')).toHaveLength(6);
    await settle();
    expect(races.count).toBe(0);
  });
});
