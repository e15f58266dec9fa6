/**
 * <adam-steps> in Chromium with WebGPU: the seed's two Adam exercises come out of the kernel with
 * the seed's values and check marks; other settings drop the closed forms; invalid settings show
 * a message; without WebGPU the CPU reference fills the table and says so.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebGPUUnavailableError } from '../src/gpu/device';
import '../src/ui/adam-steps/adam-steps';
import type { AdamSteps, StepsComputedEvent } from '../src/ui/adam-steps/adam-steps';
import { testDevice } from './gpu';

const kSqrt3Over3 = Math.sqrt(3) / 3;
const exercises = [
  { id: 'xy', start: [1, 2], x1: [0, 1], x2: [(-2 * Math.SQRT2) / 3, 1 - kSqrt3Over3], mHat2: [4 / 3, 1 / 3], closedX2: ['−2√2/3', '1 − √3/3'] },
  { id: 'x2xy', start: [1, 1], x1: [0, 0], x2: [-kSqrt3Over3, -kSqrt3Over3], mHat2: [1, 1 / 3], closedX2: ['−√3/3', '−√3/3'] },
];

const gpuDevice = testDevice();

function nextComputed(el: AdamSteps): Promise<StepsComputedEvent> {
  return new Promise((resolve) => el.addEventListener('steps-computed', resolve, { once: true }));
}

async function mount(props: Partial<AdamSteps> = {}): Promise<{ el: AdamSteps; event: StepsComputedEvent }> {
  const el = document.createElement('adam-steps');
  Object.assign(el, props);
  const computed = nextComputed(el);
  document.body.append(el);
  return { el, event: await computed };
}

const shadow = (el: AdamSteps): ShadowRoot => el.shadowRoot!;
const cellTexts = (el: AdamSteps, selector: string): string[] => Array.from(shadow(el).querySelectorAll(selector), (n) => n.textContent!.trim());

afterEach(() => document.body.replaceChildren());

describe('<adam-steps>', () => {
  it.for(exercises)("exercise $id: the kernel gives the seed's values, with check marks", async (ex) => {
    const device = await gpuDevice;
    const { el, event } = await mount({ exercise: ex.id });
    expect(event.detail.backend).toBe(device ? 'webgpu' : 'cpu');
    expect(el.backend).toBe(event.detail.backend);
    expect(el.rows).toHaveLength(2);
    const [r1, r2] = el.rows;
    expect(r1.t).toBe(1);
    for (let k = 0; k < 2; k++) {
      expect(r1.x[k]).toBeCloseTo(ex.x1[k], 5);
      expect(Math.abs(r2.x[k] - ex.x2[k])).toBeLessThan(1e-5);
      expect(Math.abs(r2.mHat[k] - ex.mHat2[k])).toBeLessThan(1e-5);
    }
    // Every value of both steps equals the seed's closed form within 1e-6.
    for (const row of el.rows) {
      expect(row.closed).not.toBeNull();
      expect(Object.values(row.matches!).flat().every(Boolean)).toBe(true);
    }
    expect(shadow(el).querySelectorAll('.mark.ok')).toHaveLength(2 * 6 * 2);
    expect(shadow(el).querySelectorAll('.mark.bad')).toHaveLength(0);
    expect(cellTexts(el, 'tbody tr:last-child td:last-child .cf')).toEqual(ex.closedX2);
    expect(shadow(el).querySelector('[part="badge"]')!.textContent).toMatch(device ? /WGSL kernel/ : /CPU reference/);
  });

  it('switches exercises from its buttons', async () => {
    const { el } = await mount();
    const computed = nextComputed(el);
    const second = shadow(el).querySelectorAll<HTMLButtonElement>('.presets button')[1];
    second.click();
    await computed;
    expect(el.exercise).toBe('x2xy');
    expect(second.getAttribute('aria-pressed')).toBe('true');
    expect(el.rows[1].x[0]).toBeCloseTo(-kSqrt3Over3, 5);
  });

  it('recomputes when lr changes, and the closed forms become "—"', async () => {
    const { el } = await mount({ exercise: 'xy' });
    const before = el.rows[1].x;
    const computed = nextComputed(el);
    const lr = shadow(el).querySelector<HTMLInputElement>('input[name="lr"]')!;
    lr.value = '0.5';
    lr.dispatchEvent(new Event('input', { bubbles: true }));
    await computed;
    expect(el.lr).toBe(0.5);
    expect(el.rows[1].x[0]).not.toBeCloseTo(before[0], 3);
    expect(el.rows.every((row) => row.closed === null)).toBe(true);
    expect(shadow(el).querySelectorAll('.mark.ok')).toHaveLength(0);
    const closed = cellTexts(el, 'tbody .cf');
    expect(closed.length).toBeGreaterThan(0);
    expect(closed.every((text) => text === '—')).toBe(true);
  });

  it('takes more steps and other functions', async () => {
    const { el } = await mount({ exercise: 'rosenbrock', steps: 20, lr: 0.1, beta1: 0.9, beta2: 0.999 });
    expect(el.rows).toHaveLength(20);
    expect(el.rows.every((row) => row.x.every(Number.isFinite))).toBe(true);
    expect(shadow(el).querySelectorAll('tbody tr')).toHaveLength(21);
  });

  it('shows the validation message for beta1 = 1 and recovers', async () => {
    const { el } = await mount();
    const beta1 = shadow(el).querySelector<HTMLInputElement>('input[name="beta1"]')!;
    beta1.value = '1';
    beta1.dispatchEvent(new Event('input', { bubbles: true }));
    await el.updateComplete;
    const message = shadow(el).querySelector('[part="error"]')!.textContent!;
    expect(message).toMatch(/beta1 .*\[0, 1\), got 1/);
    expect(el.error).toBe(message);
    expect(beta1.getAttribute('aria-invalid')).toBe('true');
    expect(shadow(el).querySelector('input[name="lr"]')!.getAttribute('aria-invalid')).toBe('false');
    expect(el.rows).toHaveLength(0);
    expect(shadow(el).querySelector('table')).toBeNull();

    el.steps = 50;
    el.beta1 = 0.5;
    await el.updateComplete;
    expect(el.error).toMatch(/steps must be a whole number from 1 to 20, got 50/);

    const computed = nextComputed(el);
    el.steps = 2;
    await computed;
    expect(el.error).toBeNull();
    expect(el.rows).toHaveLength(2);
  });

  it('rejects an unknown function and a bad start point with messages', async () => {
    const { el } = await mount();
    el.exercise = 'nope';
    await el.updateComplete;
    expect(el.error).toMatch(/Unknown function 'nope'. Known functions: seed, xy, x2xy/);
    el.exercise = 'xy';
    el.start = [NaN, 2];
    await el.updateComplete;
    expect(el.error).toMatch(/start point must be two finite numbers/);
  });

  it("without WebGPU says so and shows the CPU reference's numbers", async () => {
    const reason = 'This browser does not expose WebGPU (navigator.gpu is missing).';
    const { el, event } = await mount({ exercise: 'x2xy', deviceSource: () => Promise.reject(new WebGPUUnavailableError(reason)) });
    expect(event.detail.backend).toBe('cpu');
    expect(shadow(el).querySelector('[part="notice"]')!.textContent).toContain(reason);
    expect(shadow(el).querySelector('[part="badge"]')!.textContent).toMatch(/CPU reference/);
    expect(el.rows[1].x[0]).toBeCloseTo(-kSqrt3Over3, 6);
    expect(shadow(el).querySelectorAll('.mark.ok')).toHaveLength(24);
  });
});
