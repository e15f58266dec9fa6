/**
 * <optimizer-race>'s racer editor in Chromium: a racer's learning-rate schedule field (typed in
 * the text form, explained inline when invalid), its lr-over-iterations sparkline, and the
 * schedule in the `racers` attribute and the URL hash.
 */
import { describe, expect, it } from 'vitest';
import type { OptimizerRace } from '../src/ui/optimizer-race/optimizer-race';
import { $, $$, mount, useOptimizerRaceHarness } from './optimizer-race-harness';
import { until } from './fixtures/element-probes';

useOptimizerRaceHarness();

const type = async (input: HTMLInputElement, value: string, el: OptimizerRace) => {
  input.focus();
  input.value = value;
  input.dispatchEvent(new Event('input'));
  await el.updateComplete;
  await (el.shadowRoot!.querySelector('racer-editor') as unknown as { updateComplete: Promise<boolean> }).updateComplete;
};

describe('<optimizer-race>: learning-rate schedules in the racer editor', () => {
  it('has a schedule field per racer with a sparkline of lr over the iterations; an invalid schedule is explained inline', async () => {
    const el = await mount({
      'hash-key': 'race',
      iterations: '300',
      racers: JSON.stringify([{ optimizer: 'sgd', hyperparameters: { lr: 0.01 } }, { optimizer: 'adam' }]),
    });
    const fields = $$<HTMLInputElement>(el, 'input[data-field="schedule"]');
    expect(fields).toHaveLength(2);
    expect(fields[0].getAttribute('aria-label')).toBe('SGD learning-rate schedule');
    expect(fields[0].placeholder).toBe('constant');
    expect(fields[0].tabIndex).toBe(0);
    // Constant: a flat line.
    const flat = $$<SVGPolylineElement>(el, '.sparkline polyline')[0];
    expect(
      new Set(
        flat
          .getAttribute('points')
          ?.split(' ')
          .map((p) => p.split(',')[1]),
      ).size,
    ).toBe(1);

    await type(fields[0], 'cosine:1e-5', el);
    expect(el.racers[0].schedule).toEqual({ kind: 'cosine', floor: 1e-5 });
    const spark = $$<HTMLElement>(el, '[data-field="schedule-sparkline"]')[0];
    const svg = spark.querySelector('svg')!;
    expect(svg.getAttribute('aria-hidden')).toBe('true');
    expect([svg.getAttribute('width'), svg.getAttribute('height')]).toEqual(['80', '20']);
    expect(svg.getBoundingClientRect().width).toBeCloseTo(80, 0);
    const points = svg
      .querySelector('polyline')!
      .getAttribute('points')!
      .split(' ')
      .map((p) => p.split(',').map(Number));
    expect(points).toHaveLength(80);
    expect(points[0]).toEqual([0, 1]); // lr at the top
    expect(points[79][0]).toBe(80);
    expect(points[79][1]).toBeGreaterThan(18.9); // the floor at the bottom
    expect(spark.title).toBe('lr 0.01 → 0.00001, cosine over 300 iterations');
    expect(spark.querySelector('[data-field="schedule-summary"]')?.textContent).toBe('lr 0.01 → 0.00001, cosine over 300 iterations');
    // Its colour is the racer's (the --trace token), set by a class, not a style attribute.
    expect(getComputedStyle(svg.querySelector('polyline')!).stroke).toBe('rgb(224, 90, 71)');
    // In the link, encoded.
    expect(location.hash).toContain('sc:cosine%3A1e-5');

    await type(fields[0], 'step:2:100', el);
    const error = await until('the inline message', () => $$<HTMLElement>(el, '.error[id$="-schedule"]')[0]);
    expect(error.textContent).toBe('schedule step: factor must be in (0, 1], got 2');
    expect(fields[0].getAttribute('aria-invalid')).toBe('true');
    expect(fields[0].getAttribute('aria-describedby')?.split(' ')).toContain(error.id);
    expect($$(el, '[data-field="schedule-sparkline"]')).toHaveLength(1); // the Adam racer's only

    await type(fields[0], 'step:0.5:100', el);
    expect($$(el, '.error[id$="-schedule"]')).toEqual([]);
    expect(fields[0].getAttribute('aria-invalid')).toBe('false');
    expect($$<HTMLElement>(el, '[data-field="schedule-sparkline"]')[0].title).toBe('lr 0.01 → 0.0025, step ×0.5 every 100 over 300 iterations');
    // The sparkline follows the race's iterations.
    el.iterations = 100;
    await el.updateComplete;
    await until('the new sparkline', () => $$<HTMLElement>(el, '[data-field="schedule-sparkline"]')[0]?.title.endsWith('over 100 iterations'));
    expect($$<HTMLElement>(el, '[data-field="schedule-sparkline"]')[0].title).toBe('lr 0.01 → 0.01, step ×0.5 every 100 over 100 iterations');
  });

  it('reads a schedule from the racers attribute and from the link', async () => {
    const el = await mount({ racers: JSON.stringify([{ optimizer: 'sgd', schedule: { kind: 'warmup', steps: 10, floor: 0 } }]) });
    expect($<HTMLInputElement>(el, 'input[data-field="schedule"]').value).toBe('warmup:10:0');
    expect(el.racers[0].schedule).toEqual({ kind: 'warmup', steps: 10, floor: 0 });
    el.remove();
    history.replaceState(null, '', '#race=it:50,b:16,s:1,e:10,p:custom/sgd,lr:0.1,sc:step%3A0.5%3A10');
    const linked = await mount({ 'hash-key': 'race' });
    expect($<HTMLInputElement>(linked, 'input[data-field="schedule"]').value).toBe('step:0.5:10');
    expect(linked.racers[0].schedule).toEqual({ kind: 'step', factor: 0.5, every: 10 });
    expect($<HTMLElement>(linked, '[data-field="schedule-sparkline"]').title).toBe('lr 0.1 → 0.00625, step ×0.5 every 10 over 50 iterations');
  });
});
