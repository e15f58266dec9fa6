/** <trajectory-race> in Chromium: the seed's figure from the WGSL kernels, its controls and its failure modes. */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { cdp, userEvent } from 'vitest/browser';
import { kFunctions } from '../src/race2d/functions';
import { kSeedTrajectoryRace, runTrajectoryRaceCpu } from '../src/race2d/trajectory';
import type { TrajectoryRace } from '../src/ui/trajectory-race/trajectory-race';
import { $, $$, mount, nextRace, typeInto } from './fixtures/trajectory-harness';
import { PlotFrame } from '../src/ui/trajectory-race/plot';
import { testDevice } from './gpu';
import { withoutWebGPU } from './fixtures/browser-gpu';

let expectedBackend: 'webgpu' | 'cpu';
beforeAll(async () => {
  // Under CI=true a missing adapter fails here; elsewhere the element is expected to fall back.
  const device = await testDevice();
  expectedBackend = device ? 'webgpu' : 'cpu';
  device?.destroy();
});

afterEach(() => {
  document.body.replaceChildren();
  // The element keeps its settings in the URL hash: the next test starts from a clean URL.
  history.replaceState(null, '', location.pathname + location.search);
});

const panel = (el: TrajectoryRace, racer: string): Element => $(el, `.panel[data-racer="${racer}"]`);
const pathVertices = (d: string): number => (d.match(/[ML]/g) ?? []).length;

describe('<trajectory-race>', () => {
  it("draws the seed's figure: 6 panels, 31-point paths over contours, the GPU paths equal the reference", async () => {
    const { el, detail } = await mount();
    expect(detail.backend).toBe(expectedBackend);
    expect($(el, '[part="backend"]').textContent?.trim()).toBe(expectedBackend === 'webgpu' ? 'WebGPU' : 'CPU reference');
    expect(el.getAttribute('start')).toBe('-7,2');

    const panels = $$(el, '.panel');
    expect(panels.map((p) => p.getAttribute('data-racer'))).toEqual(kSeedTrajectoryRace.racers.map((r) => r.optimizer));
    for (const p of panels) {
      const trace = p.querySelector('.trace')!;
      expect(trace.getAttribute('data-points')).toBe('31');
      expect(pathVertices(trace.querySelector('.trace-line')!.getAttribute('d')!)).toBe(31);
      expect(p.querySelectorAll('.contours path').length).toBe(kFunctions.seed.levels.length);
      expect(p.querySelectorAll('.minimum')).toHaveLength(1);
      expect(p.querySelector('.status')!.textContent).toMatch(/^f = /);
    }

    const cpu = runTrajectoryRaceCpu(kSeedTrajectoryRace);
    expect(el.results).toBe(detail.results);
    expect(el.results.map((r) => r.optimizer)).toEqual(cpu.map((r) => r.optimizer));
    el.results.forEach((r, i) => {
      expect(r.hyperparameters).toEqual(cpu[i].hyperparameters);
      expect(r.path).toHaveLength(31);
      expect(r.path[0]).toEqual([-7, 2]);
      r.path.forEach(([x, y], s) => {
        expect(Math.abs(x - cpu[i].path[s][0])).toBeLessThan(1e-4);
        expect(Math.abs(y - cpu[i].path[s][1])).toBeLessThan(1e-4);
      });
    });
  });

  it('shows SGD with lr 100 as diverged while the other racers draw normally', async () => {
    const { el } = await mount();
    const finished = nextRace(el);
    await typeInto(el, panel(el, 'sgd').querySelector('input[data-key="lr"]')!, '100');
    const { results } = await finished;
    await el.updateComplete;
    expect(results[0].diverged).not.toBeNull();
    expect(panel(el, 'sgd').querySelector('.status')!.textContent).toMatch(/diverged at step \d+/);
    for (const racer of ['momentum', 'adagrad', 'adam', 'rmsprop', 'nesterov']) {
      expect(panel(el, racer).querySelector('.status')!.textContent).not.toMatch(/diverged/);
      expect(panel(el, racer).querySelector('.trace')!.getAttribute('data-points')).toBe('31');
    }
    // Only the points inside the plot are drawn; no NaN reaches the SVG.
    expect(panel(el, 'sgd').querySelector('.trace-line')!.getAttribute('d')).not.toMatch(/NaN|Infinity/);
  });

  it('explains an invalid learning rate next to its input and does not race', async () => {
    const { el } = await mount();
    let raced = false;
    el.addEventListener('race-finished', () => {
      raced = true;
    });
    const input = panel(el, 'sgd').querySelector<HTMLInputElement>('input[data-key="lr"]')!;
    await typeInto(el, input, '-1');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    const message = el.shadowRoot!.getElementById(input.getAttribute('aria-describedby')!)!;
    expect(message.textContent).toMatch(/SGD: lr \(learning rate\) must be a finite number in \(0, ∞\), got -1/);
    expect($(el, '[part="message"]').textContent).toMatch(/Fix the highlighted values/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(raced).toBe(false);
    expect($$(el, '.panel')).toHaveLength(6);

    const finished = nextRace(el);
    await typeInto(el, input, '0.5');
    expect((await finished).results[0].hyperparameters).toEqual({ lr: 0.5 });
  });

  it("recomputes when the function changes, from that function's start", async () => {
    const { el } = await mount();
    const seedContour = panel(el, 'sgd').querySelector('.contours path')!.getAttribute('d');
    const select = $<HTMLSelectElement>(el, 'select');
    expect([...select.options].map((o) => o.value)).toEqual(['seed', 'xy', 'x2xy', 'rosenbrock', 'beale', 'himmelblau', 'typed']);
    const finished = nextRace(el);
    select.value = 'rosenbrock';
    select.dispatchEvent(new Event('change'));
    const { results } = await finished;
    await el.updateComplete;
    expect(el.function).toBe('rosenbrock');
    expect(el.start).toBe('-1.5,2');
    const cpu = runTrajectoryRaceCpu({ ...kSeedTrajectoryRace, function: 'rosenbrock', start: [-1.5, 2] });
    results.forEach((r, i) => {
      expect(r.path[0]).toEqual([-1.5, 2]);
      expect(Math.abs(r.path[1][0] - cpu[i].path[1][0]) / Math.max(1, Math.abs(cpu[i].path[1][0]))).toBeLessThan(1e-4);
    });
    expect(panel(el, 'sgd').querySelector('.contours path')!.getAttribute('d')).not.toBe(seedContour);
    // Every racer is either drawn or reported as diverged: nothing is left blank.
    for (const p of $$(el, '.panel')) expect(p.querySelector('.status')!.textContent).toMatch(/^f = |diverged at step/);

    const reset = nextRace(el);
    $<HTMLButtonElement>(el, 'button.reset').click();
    expect((await reset).results[0].path[0]).toEqual([-7, 2]);
    expect([el.function, el.start, el.steps]).toEqual(['seed', '-7,2', 30]);
  });

  it('moves the start where a plot is clicked, and with the arrow keys', async () => {
    const { el } = await mount();
    const plot = panel(el, 'momentum').querySelector<SVGSVGElement>('svg.plot')!;
    const frame = new PlotFrame(kFunctions.seed.view, 240);
    const target = new DOMPoint(frame.px(3), frame.py(-4)).matrixTransform(plot.getScreenCTM()!);
    const box = plot.getBoundingClientRect();
    let finished = nextRace(el);
    await userEvent.click(plot, { position: { x: target.x - box.left, y: target.y - box.top } });
    let { results } = await finished;
    const [x, y] = el.start!.split(',').map(Number);
    expect(Math.abs(x - 3)).toBeLessThan(0.2);
    expect(Math.abs(y + 4)).toBeLessThan(0.2);
    // The GPU stores the start as float32.
    for (const r of results) {
      expect(r.path[0][0]).toBeCloseTo(x, 5);
      expect(r.path[0][1]).toBeCloseTo(y, 5);
    }

    finished = nextRace(el);
    plot.focus();
    plot.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowUp', bubbles: true }));
    ({ results } = await finished);
    expect(el.start).toBe(`${x},${Number((y + 0.2).toFixed(2))}`);
    expect(results[0].path[0][0]).toBeCloseTo(x, 5);
    expect(results[0].path[0][1]).toBeCloseTo(y + 0.2, 5);
  });

  it('overlays every path on one plot with a legend, and lays panels out in one column at 375px', async () => {
    const { el } = await mount({ view: 'overlay' });
    expect($$(el, 'svg.plot')).toHaveLength(1);
    expect($$(el, '.trace')).toHaveLength(6);
    expect($$(el, '.legend-item')).toHaveLength(6);
    el.view = 'grid';
    el.style.width = '375px';
    await el.updateComplete;
    expect(getComputedStyle($(el, '.panels')).gridTemplateColumns.split(' ')).toHaveLength(1);
    el.style.width = '1100px';
    expect(getComputedStyle($(el, '.panels')).gridTemplateColumns.split(' ')).toHaveLength(3);
  });

  it('animates the paths step by step, and excludes a racer', async () => {
    const { el } = await mount();
    const button = $<HTMLButtonElement>(el, 'button.primary');
    button.click();
    await el.updateComplete;
    expect(button.textContent?.trim()).toBe('Pause');
    await vi.waitFor(() => expect(Number($(el, '.panel .trace').getAttribute('data-points'))).toBeGreaterThan(1));
    button.click();
    await el.updateComplete;
    const paused = Number($(el, '.panel .trace').getAttribute('data-points'));
    expect(paused).toBeLessThan(31);
    expect($(el, '.counter').textContent).toBe(`step ${paused - 1} / 30`);
    button.click();
    await vi.waitFor(() => expect($(el, '.counter').textContent).toBe('step 30 / 30'), { timeout: 6000 });

    const finished = nextRace(el);
    const include = panel(el, 'adam').querySelector<HTMLInputElement>('input[type="checkbox"]')!;
    include.click();
    const { results } = await finished;
    expect(results.map((r) => r.optimizer)).toEqual(['sgd', 'momentum', 'adagrad', 'rmsprop', 'nesterov']);
    await el.updateComplete;
    expect(panel(el, 'adam').querySelector('.trace')).toBeNull();
    expect(panel(el, 'adam').querySelector('.status')!.textContent).toBe('not racing');
  });

  it("offers the optimizers beyond the seed's six as extra racers, off by default", async () => {
    const { el, detail } = await mount();
    expect(detail.results.map((r) => r.optimizer)).toEqual(kSeedTrajectoryRace.racers.map((r) => r.optimizer));
    expect($$(el, '.panel')).toHaveLength(6);
    expect($$(el, '.extras .extra').map((e) => e.getAttribute('data-extra'))).toEqual(['adamw', 'lion', 'adadelta', 'adamax']);
    const raced = nextRace(el);
    const box = $<HTMLInputElement>(el, '.extra[data-extra="lion"] input');
    box.click();
    const next = await raced;
    expect(next.results.map((r) => r.optimizer)).toContain('lion');
    await el.updateComplete;
    expect($$(el, '.panel')).toHaveLength(7);
    expect(panel(el, 'lion').querySelector('[data-racer="lion"] path')).not.toBeNull();
    const lion = next.results.find((r) => r.optimizer === 'lion')!;
    const [reference] = runTrajectoryRaceCpu({ ...kSeedTrajectoryRace, racers: [{ optimizer: 'lion' }] });
    expect(lion.path.at(-1)![0]).toBeCloseTo(reference.path.at(-1)![0], 4);
  });

  it('shows the end state at once when the user prefers reduced motion', async () => {
    const { el } = await mount();
    await cdp().send('Emulation.setEmulatedMedia', { features: [{ name: 'prefers-reduced-motion', value: 'reduce' }] });
    try {
      $<HTMLButtonElement>(el, 'button.primary').click();
      await el.updateComplete;
      expect($(el, '.counter').textContent).toBe('step 30 / 30');
      expect($(el, '.hint').textContent).toMatch(/Reduced motion/);
      expect($(el, '.panel .trace').getAttribute('data-points')).toBe('31');
    } finally {
      await cdp().send('Emulation.setEmulatedMedia', { features: [] });
    }
  });

  it('falls back to the CPU reference with the WebGPU message when WebGPU is unavailable', async () => {
    await withoutWebGPU(async () => {
      const { el, detail } = await mount();
      expect(detail.backend).toBe('cpu');
      expect($(el, '[part="backend"]').textContent?.trim()).toBe('CPU reference');
      expect($(el, '[part="message"]').textContent).toContain('This browser does not expose WebGPU (navigator.gpu is missing).');
      expect(el.results).toEqual(runTrajectoryRaceCpu(kSeedTrajectoryRace, { trace: true }));
      expect($$(el, '.panel .trace')).toHaveLength(6);
    });
  });
});
