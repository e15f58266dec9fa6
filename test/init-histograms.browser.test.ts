/**
 * <init-histograms> in Chromium with WebGPU: the seed's figure (a row of five histograms) and the
 * 12-row matrix are drawn with bars, the controls recompute, invalid settings show a message, and
 * without WebGPU the float64 reference draws the same figure and says so.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebGPUUnavailableError } from '../src/gpu/device';
import '../src/ui/init-histograms/init-histograms';
import type { HistogramsComputedEvent, InitHistograms } from '../src/ui/init-histograms/init-histograms';
import { testDevice } from './gpu';

const gpuDevice = testDevice();

function nextComputed(el: InitHistograms): Promise<HistogramsComputedEvent> {
  return new Promise((resolve) => el.addEventListener('histograms-computed', resolve, { once: true }));
}

async function mount(props: Partial<InitHistograms> = {}): Promise<{ el: InitHistograms; event: HistogramsComputedEvent }> {
  const el = document.createElement('init-histograms');
  Object.assign(el, props);
  const computed = nextComputed(el);
  document.body.append(el);
  return { el, event: await computed };
}

const root = (el: InitHistograms): ShadowRoot => el.shadowRoot!;

/** Per drawn row: its data-setting and, per histogram, the number of drawn bar segments. */
function drawnRows(el: InitHistograms): { setting: string; bars: number[] }[] {
  return Array.from(root(el).querySelectorAll<HTMLElement>('[part="setting"]'), (row) => ({
    setting: row.dataset.setting!,
    bars: Array.from(row.querySelectorAll('[part="histogram"]'), (h) => h.querySelectorAll('rect.bar').length),
  }));
}

function setInput(el: InitHistograms, name: string, value: string): void {
  const input = root(el).querySelector<HTMLInputElement>(`input[name="${name}"]`)!;
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

afterEach(() => document.body.replaceChildren());

describe('<init-histograms>', () => {
  it("draws the seed's figure: one row of five histograms with bars, from the kernels", async () => {
    const device = await gpuDevice;
    const { el, event } = await mount();
    expect(event.detail.backend).toBe(device ? 'webgpu' : 'cpu');
    expect(el.backend).toBe(event.detail.backend);
    expect(event.detail.config).toMatchObject({ layers: 5, nodes: 100, samples: 1000, seed: 1, bins: 30 });
    expect(el.results).toHaveLength(1);
    const [row] = el.results;
    expect(row.setting).toEqual({ init: 1, activation: 'sigmoid' });
    for (const layer of row.layers) {
      expect(layer.counts).toHaveLength(30);
      expect(layer.counts.reduce((a, b) => a + b, 0)).toBe(100_000);
      // std 1: the outer bins hold most of the outputs.
      expect(layer.counts[0] + layer.counts[29]).toBeGreaterThan(40_000);
    }
    const rows = drawnRows(el);
    expect(rows).toEqual([{ setting: '1-sigmoid', bars: expect.any(Array) }]);
    expect(rows[0].bars).toHaveLength(5);
    for (const n of rows[0].bars) expect(n).toBeGreaterThanOrEqual(25);
    expect(root(el).querySelector('.verdict')!.textContent).toMatch(/vanishing gradients/);
    expect(root(el).querySelector('.caption')!.textContent).toMatch(/pile up at 0 and 1/);
    expect(root(el).querySelector('[part="badge"]')!.textContent).toMatch(device ? /WGSL kernels/ : /CPU reference/);
    // Every plot is an image with a description.
    const labels = Array.from(root(el).querySelectorAll('svg[role="img"]'), (s) => s.getAttribute('aria-label') ?? '');
    expect(labels).toHaveLength(5);
    expect(labels[0]).toMatch(/^Layer 1: 30 bins from 0 to 1; mean 0\.\d+, std 0\.\d+/);
  });

  it('agrees with the float64 reference on the same setting', async () => {
    const { el } = await mount({ init: 'he', activation: 'relu' });
    const { el: cpu } = await mount({ init: 'he', activation: 'relu', forceCpu: true });
    expect(cpu.backend).toBe('cpu');
    el.results[0].layers.forEach((layer, l) => {
      const ref = cpu.results[0].layers[l];
      const moved = layer.counts.reduce((a, n, k) => a + Math.abs(n - ref.counts[k]), 0) / 2;
      expect(moved).toBeLessThanOrEqual(5);
      expect(layer.zeros).toBe(ref.zeros);
      expect(layer.std).toBeCloseTo(ref.std, 3);
    });
    // He + ReLU: half the outputs are exactly 0, drawn as their own bar part, cut at the top with its count.
    expect(root(el).querySelectorAll('rect.bar.zeros')).toHaveLength(5);
    expect(root(el).querySelectorAll('.cut').length).toBeGreaterThanOrEqual(1);
    expect(root(el).querySelector('.verdict')!.textContent).toMatch(/suits ReLU/);
  });

  it('shows all 12 init x activation settings in the matrix view, and one of them alone', async () => {
    // Fewer samples: SwiftShader runs the 12 settings' forward passes on the CPU.
    const { el } = await mount({ samples: 200 });
    let computed = nextComputed(el);
    const [single, matrix] = root(el).querySelectorAll<HTMLButtonElement>('.views button');
    matrix.click();
    const event = await computed;
    expect(el.view).toBe('matrix');
    expect(matrix.getAttribute('aria-pressed')).toBe('true');
    expect(single.getAttribute('aria-pressed')).toBe('false');
    expect(event.detail.results).toHaveLength(12);
    const rows = drawnRows(el);
    expect(rows.map((r) => r.setting)).toEqual([
      '1-sigmoid',
      '0.01-sigmoid',
      'xavier-sigmoid',
      'he-sigmoid',
      '1-relu',
      '0.01-relu',
      'xavier-relu',
      'he-relu',
      '1-tanh',
      '0.01-tanh',
      'xavier-tanh',
      'he-tanh',
    ]);
    for (const row of rows) {
      expect(row.bars).toHaveLength(5);
      for (const n of row.bars) expect(n).toBeGreaterThan(0);
    }
    expect(root(el).querySelector<HTMLSelectElement>('select[name="init"]')!.disabled).toBe(true);
    // A matrix row scrolls sideways when narrow: it is focusable and named.
    expect(root(el).querySelector('.compact .layers')!.getAttribute('tabindex')).toBe('0');

    computed = nextComputed(el);
    root(el).querySelector<HTMLButtonElement>('[data-setting="xavier-tanh"] button.open')!.click();
    await computed;
    expect([el.view, el.init, el.activation]).toEqual(['single', 'xavier', 'tanh']);
    expect(drawnRows(el).map((r) => r.setting)).toEqual(['xavier-tanh']);
  });

  it('recomputes from its controls: selects, layers, and Resample', async () => {
    const { el } = await mount();
    let computed = nextComputed(el);
    const select = root(el).querySelector<HTMLSelectElement>('select[name="init"]')!;
    select.value = '0.01';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await computed;
    expect(el.results[0].setting.init).toBe(0.01);
    // 0.01: everything in the middle bins.
    const middle = el.results[0].layers[4].counts.slice(12, 18).reduce((a, b) => a + b, 0);
    expect(middle).toBe(100_000);

    computed = nextComputed(el);
    setInput(el, 'layers', '3');
    await computed;
    expect(drawnRows(el)[0].bars).toHaveLength(3);

    const before = el.results[0].layers[0].counts;
    const seed = el.seed;
    computed = nextComputed(el);
    root(el).querySelector<HTMLButtonElement>('button.resample')!.click();
    await computed;
    expect(el.seed).not.toBe(seed);
    expect(root(el).querySelector<HTMLInputElement>('input[name="seed"]')!.valueAsNumber).toBe(el.seed);
    expect(el.results[0].layers[0].counts).not.toEqual(before);
  });

  it('shows a message for invalid settings, marks the field, and recovers', async () => {
    const { el } = await mount();
    setInput(el, 'layers', '0');
    await el.updateComplete;
    expect(el.error).toMatch(/layers must be a whole number from 1 to 10, got 0/);
    expect(root(el).querySelector('[part="error"]')!.textContent).toBe(el.error);
    expect(root(el).querySelector('input[name="layers"]')!.getAttribute('aria-invalid')).toBe('true');
    expect(root(el).querySelector('input[name="nodes"]')!.getAttribute('aria-invalid')).toBe('false');

    el.init = 'huge';
    await el.updateComplete;
    expect(el.error).toMatch(/Unknown init 'huge'. Allowed: 1, 0.01, xavier, he/);

    const computed = nextComputed(el);
    el.init = '1';
    el.layers = 2;
    await computed;
    expect(el.error).toBeNull();
    expect(drawnRows(el)[0].bars).toHaveLength(2);
  });

  it('labels every control', async () => {
    const { el } = await mount();
    for (const control of root(el).querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select')) {
      expect(control.closest('label')?.textContent?.trim(), control.name).toBeTruthy();
    }
    for (const button of root(el).querySelectorAll('button')) expect(button.textContent!.trim()).not.toBe('');
  });

  it("without WebGPU says so and draws the float64 reference's histograms", async () => {
    const reason = 'This browser does not expose WebGPU (navigator.gpu is missing).';
    const { el, event } = await mount({ deviceSource: () => Promise.reject(new WebGPUUnavailableError(reason)) });
    expect(event.detail.backend).toBe('cpu');
    expect(root(el).querySelector('[part="notice"]')!.textContent).toContain(reason);
    expect(root(el).querySelector('[part="badge"]')!.textContent).toMatch(/CPU reference/);
    const rows = drawnRows(el);
    expect(rows[0].bars).toHaveLength(5);
    for (const n of rows[0].bars) expect(n).toBeGreaterThanOrEqual(25);
  });
});
