/**
 * <optimizer-race>'s sweeps in Chromium (WebGPU on SwiftShader, so tiny races: a 2,000/200 MNIST
 * subset, batch 8, 30 iterations): the sweep panel and its messages, a 2 optimizers x 3 lrs sweep
 * with one lr big enough to diverge, the sensitivity charts (data, best labels, diverged marks,
 * CSV), the grouped loss legend and its hover text, the LR range test's marks, links of up to 128
 * racers and a sweep too large for the GPU.
 */
import { describe, expect, it, vi } from 'vitest';
import { analyzeLrFinder, rangeLrs } from '../src/race/lr-finder';
import { kRaceLimits } from '../src/race/limits';
import { colorHue } from '../src/ui/racer-shades';
import type { LrFinderChart } from '../src/ui/charts/lr-finder-chart';
import type { SensitivityChart } from '../src/ui/charts/sensitivity-chart';
import type { LossChart } from '../src/ui/charts/loss-chart';
import type { OptimizerRace } from '../src/ui/optimizer-race/optimizer-race';
import { $$, finished, hasWebGPU, mount, mountSmall, text, useOptimizerRaceHarness } from './optimizer-race-harness';
import { until } from './fixtures/element-probes';
import { withDeviceLimits } from './fixtures/browser-gpu';

useOptimizerRaceHarness();

const panel = (el: OptimizerRace): ShadowRoot => el.shadowRoot!.querySelector('sweep-panel')!.shadowRoot!;
const inPanel = <E extends Element>(el: OptimizerRace, selector: string): E => {
  const found = panel(el).querySelector<E>(selector);
  if (!found) throw new Error(`no ${selector} in <sweep-panel>`);
  return found;
};

async function type(el: OptimizerRace, selector: string, value: string): Promise<void> {
  const input = inPanel<HTMLInputElement>(el, selector);
  input.value = value;
  input.dispatchEvent(new Event('input'));
  await el.shadowRoot!.querySelector('sweep-panel')!.updateComplete;
}

/** Leaves only these optimizers ticked in the panel. */
async function chooseOptimizers(el: OptimizerRace, ids: string[]): Promise<void> {
  for (const box of panel(el).querySelectorAll<HTMLInputElement>('input[data-optimizer]')) {
    if (box.checked !== ids.includes(box.dataset.optimizer!)) box.click();
  }
  await el.shadowRoot!.querySelector('sweep-panel')!.updateComplete;
}

async function applyButton(el: OptimizerRace, action: string): Promise<void> {
  const button = inPanel<HTMLButtonElement>(el, `button[data-action="${action}"]`);
  expect(button.disabled).toBe(false);
  button.click();
  await el.updateComplete;
}

const chartOf = <T extends HTMLElement>(el: OptimizerRace, selector: string): T => {
  const chart = el.shadowRoot!.querySelector<T>(selector);
  if (!chart) throw new Error(`no ${selector}`);
  return chart;
};

describe('<optimizer-race>: sweeps', () => {
  it('validates the panel with the CLI parser and replaces the racers with the sweep; the link stores the spec', async () => {
    const el = await mount({ 'hash-key': 'race' });
    await chooseOptimizers(el, ['sgd', 'adam']);
    await type(el, '[data-sweep="min"]', '1e-3');
    await type(el, '[data-sweep="max"]', '100');
    await type(el, '[data-sweep="count"]', '1');
    expect(panel(el).querySelector('#sweep-status')!.textContent).toBe(`sweep lr: COUNT must be a whole number from 2 to ${kRaceLimits.racers.max}, got 1`);
    expect(inPanel<HTMLInputElement>(el, '[data-sweep="count"]').getAttribute('aria-invalid')).toBe('true');
    expect(inPanel<HTMLButtonElement>(el, '[data-action="apply-sweep"]').disabled).toBe(true);
    await type(el, '[data-sweep="max"]', 'x');
    expect(panel(el).querySelector('#sweep-status')!.textContent).toBe("sweep lr: MAX must be a number, got 'x'");
    await type(el, '[data-sweep="max"]', '100');
    await type(el, '[data-sweep="count"]', '100');
    expect(panel(el).querySelector('#sweep-status')!.textContent).toMatch(/at most 128 racers, got 200/);
    await type(el, '[data-sweep="count"]', '3');
    expect(panel(el).querySelector('#sweep-status')!.textContent).toMatch(/^6 racers: 2 optimizers × lr = 0.001, 0.3162, 100 \(log-spaced/);
    // Every control has a label.
    for (const control of panel(el).querySelectorAll('input, select')) expect(control.closest('label')?.textContent?.trim()).toBeTruthy();

    await applyButton(el, 'apply-sweep');
    expect(el.racers.map((r) => [r.name, r.optimizer, r.hyperparameters?.lr])).toEqual([
      ['SGD lr=0.001', 'sgd', 0.001],
      ['SGD lr=0.3162', 'sgd', 0.3162],
      ['SGD lr=100', 'sgd', 100],
      ['Adam lr=0.001', 'adam', 0.001],
      ['Adam lr=0.3162', 'adam', 0.3162],
      ['Adam lr=100', 'adam', 100],
    ]);
    // One hue per optimizer, three lightnesses.
    const colors = el.racers.map((r) => r.color!);
    expect(new Set(colors).size).toBe(6);
    expect(Math.abs(colorHue(colors[0]) - colorHue(colors[2]))).toBeLessThan(2);
    expect(location.hash).toBe('#race=it:2000,b:128,s:1,e:100,p:custom,sw:lr=0.001..100:3@sgd+adam');
    // The charts' chunk loads the first time a sweep is shown.
    await until('the sensitivity charts', () => el.shadowRoot!.querySelector('sensitivity-chart'));
    // An edit ends the sweep: the racers are stored one by one and the charts go.
    const name = $$<HTMLInputElement>(el, '.racer-name-input')[0];
    name.value = 'mine';
    name.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(el.racers[0].name).toBe('mine');
    expect(location.hash).toMatch(/p:custom\/sgd,lr:0.001,n:mine,c:[0-9a-f]{6}\//);
    expect(el.shadowRoot!.querySelector('sensitivity-chart')).toBeNull();
  });

  it('has a sweep preset and an LR range test preset', async () => {
    const el = await mount({ 'hash-key': 'race' });
    const select = el.shadowRoot!.querySelector<HTMLSelectElement>('select[data-setting="preset"]')!;
    select.value = 'sweep';
    select.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(el.racers).toHaveLength(48);
    expect(el.racers.slice(0, 8).map((r) => r.hyperparameters?.lr)).toEqual([0.0001, 0.0003728, 0.001389, 0.005179, 0.01931, 0.07197, 0.2683, 1]);
    expect(location.hash).toBe('#race=it:2000,b:128,s:1,e:100,p:sweep');
    await until('the two sensitivity charts', () => el.shadowRoot!.querySelectorAll('sensitivity-chart').length === 2);
    select.value = 'lr-range';
    select.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(el.racers.map((r) => r.schedule)).toEqual(Array(6).fill({ kind: 'range', min: 1e-6, max: 10 }));
    expect(el.shadowRoot!.querySelector('sensitivity-chart')).toBeNull();
    await until('the LR finder chart', () => el.shadowRoot!.querySelector('lr-finder-chart'));
    select.value = 'seed';
    select.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('lr-finder-chart')).toBeNull();
  });

  it('reads sweeps of up to 128 racers from a link, and says so when one does not fit the GPU', async (ctx) => {
    if (!hasWebGPU()) return ctx.skip();
    // A GPU allowing 64 MiB per buffer: 128 racers x 2048 images x 100 floats of activations do not fit.
    const small = { maxStorageBufferBindingSize: 64 * 2 ** 20, maxBufferSize: 64 * 2 ** 20 };
    await withDeviceLimits(small, async () => {
      history.replaceState(null, '', '#race=it:5,b:2048,s:1,e:5,p:custom,sw:lr=0.0001..1:64@sgd+adam');
      const el = await mountSmall({ 'hash-key': 'race' });
      expect(el.racers).toHaveLength(128);
      expect(el.racers[64]).toMatchObject({ name: 'Adam lr=0.0001', optimizer: 'adam' });
      expect(text(el, '.sweep-card summary')).toMatch(/racing a sweep lr=0.0001..1:64 over SGD, Adam/);
      // The panel shows the link's sweep.
      expect(['min', 'max', 'count'].map((f) => inPanel<HTMLInputElement>(el, `[data-sweep="${f}"]`).value)).toEqual(['0.0001', '1', '64']);
      const checked = [...panel(el).querySelectorAll<HTMLInputElement>('input[data-optimizer]')].filter((b) => b.checked);
      expect(checked.map((b) => b.dataset.optimizer)).toEqual(['sgd', 'adam']);
      await el.start();
      await el.updateComplete;
      expect(text(el, '[role="alert"]')).toMatch(
        /This race does not fit this GPU: this race of 128 racers needs 100 MiB in one buffer \(layer 1's training activations\); this GPU allows 64 MiB per buffer: use fewer racers or a smaller batch\./,
      );
      expect(el.status).toBe('idle');
      // The panel checks a sweep against the same limits before it is applied, and says why it cannot be.
      await type(el, '[data-sweep="count"]', '63');
      expect(panel(el).querySelector('#sweep-status')!.textContent).toMatch(
        /^This sweep does not fit this GPU: this race of 126 racers needs 99 MiB in one buffer \(layer 1's training activations\); this GPU allows 64 MiB per buffer: use fewer racers or a smaller batch\.$/,
      );
      expect(inPanel<HTMLButtonElement>(el, '[data-action="apply-sweep"]').disabled).toBe(true);
      await type(el, '[data-sweep="count"]', '8');
      expect(panel(el).querySelector('#sweep-status')!.textContent).toMatch(/^16 racers/);
    });
  }, 120_000);

  it('races a 2 x 3 sweep: sensitivity data, best labels, diverged marks, CSV, grouped legend with hover text', async (ctx) => {
    if (!hasWebGPU()) return ctx.skip();
    history.replaceState(null, '', '#race=it:30,b:8,s:1,e:15,p:custom,sw:lr=0.001..100:3@sgd+adam');
    const el = await mountSmall({ 'hash-key': 'race' });
    expect(el.racers).toHaveLength(6);
    // Live: after one iteration the final loss is that iteration's loss.
    await el.step();
    await el.updateComplete;
    const live = chartOf<SensitivityChart>(el, 'sensitivity-chart[metric="loss"]');
    expect(live.view.columns[1][0]).toBeCloseTo(el.history[3].losses[0], 10);
    const done = finished(el);
    await el.start();
    await done;
    await el.updateComplete;
    const h = el.history;
    const sgd100 = h.find((r) => r.name === 'SGD lr=100')!;
    expect(sgd100.diverged).not.toBeNull();

    const loss = chartOf<SensitivityChart>(el, 'sensitivity-chart[metric="loss"]');
    const accuracy = chartOf<SensitivityChart>(el, 'sensitivity-chart[metric="accuracy"]');
    await until('the sensitivity charts to draw', () => loss.plot && accuracy.plot && loss.renderStats.draws > 0);
    // Final loss by hand: the mean of the last ceil(10% of 30) = 3 losses.
    const byHand = (name: string): number | null => {
      const r = h.find((x) => x.name === name)!;
      if (r.diverged !== null) return null;
      return r.losses.slice(-3).reduce((a, b) => a + b, 0) / 3;
    };
    expect(loss.view.xs).toEqual([0.001, 0.3162, 100]);
    expect(loss.view.optimizers).toEqual(['sgd', 'adam']);
    loss.view.columns.forEach((column, c) => {
      const label = ['SGD', 'Adam'][c];
      column.forEach((y, i) => {
        const expected = byHand(`${label} lr=${loss.view.xs[i]}`);
        if (expected === null) expect(y).toBeNull();
        else expect(y).toBeCloseTo(expected, 10);
      });
    });
    // Accuracy: the last evaluation, in percent.
    expect(accuracy.view.columns[1][0]).toBeCloseTo(h.find((x) => x.name === 'Adam lr=0.001')!.accuracy.at(-1)!.test! * 100, 10);
    // Diverged racers are marked (and only they).
    expect(loss.view.diverged.map((d) => d.name).sort()).toEqual(
      h
        .filter((r) => r.diverged !== null)
        .map((r) => r.name)
        .sort(),
    );
    // The best per optimizer: the lowest final loss among those that did not diverge.
    for (const [c, label] of ['SGD', 'Adam'].entries()) {
      const finite = loss.view.xs.map((x) => [x, byHand(`${label} lr=${x}`)] as const).filter(([, y]) => y !== null) as [number, number][];
      const best = finite.reduce((a, b) => (b[1] < a[1] ? b : a));
      expect(loss.view.best.find((b) => b.optimizer === loss.view.optimizers[c])!.text).toBe(`best lr=${best[0]}`);
    }
    const legend = loss.shadowRoot!.querySelector('.legend')!.textContent!.replace(/\s+/g, ' ');
    expect(legend).toMatch(/SGD best lr=/);
    expect(legend).toMatch(/\d diverged/);
    expect(loss.renderStats.markers).toBeGreaterThanOrEqual(6);

    // CSV export: the sensitivity CSV through the button.
    const blobs: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob);
      return `blob:test/${blobs.length}`;
    });
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    el.shadowRoot!.querySelector<HTMLButtonElement>('[data-export="sensitivity-csv"]')!.click();
    const csv = (await blobs[0].text()).trim().split('\n');
    expect(csv[0]).toBe('optimizer,racer,lr,final loss,test accuracy,diverged,best');
    expect(csv).toHaveLength(7);
    const row = csv.find((l) => l.startsWith('SGD,SGD lr=100,100,'))!;
    expect(row).toMatch(/^SGD,SGD lr=100,100,,[^,]*,true,false$/);
    el.shadowRoot!.querySelector<HTMLButtonElement>('[data-export="sensitivity-loss-png"]')!.click();
    await until('the PNG', () => blobs.length === 2, 10_000);
    expect(blobs[1].type).toBe('image/png');

    // The loss chart groups the racers by optimizer; each entry's hover text is its settings.
    const lossChart = chartOf<LossChart>(el, 'loss-chart');
    const groups = [...lossChart.shadowRoot!.querySelectorAll<HTMLElement>('.legend-group')];
    expect(groups.map((g) => [g.dataset.group, g.querySelectorAll('.group-entries .entry').length])).toEqual([
      ['SGD', 3],
      ['Adam', 3],
    ]);
    const entries = [...lossChart.shadowRoot!.querySelectorAll<HTMLElement>('.group-entries .entry')];
    expect(entries[0].title).toBe('SGD · lr 0.001 · init he · relu');
    expect(entries[3].title).toBe('Adam · lr 0.001 · β1 0.9 · β2 0.999 · init he · relu');
    // The accuracy legend groups them alike, with the same hover text.
    const accuracyChart = chartOf<HTMLElement>(el, 'accuracy-chart');
    expect([...accuracyChart.shadowRoot!.querySelectorAll<HTMLElement>('.legend-group')].map((g) => g.dataset.group)).toEqual(['SGD', 'Adam']);
    expect(accuracyChart.shadowRoot!.querySelector<HTMLElement>('.group-entries .entry')!.title).toBe('SGD · lr 0.001 · init he · relu');
    // Sweep racers share their optimizer's marker.
    expect(new Set(lossChart.series.slice(0, 3).map((s) => s.marker)).size).toBe(1);
    const toggle = groups[0].querySelector<HTMLButtonElement>('.group-toggle')!;
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    toggle.click();
    await lossChart.updateComplete;
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(groups[0].querySelector<HTMLElement>('.group-entries')!.hidden).toBe(true);
    const hideAll = groups[1].querySelector<HTMLButtonElement>('.group-visibility')!;
    hideAll.click();
    await lossChart.updateComplete;
    expect([...groups[1].querySelectorAll('.group-entries .entry')].map((e) => e.getAttribute('aria-pressed'))).toEqual(['false', 'false', 'false']);
    // Hovering a curve (uPlot's focus on the nearest series) shows that racer's settings.
    lossChart.plot!.setSeries(4, { focus: true });
    await lossChart.updateComplete;
    expect(lossChart.shadowRoot!.querySelector('.focus')!.textContent).toBe('SGD lr=0.3162: SGD · lr 0.3162 · init he · relu');
  }, 240_000);

  it('runs the LR range test from the panel: loss against lr with the steepest descent and divergence marks', async (ctx) => {
    if (!hasWebGPU()) return ctx.skip();
    const el = await mountSmall({ iterations: '40', 'batch-size': '8', 'eval-every': '40' });
    await chooseOptimizers(el, ['sgd', 'adam']);
    await type(el, '[data-sweep="lr-min"]', '1e-4');
    await type(el, '[data-sweep="lr-max"]', '0');
    expect(panel(el).querySelector('#lr-status')!.textContent).toBe('LR range: MAX must be above MIN = 0.0001, got 0');
    await type(el, '[data-sweep="lr-max"]', '1000');
    await applyButton(el, 'apply-lr-range');
    expect(el.racers.map((r) => [r.name, r.schedule])).toEqual([
      ['SGD LR range', { kind: 'range', min: 1e-4, max: 1000 }],
      ['Adam LR range', { kind: 'range', min: 1e-4, max: 1000 }],
    ]);
    const done = finished(el);
    await el.start();
    await done;
    await el.updateComplete;
    const chart = chartOf<LrFinderChart>(el, 'lr-finder-chart');
    await until('the LR finder chart to draw', () => chart.plot && chart.renderStats.draws > 0);
    expect(chart.runs).toHaveLength(2);
    chart.runs.forEach((run, r) => {
      const losses = el.history[r].losses;
      const expected = analyzeLrFinder(rangeLrs(1e-4, 1000, losses.length, 40), losses);
      expect(run.result).toEqual(expected);
      // The lr grew from 1e-4 to 1000 exponentially.
      expect(run.result.points[0].lr).toBeCloseTo(1e-4, 12);
      expect(run.result.points.at(-1)!.lr).toBeCloseTo(1000, 6);
    });
    // SGD at lr 1000 diverges: marked, and its steepest descent lies before.
    const sgd = chart.runs[0].result;
    expect(sgd.divergence).toBeGreaterThan(0);
    expect(sgd.steepest).toBeGreaterThanOrEqual(0);
    expect(sgd.steepest).toBeLessThan(sgd.divergence);
    const legend = chart.shadowRoot!.querySelector('.legend')!.textContent!.replace(/\s+/g, ' ');
    expect(legend).toMatch(/SGD LR range steepest \S+/);
    expect(legend).toMatch(/diverges at lr \S+/);
    expect(chart.renderStats.markers).toBeGreaterThanOrEqual(3);
  }, 240_000);
});
