/** <trajectory-race> in Chromium: the editable view box, the settings in the URL hash, and click-to-start. */
import { afterEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { kFunctions } from '../src/race2d/functions';
import { adaptiveLevels } from '../src/race2d/levels';
import { resolveFunction } from '../src/race2d/typed-function';
import { PlotFrame } from '../src/ui/trajectory-race/plot';
import type { TrajectoryRace } from '../src/ui/trajectory-race/trajectory-race';
import { decodeTrajectorySettings } from '../src/ui/trajectory-race/url-state';
import { $, $$, cleanUp, countRaces, mount, nextRace, settle, typeInto } from './fixtures/trajectory-harness';

afterEach(cleanUp);

const viewBoxInput = (el: TrajectoryRace, part: number): HTMLInputElement => $<HTMLInputElement>(el, `.view-box-inputs input[data-part="${part}"]`);
const tickLabels = (el: TrajectoryRace, axis: 'x' | 'y'): string[] =>
  $$(el, `.panel[data-racer="sgd"] .axis text[text-anchor="${axis === 'x' ? 'middle' : 'end'}"]`).map((t) => t.textContent ?? '');
const drawnLevels = (el: TrajectoryRace): number[] => $$(el, '.panel[data-racer="sgd"] .contours path').map((p) => Number(p.getAttribute('data-level')));

describe('<trajectory-race> view box', () => {
  it('view-box sets the plot window; the contour levels follow the function over it', async () => {
    const { el } = await mount({ function: 'rosenbrock', 'view-box': '-1,1.5,-0.5,2', 'force-cpu': '' });
    expect([0, 1, 2, 3].map((i) => viewBoxInput(el, i).value)).toEqual(['-1', '1.5', '-0.5', '2']);
    expect(tickLabels(el, 'x')[0]).toBe('−1');
    expect(tickLabels(el, 'x').at(-1)).toBe('1.5');
    expect(tickLabels(el, 'y').at(-1)).toBe('2');
    const levels = adaptiveLevels(kFunctions.rosenbrock.f, { x: [-1, 1.5], y: [-0.5, 2] });
    expect(levels).not.toEqual(kFunctions.rosenbrock.levels);
    const drawn = drawnLevels(el);
    expect(drawn.length).toBeGreaterThan(5);
    for (const level of drawn) expect(levels).toContain(level);
    // The plot is as tall as the window's y range over its x range.
    const [, , w, h] = $(el, '.panel[data-racer="sgd"] svg.plot').getAttribute('viewBox')!.split(' ').map(Number);
    expect((h - 32) / (w - 44)).toBeCloseTo(2.5 / 2.5, 6);
  });

  it('a typed function over the fields: levels adapt to its range; a bad box is explained and the plots keep the last one', async () => {
    const { el } = await mount({ function: 'x^2 + 3*y^2', 'force-cpu': '' });
    const typed = resolveFunction('x^2 + 3*y^2');
    expect(drawnLevels(el).every((l) => typed.levels.includes(l))).toBe(true);
    const races = countRaces(el);
    await typeInto(el, viewBoxInput(el, 1), '20');
    await typeInto(el, viewBoxInput(el, 0), '-20');
    expect(el.viewBox).toBe('-20,20,-5,5');
    expect(el.getAttribute('view-box')).toBe('-20,20,-5,5');
    const wide = adaptiveLevels(typed.f, { x: [-20, 20], y: [-5, 5] });
    expect(drawnLevels(el).every((l) => wide.includes(l))).toBe(true);
    expect(Math.max(...drawnLevels(el))).toBeGreaterThan(Math.max(...typed.levels));
    expect(tickLabels(el, 'x')[0]).toBe('−20');

    for (const [part, value, message] of [
      [1, '-30', /x max \(-30\) must be above x min \(-20\)/],
      [1, '', /x max must be a number, got ''/],
      [3, '200', /the y range \(205\) must be within 4 times the x range \(40\)/],
      [3, '1e7', /y max must be within ±1e\+6/],
    ] as const) {
      await typeInto(el, viewBoxInput(el, part), value);
      const input = viewBoxInput(el, part);
      expect(input.getAttribute('aria-invalid')).toBe('true');
      expect(el.shadowRoot!.getElementById(input.getAttribute('aria-describedby')!)!.textContent).toMatch(message);
      expect(tickLabels(el, 'x')[0]).toBe('−20');
      await typeInto(el, viewBoxInput(el, part), part === 1 ? '20' : '5');
    }
    expect(el.shadowRoot!.getElementById('view-box-error')).toBeNull();
    // The view box changes only the drawing: nothing reran.
    await settle();
    expect(races.count).toBe(0);
  });

  it('picking a named function goes back to its own view; Reset clears the box', async () => {
    const { el } = await mount({ 'view-box': '-3,3,-3,3', 'force-cpu': '' });
    expect(tickLabels(el, 'x')[0]).toBe('−3');
    const select = $<HTMLSelectElement>(el, 'select');
    const finished = nextRace(el);
    select.value = 'beale';
    select.dispatchEvent(new Event('change'));
    await finished;
    await el.updateComplete;
    expect(el.viewBox).toBeUndefined();
    expect(el.hasAttribute('view-box')).toBe(false);
    expect(viewBoxInput(el, 1).value).toBe('4.5');

    el.viewBox = '0,1,0,1';
    await el.updateComplete;
    $<HTMLButtonElement>(el, 'button.reset').click();
    await el.updateComplete;
    expect(el.viewBox).toBeUndefined();
    expect(viewBoxInput(el, 0).value).toBe('-10');
  });
});

describe('<trajectory-race> URL hash', () => {
  it('writes its settings to #race2d and a link with them reproduces the race, the typed text intact', async () => {
    const { el } = await mount({ 'force-cpu': '' });
    const text = 'min(x, y)^2 / (1 + x^2) + max(x, 2*y)';
    const finished = nextRace(el);
    await typeInto(el, $<HTMLInputElement>(el, 'input.expression'), text);
    await finished;
    await typeInto(el, viewBoxInput(el, 3), '6');
    await typeInto(el, el.shadowRoot!.querySelector<HTMLInputElement>('.panel[data-racer="adam"] input[data-key="lr"]')!, '0.05');
    await settle();
    const part = location.hash.match(/^#race2d=(.*)$/)?.[1];
    expect(part).toBeDefined();
    // The expression's , / ^ and spaces are encoded: the hash's own separators stay unambiguous.
    expect(part).toContain(`f:${encodeURIComponent(text)}`);
    expect(decodeTrajectorySettings(part!)).toMatchObject({ function: text, viewBox: '-5,5,-5,6', start: '-4,3', steps: 30 });
    const results = el.results;
    el.remove();

    // A second element on a page opened with that link.
    const again = await mount({ 'force-cpu': '' });
    expect(again.el.function).toBe(text);
    expect(again.el.viewBox).toBe('-5,5,-5,6');
    expect($<HTMLInputElement>(again.el, 'input.expression').value).toBe(text);
    expect(again.el.results).toEqual(results);
    expect(again.detail.results.find((r) => r.optimizer === 'adam')!.hyperparameters.lr).toBe(0.05);
  });

  it('a link with a bad expression arrives in the field and is explained there; a broken hash shows a note', async () => {
    history.replaceState(null, '', `#race2d=f:${encodeURIComponent('x +* y')},n:30,s:0%2C0`);
    const el = document.createElement('trajectory-race');
    el.setAttribute('force-cpu', '');
    document.body.append(el);
    await el.updateComplete;
    expect($<HTMLInputElement>(el, 'input.expression').value).toBe('x +* y');
    expect($(el, '#function-error .error').textContent).toMatch(/at column 4$/);
    el.remove();

    history.replaceState(null, '', '#race2d=f:seed,n:30,s:0%2C0,zz:1');
    const { el: broken } = await mount({ 'force-cpu': '' });
    expect($(broken, '[part="message"]').textContent).toMatch(/could not be read \(unknown setting 'zz'\)/);
    expect(broken.function).toBe('seed');
  });
});

describe('<trajectory-race> click-to-start', () => {
  it('a click anywhere on a plot (here in a view box) moves the start there and reruns', async () => {
    const { el } = await mount({ 'view-box': '0,4,-1,3', 'force-cpu': '' });
    const plot = $(el, '.panel[data-racer="adam"] svg.plot') as SVGSVGElement;
    const frame = new PlotFrame({ x: [0, 4], y: [-1, 3] }, 240);
    const target = new DOMPoint(frame.px(3.2), frame.py(0.5)).matrixTransform(plot.getScreenCTM()!);
    const box = plot.getBoundingClientRect();
    const finished = nextRace(el);
    await userEvent.click(plot, { position: { x: target.x - box.left, y: target.y - box.top } });
    const { results } = await finished;
    const [x, y] = el.start!.split(',').map(Number);
    expect(Math.abs(x - 3.2)).toBeLessThan(0.05);
    expect(Math.abs(y - 0.5)).toBeLessThan(0.05);
    for (const r of results) expect(r.path[0]).toEqual([x, y]);
    await el.updateComplete;
    const start = $(el, '.panel[data-racer="sgd"] circle.start');
    expect(Number(start.getAttribute('cx'))).toBeCloseTo(frame.px(x), 6);
  });
});
