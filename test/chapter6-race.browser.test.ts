/**
 * The chapter-6 sections' elements: the figures drawn from synthetic checkpoints (the engine's
 * AccuracyCheckpoint, {iteration, epoch, train, test}), then one short real race driven by
 * <chapter6-race>'s Start, Pause and Reset on the WebAssembly engine, its figure filling in.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mountElement, until } from './fixtures/element-probes';
import '../src/ui/chapter6-race/chapter6-race';
import type { BatchNormFigure, Chapter6Race, FigureRacer, OverfitFigure } from '../src/ui/chapter6-race/chapter6-race';
import { kBatchNormPreset, kOverfitPreset } from '../src/race/chapter6-presets';
import { resolvedRacerJson, resolveRace, type RaceConfig } from '../src/race/config';
import type { AccuracyCheckpoint } from '../src/race/engine';

afterEach(() => document.body.replaceChildren());

/** The preset's racers with `epochs` checkpoints each from `accuracy(racer, epoch)`. */
function racers(
  config: RaceConfig,
  epochs: number,
  accuracy: (racer: number, epoch: number) => Omit<AccuracyCheckpoint, 'iteration' | 'epoch'>,
): FigureRacer[] {
  return resolveRace(config).racers.map((r, k) => ({
    ...resolvedRacerJson(r),
    accuracy: Array.from({ length: epochs }, (_, epoch) => ({ iteration: epoch * 3 + 1, epoch, ...accuracy(k, epoch) })),
  }));
}

/** A polyline's points as numbers. */
const points = (line: Element | null | undefined): { x: number; y: number }[] =>
  (line?.getAttribute('points') ?? '')
    .split(' ')
    .filter(Boolean)
    .map((p) => {
      const [x, y] = p.split(',').map(Number);
      return { x, y };
    });

/** The y of a plot's tick label (its text: '0', '1'). */
const tickY = (plot: Element, text: string): number => Number([...plot.querySelectorAll('.tick')].find((t) => t.textContent === text)?.getAttribute('y'));

describe('<batch-norm-figure>', () => {
  it('draws the book\'s 4 x 4 grid: one chart per weight scale, titled "W: 0.0464", with batch norm solid and without dashed, y from 0 to 1', async () => {
    // Batch norm learns (0.1 → 1 over 20 epochs); without it, chance (0.1) everywhere but at the scale 0.292.
    const history = racers(kBatchNormPreset, 20, (k, epoch) => ({
      train: k % 2 === 0 ? 0.1 + (0.9 * epoch) / 19 : k === 5 ? 0.9 : 0.1,
      test: 0.1,
    }));
    const el = await mountElement<BatchNormFigure>('batch-norm-figure', { racers: history, epochs: 20 });
    const panels = [...el.shadowRoot!.querySelectorAll('[part="panel"]')];
    // numpy.logspace(0, -4, 16) to 3 significant digits, as the book's titles print them.
    const scales = [
      '1',
      '0.541',
      '0.293',
      '0.158',
      '0.0858',
      '0.0464',
      '0.0251',
      '0.0136',
      '0.00736',
      '0.00398',
      '0.00215',
      '0.00117',
      '0.000631',
      '0.000341',
      '0.000185',
      '0.0001',
    ];
    expect(panels.map((p) => p.querySelector('.panel-title')?.textContent)).toEqual(scales.map((s) => `W: ${s}`));
    for (const panel of panels) {
      const bn = panel.querySelector('[data-series="bn"] polyline');
      const plain = panel.querySelector('[data-series="plain"] polyline');
      expect([bn?.getAttribute('data-style'), plain?.getAttribute('data-style')]).toEqual(['solid', 'dashed']);
      expect([points(bn).length, points(plain).length]).toEqual([20, 20]);
      const plot = panel.querySelector('svg')!;
      // Accuracy 0.1 at epoch 0, 1 at the last epoch: y runs from the 0 tick to the 1 tick.
      const top = tickY(plot, '1');
      const bottom = tickY(plot, '0');
      expect(points(bn)[19].y).toBeCloseTo(top, 1);
      expect(points(bn)[0].y).toBeCloseTo(bottom + 0.1 * (top - bottom), 1);
      expect(plot.getAttribute('role')).toBe('img');
      expect(plot.getAttribute('aria-label')).toMatch(/with batch norm 1\.00 after epoch 20, without 0\.(10|90) after epoch 20/);
    }
    expect(el.shadowRoot!.querySelector('[data-summary]')?.textContent?.replace(/\s+/g, ' ')).toContain(
      'at 16 of 16 weight scales with batch norm, and at 1 without',
    );
    expect(el.shadowRoot!.querySelectorAll('tbody tr')).toHaveLength(16);
    expect(el.shadowRoot!.querySelector('[data-diverged]')).toBeNull();
    // A network whose loss stopped being finite: its line ends, and the chart says so.
    el.racers = history.map((r, k) => (k === 1 ? { ...r, accuracy: r.accuracy.slice(0, 1), diverged: 2 } : r));
    await el.updateComplete;
    const first = el.shadowRoot!.querySelector('[part="panel"]')!;
    expect(points(first.querySelector('[data-series="plain"] polyline'))).toHaveLength(1);
    expect(first.querySelector('[data-diverged]')?.textContent).toBe('without: diverged');
    expect(first.querySelector('svg')?.getAttribute('aria-label')).toContain('without 0.10 after epoch 1, then diverged at iteration 2');
  });

  it('fills in as checkpoints arrive: empty charts before the race, then the epochs measured so far', async () => {
    const el = await mountElement<BatchNormFigure>('batch-norm-figure', { racers: racers(kBatchNormPreset, 0, () => ({ test: 0 })), epochs: 20 });
    expect(el.shadowRoot!.querySelectorAll('[part="panel"]')).toHaveLength(16);
    expect(points(el.shadowRoot!.querySelector('[data-series="bn"] polyline'))).toHaveLength(0);
    expect(el.shadowRoot!.querySelector('[data-summary]')).toBeNull();
    el.racers = racers(kBatchNormPreset, 3, () => ({ train: 0.5, test: 0.4 }));
    await el.updateComplete;
    expect(points(el.shadowRoot!.querySelector('[data-series="bn"] polyline'))).toHaveLength(3);
  });
});

describe('<overfit-figure>', () => {
  it('draws train solid with circles and test dashed with squares, markers every 10 epochs, and the gap at the end', async () => {
    // λ = 0: train → 1.00, test → 0.79; λ = 0.1: train → 0.93, test → 0.76 (the independent run's figures, CHAPTER6.md).
    const ends = [
      [1, 0.79],
      [0.93, 0.76],
    ];
    const history = racers(kOverfitPreset, 201, (k, epoch) => ({ train: (ends[k][0] * (epoch + 1)) / 201, test: (ends[k][1] * (epoch + 1)) / 201 }));
    const el = await mountElement<OverfitFigure>('overfit-figure', { racers: history, epochs: 201 });
    const panels = [...el.shadowRoot!.querySelectorAll('[part="panel"]')];
    expect(panels.map((p) => p.querySelector('.panel-title')?.textContent)).toEqual(['λ = 0', 'λ = 0.1']);
    for (const panel of panels) {
      const train = panel.querySelector('[data-series="train"]')!;
      const test = panel.querySelector('[data-series="test"]')!;
      expect(train.querySelector('polyline')?.getAttribute('data-style')).toBe('solid');
      expect(test.querySelector('polyline')?.getAttribute('data-style')).toBe('dashed');
      expect(points(train.querySelector('polyline'))).toHaveLength(201);
      // Epochs 0, 10, ..., 200.
      expect([...train.querySelectorAll('.marker')].map((m) => m.getAttribute('data-marker'))).toEqual(Array(21).fill('circle'));
      expect([...test.querySelectorAll('.marker')].map((m) => m.getAttribute('data-marker'))).toEqual(Array(21).fill('square'));
    }
    expect(panels.map((p) => p.querySelector('[data-gap]')?.textContent)).toEqual([
      'epoch 201: train 1.00, test 0.79, gap 0.21',
      'epoch 201: train 0.93, test 0.76, gap 0.17',
    ]);
    expect(el.shadowRoot!.querySelector('[data-summary]')?.textContent).toBe(
      'λ = 0.1 narrows the gap between training and test accuracy from 0.21 (λ = 0) to 0.17.',
    );
  });

  it('draws the test line alone while training accuracy is not measured, and says the gap needs it', async () => {
    const el = await mountElement<OverfitFigure>('overfit-figure', { racers: racers(kOverfitPreset, 12, () => ({ test: 0.5 })), epochs: 201 });
    const panel = el.shadowRoot!.querySelector('[part="panel"]')!;
    expect(points(panel.querySelector('[data-series="test"] polyline'))).toHaveLength(12);
    expect(points(panel.querySelector('[data-series="train"] polyline'))).toHaveLength(0);
    expect(panel.querySelectorAll('[data-series="test"] .marker')).toHaveLength(2);
    expect(panel.querySelector('[data-gap]')?.textContent).toBe('epoch 12: test 0.50; the gap needs training accuracy, not measured');
  });
});

describe('<chapter6-race>', () => {
  it('Start, Pause and Reset drive a shortened overfit race on the WebAssembly engine, and its figure fills in', async () => {
    // 6 epochs of 200 images in batches of 100: 12 iterations, accuracy after each epoch.
    const el = document.createElement('chapter6-race') as Chapter6Race;
    Object.assign(el, { preset: 'overfit', backend: 'wasm', epochs: 6, trainLimit: 200 });
    document.body.append(el);
    const root = el.shadowRoot!;
    const button = (action: string) => root.querySelector<HTMLButtonElement>(`button[data-action="${action}"]`)!;
    const testLine = () => root.querySelector('overfit-figure')?.shadowRoot?.querySelector('[data-series="test"] polyline');
    const checkpoints = () => el.engine?.history[0].accuracy ?? [];
    await until('Start enabled', () => el.hasUpdated && !button('start').disabled);
    expect(root.querySelector('overfit-figure')?.shadowRoot?.querySelectorAll('[part="panel"]')).toHaveLength(2);

    button('start').click();
    await until('the first checkpoint', () => checkpoints().length > 0);
    button('start').click(); // now Pause
    await until('the pause', () => el.status === 'paused', 60_000);
    await el.updateComplete;
    const measured = checkpoints().length;
    expect(measured).toBeLessThan(6);
    expect(root.querySelector('[part="backend"]')?.textContent).toContain('WebAssembly');
    expect(points(testLine())).toHaveLength(measured);

    button('start').click(); // Resume
    await until('the end', () => el.status === 'finished', 120_000);
    await el.updateComplete;
    await root.querySelector('overfit-figure')?.updateComplete;
    expect(checkpoints().map((c) => c.epoch)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(points(testLine())).toHaveLength(6);
    // Training accuracy is drawn when the engine measures it (the preset asks for it).
    const train = root.querySelector('overfit-figure')?.shadowRoot?.querySelector('[data-series="train"] polyline');
    expect(points(train)).toHaveLength(checkpoints().filter((c) => c.train !== undefined).length);
    expect(root.querySelector('[data-readout="epoch"]')?.textContent).toBe('epoch 6 / 6');

    button('reset').click();
    await el.updateComplete;
    await root.querySelector('overfit-figure')?.updateComplete;
    expect(el.status).toBe('idle');
    expect(points(testLine())).toHaveLength(0);
    expect(root.querySelector('[data-readout="epoch"]')?.textContent).toBe('epoch 0 / 6');
  });

  it("says which presets it draws: the search is <search-race>'s, an unknown one is named", async () => {
    for (const [preset, message] of [
      ['hypersearch', /use <search-race>/],
      ['nope', /"nope" is not one of batchnorm, overfit, dropout/],
    ] as const) {
      const el = Object.assign(document.createElement('chapter6-race'), { preset, backend: 'cpu' }) as Chapter6Race;
      document.body.append(el);
      await until('the message', () => el.hasUpdated && !!el.shadowRoot?.querySelector('[part="message"]'));
      expect(el.shadowRoot?.querySelector('[part="message"]')?.textContent).toMatch(message);
      el.remove();
    }
  });
});
