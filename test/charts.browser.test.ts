/**
 * <loss-chart> and <accuracy-chart> in Chromium (no GPU needed): live appends batched into one
 * uPlot draw per frame, every racer's data in the plot (thinned past 4 points per pixel without
 * losing the extremes), markers every 100 iterations, the y-axis toggles, divergence, the legend
 * read-out at the cursor, accessibility and PNG export.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cdp, userEvent } from 'vitest/browser';
import '../src/ui/charts/accuracy-chart';
import '../src/ui/charts/loss-chart';
import type { AccuracyChart, AccuracySeries } from '../src/ui/charts/accuracy-chart';
import type { LossChart, LossSeries } from '../src/ui/charts/loss-chart';
import { kMarkerEvery } from '../src/ui/charts/loss-chart';
import { smoothCurve } from '../src/ui/charts/smoothing';
import { optimizerSpec } from '../src/optim/registry';
import { seededRandom } from '../src/util/random';
import { kFoldGroupsAbove } from '../src/ui/charts/chart-legend';

const kRacers = ['sgd', 'momentum', 'adagrad', 'adam', 'rmsprop', 'nesterov'] as const;
const kNames: Record<(typeof kRacers)[number], string> = {
  sgd: 'SGD',
  momentum: 'Momentum',
  adagrad: 'AdaGrad',
  adam: 'Adam',
  rmsprop: 'RMSprop',
  nesterov: 'Nesterov',
};

/** Six racers with empty loss arrays, and a generator of plausible noisy, decaying losses. */
function racers(): { series: LossSeries[]; next: (r: number, t: number) => number } {
  const random = seededRandom(11);
  const series = kRacers.map((id) => ({
    name: kNames[id],
    color: optimizerSpec(id).color,
    marker: optimizerSpec(id).marker,
    losses: [] as number[],
    diverged: null,
  }));
  const next = (r: number, t: number): number => (0.05 + 0.05 * r + 2.2 * Math.exp(-t / (80 + 60 * r))) * (0.8 + 0.4 * random());
  return { series, next };
}

function append(series: LossSeries[], next: (r: number, t: number) => number, count: number): void {
  series.forEach((s, r) => {
    for (let i = 0; i < count; i++) s.losses.push(next(r, s.losses.length));
  });
}

const nextFrame = (): Promise<number> => new Promise((resolve) => requestAnimationFrame(resolve));
async function frames(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await nextFrame();
}

/** Mounts an element in a box of the given width and waits until uPlot has drawn it and settled. */
async function mount<K extends 'loss-chart' | 'accuracy-chart'>(
  tag: K,
  width: number,
  setup: (el: HTMLElementTagNameMap[K]) => void,
): Promise<HTMLElementTagNameMap[K]> {
  const box = document.createElement('div');
  box.style.width = `${width}px`;
  const el = document.createElement(tag);
  setup(el);
  box.append(el);
  document.body.append(box);
  await el.updateComplete;
  for (let i = 0; i < 20 && !el.plot; i++) await nextFrame();
  if (!el.plot) throw new Error(`<${tag}> did not draw`);
  await frames(2); // the first frame thins for an estimated plot width, the next for the real one
  return el;
}

const $ = <E extends Element>(el: HTMLElement, selector: string): E => {
  const found = el.shadowRoot!.querySelector<E>(selector);
  if (!found) throw new Error(`no ${selector} in <${el.localName}>`);
  return found;
};
const $$ = <E extends Element>(el: HTMLElement, selector: string): E[] => [...el.shadowRoot!.querySelectorAll<E>(selector)];

/** uPlot's column for series i as numbers (its view may be shorter than x: no data there). */
const column = (el: LossChart | AccuracyChart, i: number): number[] => Array.from(el.plot!.data[i] as ArrayLike<number>);

afterEach(() => {
  document.body.replaceChildren();
});

describe('<loss-chart>', () => {
  it('takes 2000 points per racer in chunks of 50, drawing at most once per animation frame', async () => {
    const { series, next } = racers();
    const el = await mount('loss-chart', 900, (c) => {
      c.series = series;
    });
    const plot = el.plot!;
    const setData = vi.spyOn(plot, 'setData');
    const drawFrames: number[] = [];
    let frameTime = -1;
    // Every uPlot draw, tagged with the timestamp of the animation frame it happened in.
    plot.hooks.draw!.push(() => drawFrames.push(frameTime));
    let frameLoop = true;
    const tick = (t: number): void => {
      frameTime = t;
      if (frameLoop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    await nextFrame();

    const before = { ...el.renderStats };
    let awaitedFrames = 0;
    for (let chunk = 0; chunk < 40; chunk++) {
      append(series, next, 50);
      el.refresh();
      el.refresh(); // redundant calls coalesce
      // Half the time two chunks land in one frame, as when the engine outruns the display.
      if (chunk % 2 === 1) {
        await nextFrame();
        awaitedFrames++;
      }
    }
    await frames(2);
    awaitedFrames += 2;
    frameLoop = false;

    const flushes = el.renderStats.flushes - before.flushes;
    expect(el.renderStats.refreshes - before.refreshes).toBe(80);
    expect(flushes).toBeGreaterThanOrEqual(20);
    expect(flushes).toBeLessThanOrEqual(awaitedFrames);
    expect(setData).toHaveBeenCalledTimes(flushes);
    expect(el.renderStats.draws - before.draws).toBe(flushes);
    expect(el.renderStats.maxDrawsPerFrame).toBe(1);
    // Independently of the element's own counters: no two draws share a frame timestamp.
    expect(drawFrames.length).toBe(flushes);
    expect(new Set(drawFrames).size).toBe(drawFrames.length);
    expect(el.plot).toBe(plot); // appending never rebuilds the chart

    // A burst of refresh() calls within one task is one draw.
    const draws = el.renderStats.draws;
    append(series, next, 1);
    for (let i = 0; i < 10; i++) el.refresh();
    await frames(2);
    expect(el.renderStats.draws).toBe(draws + 1);
  });

  it('plots every racer: raw losses and their smoothing, column for column, with markers every 100 iterations', async () => {
    const { series, next } = racers();
    append(series, next, 2000);
    const el = await mount('loss-chart', 900, (c) => {
      c.series = series;
    });
    const plot = el.plot!;
    const plotWidth = plot.bbox.width / devicePixelRatio;
    expect(2000).toBeLessThanOrEqual(4 * plotWidth); // wide enough not to thin
    expect(plot.data.length).toBe(1 + 2 * series.length);
    expect(column(el, 0)).toEqual(Array.from({ length: 2000 }, (_, i) => i));
    series.forEach((s, r) => {
      expect(column(el, 1 + 2 * r)).toEqual(s.losses);
      expect(column(el, 2 + 2 * r)).toEqual(Array.from(smoothCurve(s.losses)));
    });
    expect(el.renderStats.markers).toBe(series.length * (2000 / kMarkerEvery));
    // The smoothed curve is solid, the raw one faint.
    expect(plot.series[1].alpha).toBeLessThan(0.5);
    expect(plot.series[2].alpha ?? 1).toBe(1);
  });

  it("thins to two columns per pixel past 4 points per pixel, keeping each bucket's extremes", async () => {
    const { series, next } = racers();
    append(series, next, 2000);
    series[0].losses[1234] = 9; // a spike must survive thinning
    const el = await mount('loss-chart', 360, (c) => {
      c.series = series;
    });
    const plot = el.plot!;
    const plotWidth = plot.bbox.width / devicePixelRatio;
    expect(2000).toBeGreaterThan(4 * plotWidth);
    const x = column(el, 0);
    expect(x.length).toBeLessThanOrEqual(2 * (Math.floor(plotWidth) + 1));
    expect(x[0]).toBe(0);
    expect(x[x.length - 1]).toBe(1999);
    series.forEach((s, r) => {
      const raw = column(el, 1 + 2 * r);
      expect(raw.length).toBe(x.length);
      expect(Math.max(...raw)).toBe(Math.max(...s.losses));
      expect(Math.min(...raw)).toBe(Math.min(...s.losses));
      // Smoothed columns are the smoothed curve sampled at the columns' iterations.
      const smooth = smoothCurve(s.losses);
      expect(column(el, 2 + 2 * r)).toEqual(x.map((it) => smooth[it]));
    });
    // Markers do not depend on thinning.
    expect(el.renderStats.markers).toBe(6 * 20);
  });

  it("shows the seed's 0..1 by default; the toggles switch to auto and log (keyboard too)", async () => {
    const { series, next } = racers();
    append(series, next, 600);
    const el = await mount('loss-chart', 700, (c) => {
      c.series = series;
    });
    expect(el.yRange).toBe('seed');
    expect([el.plot!.scales.y.min, el.plot!.scales.y.max]).toEqual([0, 1]);
    const radios = $$<HTMLInputElement>(el, 'input[type="radio"]');
    expect(radios.map((r) => r.value)).toEqual(['seed', 'auto', 'log']);
    expect(radios[0].checked).toBe(true);
    expect(radios[0].closest('label')!.textContent!.trim()).toBe('0–1');
    expect($(el, '[role="radiogroup"]').getAttribute('aria-labelledby')).toBe('y-label');

    await userEvent.click(radios[2].closest('label')!);
    await el.updateComplete;
    await frames(2);
    expect(el.yRange).toBe('log');
    expect(el.getAttribute('y-range')).toBe('log');
    const log = el.plot!;
    expect(log.scales.y.distr).toBe(3);
    const allLosses = series.flatMap((s) => s.losses);
    expect(log.scales.y.min!).toBeGreaterThan(0);
    expect(log.scales.y.min!).toBeLessThanOrEqual(Math.min(...allLosses));
    expect(log.scales.y.max!).toBeGreaterThanOrEqual(Math.max(...allLosses));
    expect(el.renderStats.markers).toBe(6 * 6);

    // Arrow keys move within the radio group.
    radios.forEach((r) => r.blur());
    $$<HTMLInputElement>(el, 'input[type="radio"]')[2].focus();
    await userEvent.keyboard('{ArrowLeft}');
    await el.updateComplete;
    await frames(2);
    expect(el.yRange).toBe('auto');
    expect(el.plot!.scales.y.distr).toBe(1);
    expect(el.plot!.scales.y.max!).toBeGreaterThanOrEqual(Math.max(...allLosses));
    expect(el.plot!.scales.y.min!).toBe(0); // losses are positive: no padding below zero

    // The attribute and yMax: the init race's 0..2.5.
    el.setAttribute('y-range', 'seed');
    el.yMax = 2.5;
    await el.updateComplete;
    await frames(2);
    expect([el.plot!.scales.y.min, el.plot!.scales.y.max]).toEqual([0, 2.5]);
    expect($$<HTMLInputElement>(el, 'input[type="radio"]')[0].closest('label')!.textContent!.trim()).toBe('0–2.5');
  });

  it('keeps drawing when a racer diverges (NaN tail), and says so', async () => {
    const errors: string[] = [];
    const onError = (e: ErrorEvent): void => {
      errors.push(e.message);
    };
    window.addEventListener('error', onError);
    const { series, next } = racers();
    append(series, next, 700);
    const el = await mount('loss-chart', 900, (c) => {
      c.series = series;
    });
    // RMSprop diverges at iteration 700: the engine keeps appending NaN for it.
    series[4].diverged = 700;
    series.forEach((s, r) => {
      for (let t = 700; t < 1200; t++) s.losses.push(r === 4 ? NaN : next(r, t));
    });
    el.refresh();
    await frames(2);
    for (const mode of ['auto', 'log', 'seed'] as const) {
      el.yRange = mode;
      await el.updateComplete;
      await frames(2);
      expect(el.plot!.data[0].length).toBe(1200);
      // The diverged racer's columns end where it diverged; the others go on.
      expect(el.plot!.data[1 + 2 * 4].length).toBe(700);
      expect(el.plot!.data[2 + 2 * 4].length).toBe(700);
      expect(column(el, 2 + 2 * 4).every(Number.isFinite)).toBe(true); // no NaN smeared back
      expect(el.plot!.data[2].length).toBe(1200);
      expect(Number.isFinite(el.plot!.scales.y.min) && Number.isFinite(el.plot!.scales.y.max)).toBe(true);
      expect(el.renderStats.markers).toBe(5 * 12 + 7);
    }
    window.removeEventListener('error', onError);
    expect(errors).toEqual([]);
    const rms = $$<HTMLButtonElement>(el, '.legend .entry')[4];
    expect(rms.querySelector('.danger')!.textContent).toBe('diverged at 700');
    expect(rms.querySelector('.value')!.textContent).not.toBe('–'); // its last finite loss
    expect($(el, '.plot').getAttribute('aria-label')).toMatch(/; diverged: RMSprop$/);
  });

  it("reads out every racer's loss at the cursor, and toggles racers from the legend", async () => {
    const { series, next } = racers();
    append(series, next, 1000);
    const el = await mount('loss-chart', 900, (c) => {
      c.series = series;
    });
    expect($(el, '.readout').textContent).toBe('iteration 999 (latest)');
    const plot = el.plot!;
    plot.setCursor({ left: plot.valToPos(500, 'x'), top: 40 });
    await el.updateComplete;
    expect($(el, '.readout').textContent).toBe('iteration 500');
    const entries = $$<HTMLButtonElement>(el, '.legend .entry');
    expect(entries).toHaveLength(6);
    series.forEach((s, r) => {
      expect(entries[r].querySelector('.name')!.textContent).toBe(s.name);
      expect(entries[r].querySelector('.value')!.textContent).toBe(smoothCurve(s.losses)[500].toPrecision(4));
      expect(entries[r].querySelector('.detail')!.textContent).toBe(`raw ${s.losses[500].toPrecision(4)}`);
    });

    // Hide Adam (racer 3): both its curves and its markers go; pressing again brings them back.
    await userEvent.click(entries[3]);
    await el.updateComplete;
    await frames(2);
    expect(entries[3].getAttribute('aria-pressed')).toBe('false');
    expect(plot.series[1 + 2 * 3].show).toBe(false);
    expect(plot.series[2 + 2 * 3].show).toBe(false);
    expect(el.renderStats.markers).toBe(5 * 10);
    entries[3].focus();
    await userEvent.keyboard('{Enter}');
    await el.updateComplete;
    await frames(2);
    expect(entries[3].getAttribute('aria-pressed')).toBe('true');
    expect(plot.series[2 + 2 * 3].show).toBe(true);
    expect(el.renderStats.markers).toBe(6 * 10);

    // The raw-loss switch hides the faint curves only.
    await userEvent.click($<HTMLInputElement>(el, '.check input'));
    await el.updateComplete;
    await frames(2);
    expect(plot.series.filter((_, i) => i > 0 && i % 2 === 1).every((s) => s.show === false)).toBe(true);
    expect(plot.series.filter((_, i) => i > 0 && i % 2 === 0).every((s) => s.show === true)).toBe(true);
  });

  it('starts a long grouped legend folded (group heads only), a short one open', async () => {
    const grouped = (n: number): LossSeries[] =>
      Array.from({ length: n }, (_, r) => ({
        name: `racer ${r}`,
        color: '#336699',
        marker: 'circle',
        losses: [2, 1.5, 1],
        diverged: null,
        group: r < n / 2 ? 'SGD' : 'Adam',
        settings: `racer ${r}'s settings`,
      }));
    const long = await mount('loss-chart', 900, (c) => {
      c.series = grouped(kFoldGroupsAbove + 2);
    });
    expect($$(long, '.group-toggle').map((t) => t.getAttribute('aria-expanded'))).toEqual(['false', 'false']);
    expect($$<HTMLElement>(long, '.group-entries').every((list) => list.hidden)).toBe(true);
    // Unfolding one is kept while the same series draw on.
    $$<HTMLButtonElement>(long, '.group-toggle')[0].click();
    await long.updateComplete;
    long.refresh();
    await long.updateComplete;
    expect($$(long, '.group-toggle').map((t) => t.getAttribute('aria-expanded'))).toEqual(['true', 'false']);
    const short = await mount('loss-chart', 900, (c) => {
      c.series = grouped(6);
    });
    expect($$(short, '.group-toggle').map((t) => t.getAttribute('aria-expanded'))).toEqual(['true', 'true']);
  });

  it("summarises the plot for screen readers and follows its box's width", async () => {
    const { series, next } = racers();
    append(series, next, 1200);
    const el = await mount('loss-chart', 800, (c) => {
      c.series = series;
    });
    const plotBox = $(el, '.plot');
    expect(plotBox.getAttribute('role')).toBe('img');
    const last = series.map((s) => smoothCurve(s.losses)[1199]);
    const best = last.indexOf(Math.min(...last));
    expect(plotBox.getAttribute('aria-label')).toBe(`loss of 6 racers over 1200 iterations; lowest: ${series[best].name} ${last[best].toPrecision(3)}`);
    expect(el.plot!.width).toBe(800);
    (el.parentElement as HTMLElement).style.width = '500px';
    for (let i = 0; i < 10 && el.plot!.width !== 500; i++) await nextFrame();
    expect(el.plot!.width).toBe(500);
    expect(el.renderStats.maxDrawsPerFrame).toBe(1);
  });

  it('follows the colour scheme, and draws again when moved to another place in the page', async () => {
    const { series, next } = racers();
    append(series, next, 300);
    const el = await mount('loss-chart', 700, (c) => {
      c.series = series;
    });
    const axisColour = (): string => String((el.plot!.axes[1].stroke as (u: unknown, i: number) => string)(el.plot, 1));
    const light = axisColour();
    expect(light).toBe(getComputedStyle(el).getPropertyValue('--or-muted').trim());
    try {
      await cdp().send('Emulation.setEmulatedMedia', { features: [{ name: 'prefers-color-scheme', value: 'dark' }] });
      for (let i = 0; i < 10 && axisColour() === light; i++) await nextFrame();
      expect(axisColour()).not.toBe(light);
      expect(axisColour()).toBe(getComputedStyle(el).getPropertyValue('--or-muted').trim());
    } finally {
      await cdp().send('Emulation.setEmulatedMedia', { features: [] });
    }

    const other = document.createElement('div');
    other.style.width = '600px';
    document.body.append(other);
    other.append(el);
    for (let i = 0; i < 10 && el.plot?.width !== 600; i++) await nextFrame();
    expect(el.plot!.width).toBe(600);
    expect(el.plot!.data[0].length).toBe(300);
    expect(el.shadowRoot!.querySelectorAll('.uplot')).toHaveLength(1);
  });

  it('reports malformed series instead of failing', async () => {
    const { series, next } = racers();
    append(series, next, 300);
    const bad = { ...series[1], marker: 'hexagon' } as unknown as LossSeries;
    const el = await mount('loss-chart', 700, (c) => {
      c.series = [series[0], bad];
    });
    expect($(el, '[part="message"]').textContent).toMatch(
      /series\[1\] \(Momentum\): marker must be one of circle, cross, square, diamond, triangle-down, triangle-up, .* \(got hexagon\)/,
    );
    expect(el.plot!.data.length).toBe(5); // still drawn, with a circle
  });

  it('exports a PNG of the plot and its legend', async () => {
    const { series, next } = racers();
    append(series, next, 800);
    const el = await mount('loss-chart', 700, (c) => {
      c.series = series;
    });
    append(series, next, 10);
    el.refresh(); // pending: toPNG applies it first
    const blob = await el.toPNG();
    expect(blob.type).toBe('image/png');
    expect(blob.size).toBeGreaterThan(5000);
    const image = await createImageBitmap(blob);
    const canvas = el.plot!.ctx.canvas;
    expect(image.width).toBe(canvas.width);
    expect(image.height).toBeGreaterThan(canvas.height); // the legend below
    expect(el.plot!.data[0].length).toBe(810);
  });
});

describe('<accuracy-chart>', () => {
  function accuracySeries(): AccuracySeries[] {
    return kRacers.map((id, r) => ({
      name: kNames[id],
      color: optimizerSpec(id).color,
      marker: optimizerSpec(id).marker,
      points: Array.from({ length: 20 }, (_, k) => ({ iteration: 100 * (k + 1), test: 0.97 - 0.5 * Math.exp(-(k + 1) / (1 + r)) })),
    }));
  }

  it('plots each checkpoint in percent with a marker, 0..100 % by default, auto-zoom on request', async () => {
    const series = accuracySeries();
    const el = await mount('accuracy-chart', 800, (c) => {
      c.series = series;
    });
    const plot = el.plot!;
    expect(column(el, 0)).toEqual(series[0].points.map((p) => p.iteration));
    series.forEach((s, r) => expect(column(el, 1 + r)).toEqual(s.points.map((p) => p.test! * 100)));
    expect(el.renderStats.markers).toBe(6 * 20);
    expect([plot.scales.y.min, plot.scales.y.max]).toEqual([0, 100]);
    expect($(el, '.plot').getAttribute('aria-label')).toMatch(/^test accuracy of 6 racers at 20 checkpoints up to iteration 2000; best: \w+ 9\d\.\d %$/);

    await userEvent.click($$<HTMLInputElement>(el, 'input[type="radio"]')[1].closest('label')!);
    await el.updateComplete;
    await frames(2);
    expect(el.yRange).toBe('auto');
    const lowest = Math.min(...series.flatMap((s) => s.points.map((p) => p.test! * 100)));
    expect(el.plot!.scales.y.min!).toBeGreaterThan(0);
    expect(el.plot!.scales.y.min!).toBeLessThanOrEqual(lowest);
    expect(el.plot!.scales.y.max!).toBeLessThanOrEqual(100);

    // Live: a new checkpoint appended in place.
    series.forEach((s) => s.points.push({ iteration: 2100, test: 0.975 }));
    el.refresh();
    await frames(2);
    expect(el.plot!.data[0].length).toBe(21);
    expect(el.renderStats.markers).toBe(6 * 21);
    el.plot!.setCursor({ left: el.plot!.valToPos(1000, 'x'), top: 30 });
    await el.updateComplete;
    expect($(el, '.readout').textContent).toBe('iteration 1000');
    expect($$(el, '.legend .value')[0].textContent).toBe(`${(series[0].points[9].test! * 100).toFixed(1)} %`);

    const blob = await el.toPNG();
    expect(blob.type).toBe('image/png');
    expect(blob.size).toBeGreaterThan(3000);
  });

  it('says when accuracies look like percentages instead of fractions, and handles racers that stopped', async () => {
    const series = accuracySeries();
    series[2].points = series[2].points.slice(0, 5); // diverged after iteration 500
    series[3].points[4] = { iteration: 500, test: 96.5 };
    const el = await mount('accuracy-chart', 800, (c) => {
      c.series = series;
    });
    await el.updateComplete;
    expect($(el, '[part="message"]').textContent).toMatch(/Adam: test accuracy must be a fraction in \[0, 1\].*got test 96.5 at iteration 500/);
    expect(el.plot!.data[1 + 2].length).toBe(5);
    expect(el.renderStats.markers).toBe(6 * 20 - 15 - 1);
  });
});
