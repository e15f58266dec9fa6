/**
 * <optimizer-race> in Chromium with WebGPU on SwiftShader (slow: ~1 GFLOP/s, so races are small:
 * batch 16, a 2,000/200 subset of the embedded MNIST picked through the file input, which also
 * keeps each evaluation cheap): loading, a 40-iteration race of the seed's six racers, divergence,
 * loading failures, the loss chart's time-lapse. The settings, exports, links and backends are in optimizer-race-settings.
 */
import { describe, expect, it, vi } from 'vitest';
import type { RaceProgressDetail } from '../src/ui/optimizer-race/optimizer-race';
import { parseGif, parseWebm } from './fixtures/media-parsers';
import { probeVideo } from './fixtures/probe-video';
import {
  $,
  $$,
  click,
  finished,
  hasWebGPU,
  kSeedNames,
  mean,
  mount,
  mountSmall,
  pickFiles,
  smallMnistFiles,
  text,
  useOptimizerRaceHarness,
} from './optimizer-race-harness';
import { until } from './fixtures/element-probes';

useOptimizerRaceHarness();

const hexRgb = (hex: string): number[] => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));

describe('<optimizer-race>', () => {
  it("loads the embedded MNIST with a progress bar and starts with the seed's six racers", async () => {
    const el = document.createElement('optimizer-race');
    el.setAttribute('hash-key', '');
    document.body.append(el);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('progress.load')).not.toBeNull();
    await until('the data', () => el.mnist);
    await el.updateComplete;
    expect(el.mnist).toMatchObject({ source: 'embedded', trainCount: 8000, testCount: 2000 });
    expect(text(el, '.dataset')).toMatch(/embedded MNIST subset: 8,000 training \/ 2,000 test images/);
    expect(el.shadowRoot!.querySelector('progress.load')).toBeNull();
    expect(el.racers.map((r) => r.optimizer)).toEqual(['sgd', 'momentum', 'adagrad', 'adam', 'rmsprop', 'nesterov']);
    expect($$(el, '.racer-card')).toHaveLength(6);
    expect($<HTMLSelectElement>(el, 'select[data-setting="preset"]').value).toBe('seed');
    expect([el.iterations, el.batchSize, el.seed, el.evalEvery]).toEqual([2000, 128, 1, 100]);
    // The first 16 test digits are drawn from the data set's pixels.
    const canvases = $$<HTMLCanvasElement>(el, '.digit canvas');
    expect(canvases).toHaveLength(16);
    const alpha = canvases[0]
      .getContext('2d')!
      .getImageData(0, 0, 28, 28)
      .data.filter((_, i) => i % 4 === 3);
    expect(Array.from(alpha)).toEqual(Array.from(el.mnist!.testImages.subarray(0, 784)));
    // auto: WebGPU, or WebAssembly SIMD without it: Start is ready either way.
    expect($<HTMLButtonElement>(el, '[data-action="start"]').disabled).toBe(false);
  });

  it("runs a 40-iteration race of the seed's six: charts, falling losses, events, leaderboard, digits, exports", async (ctx) => {
    if (!hasWebGPU()) return ctx.skip();
    const el = await mountSmall({ iterations: '40', 'batch-size': '8', 'eval-every': '20' });
    const progress: RaceProgressDetail[] = [];
    el.addEventListener('race-progress', (e) => {
      progress.push(e.detail);
    });
    let finishedDetail: unknown;
    el.addEventListener('race-finished', (e) => {
      finishedDetail = e.detail;
    });
    const done = finished(el);
    await click(el, '[data-action="start"]');
    await until('the race to run', () => el.status === 'running');
    await el.updateComplete;
    expect($(el, '[data-action="start"]').textContent?.trim()).toBe('Pause');
    expect($<HTMLFieldSetElement>(el, 'fieldset.racers').disabled).toBe(true);
    await done;
    await el.updateComplete;

    expect(el.status).toBe('finished');
    expect(el.activeBackend).toBe('webgpu');
    expect(finishedDetail).toEqual({ history: el.history, backend: 'webgpu' });
    expect(el.history.map((h) => h.name)).toEqual(kSeedNames);
    for (const h of el.history) {
      expect(h.losses).toHaveLength(40);
      expect(h.diverged).toBeNull();
      // Losses fall: the last ten iterations' mean is below the first ten's.
      expect(mean(h.losses.slice(-10))).toBeLessThan(mean(h.losses.slice(0, 10)));
      expect(h.accuracy.map((a) => a.iteration)).toEqual([20, 40]);
      expect(h.predictions).toHaveLength(16);
    }
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress.at(-1)).toMatchObject({ iteration: 40, iterations: 40 });
    expect(progress.at(-1)!.losses).toEqual(el.history.map((h) => h.losses[39]));
    expect(progress.map((p) => p.iteration)).toEqual([...progress.map((p) => p.iteration)].sort((a, b) => a - b));

    // The charts got every point (their series are the history's own arrays) and drew them.
    const lossChart = $<HTMLElement & { series: { losses: number[] }[]; renderStats: { setData: number } }>(el, 'loss-chart');
    expect(lossChart.series.map((s) => s.losses.length)).toEqual(Array(6).fill(40));
    await until('the loss chart to draw', () => lossChart.renderStats.setData > 0);
    const accuracyChart = $<HTMLElement & { series?: { points: unknown[] }[] }>(el, 'accuracy-chart');
    expect(accuracyChart.series?.map((s) => s.points.length)).toEqual(Array(6).fill(2));

    // Read-outs, leaderboard and digits.
    expect(text(el, '[data-readout="iteration"]')).toBe('iteration 40 / 40');
    expect(text(el, '[data-readout="speed"]')).toMatch(/^\d+(\.\d)? it\/s$/);
    expect($<HTMLProgressElement>(el, '.progress progress').value).toBe(40);
    const rows = $$(el, '.leaderboard tbody tr');
    expect(rows).toHaveLength(6);
    for (const row of rows) {
      expect(row.querySelector('[data-col="accuracy"]')!.textContent).toMatch(/^\d+\.\d%$/);
      expect(row.querySelector('[data-col="loss"]')!.textContent).toMatch(/^\d+\.\d{4}$/);
      expect(row.querySelector('[data-col="status"]')!.textContent).toMatch(/finished/);
    }
    const accuracies = rows.map((row) => parseFloat(row.querySelector('[data-col="accuracy"]')!.textContent!));
    expect(accuracies).toEqual([...accuracies].sort((a, b) => b - a));
    expect($$(el, '.prediction')).toHaveLength(16 * 6);
    const right = $$(el, '.prediction.right').length;
    expect(right).toBe(el.history.reduce((n, h) => n + h.predictions.filter((p, i) => p === el.mnist!.testLabels[i]).length, 0));

    // Exports: the builders, and a click on each button makes a file through an object URL.
    const lossLines = el.lossCsv().trim().split('\n');
    expect(lossLines[0]).toBe(`iteration,${kSeedNames.join(',')}`);
    expect(lossLines).toHaveLength(41);
    expect(lossLines[1].split(',').map(Number)).toEqual([1, ...el.history.map((h) => h.losses[0])]);
    const accuracyLines = el.accuracyCsv().trim().split('\n');
    expect(accuracyLines[0]).toBe(`iteration,${kSeedNames.join(',')}`);
    expect(accuracyLines.slice(1).map((l) => l.split(',')[0])).toEqual(['20', '40']);
    const json = el.json()!;
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['config', 'racers']));
    expect(json.config).toMatchObject({ iterations: 40, batchSize: 8, evalEvery: 20, seed: 1, sizes: [784, 100, 100, 100, 100, 10] });
    expect(Object.keys(json.racers[0])).toEqual(expect.arrayContaining(['name', 'optimizer', 'hyperparameters', 'losses', 'accuracy', 'diverged']));
    expect(json.racers[3]).toMatchObject({ name: 'Adam', optimizer: 'adam', hyperparameters: { lr: 0.001, beta1: 0.9, beta2: 0.999 }, diverged: null });

    const blobs: Blob[] = [];
    const createObjectURL = vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob);
      return `blob:test/${blobs.length}`;
    });
    const clicks = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      expect(this.download).toMatch(/^optimizer-race/);
    });
    await click(el, '[data-export="loss-csv"]');
    await click(el, '[data-export="accuracy-csv"]');
    await click(el, '[data-export="json"]');
    expect(createObjectURL).toHaveBeenCalledTimes(3);
    expect(clicks).toHaveBeenCalledTimes(3);
    expect(await blobs[0].text()).toBe(el.lossCsv());
    expect(blobs[0].type).toBe('text/csv');
    expect(await blobs[1].text()).toBe(el.accuracyCsv());
    expect(Object.keys(JSON.parse(await blobs[2].text()))).toEqual(expect.arrayContaining(['config', 'racers']));
    $<HTMLButtonElement>(el, '[data-export="loss-png"]').click();
    await until('the PNG', () => blobs.length === 4, 10_000);
    expect(blobs[3].type).toBe('image/png');
    createObjectURL.mockRestore();

    // The loss chart's time-lapse: WebM (Chromium has WebCodecs) and GIF decoded back, then from the export row.
    const webmBytes = new Uint8Array(await (await el.exportTimelapse('webm', { frames: 6, width: 241 })).arrayBuffer());
    const webm = parseWebm(webmBytes);
    expect(webm).toMatchObject({ frames: 6, width: 242 });
    const probe = await probeVideo(webmBytes);
    if (probe) expect(probe).toEqual({ codec: webm.codec === 'V_VP9' ? 'vp9' : 'vp8', width: 242, height: webm.height, frames: 6 });
    const gif = parseGif(new Uint8Array(await (await el.exportTimelapse('gif', { frames: 4, width: 160 })).arrayBuffer()));
    expect([gif.frames, gif.width]).toEqual([4, 160]);
    const palette = new Set(gif.palette.map((c) => c.join(',')));
    for (const racer of json.racers) expect(palette, racer.name).toContain(hexRgb(racer.color).join(','));
    expect(new Set(gif.data.map((d) => d.join())).size, 'the curves grow frame by frame').toBe(4);
    await expect(el.exportTimelapse('webm', { frames: 1 })).rejects.toThrow('frames must be a whole number from 2 to 1000, got 1.');
    // The export row's button opens the panel (loaded then): frames, width, Encode.
    await click(el, '[data-export="loss-timelapse"]');
    const frames = await until('the time-lapse panel', () => el.shadowRoot!.querySelector<HTMLInputElement>('input[aria-label="time-lapse frames"]'), 20_000);
    frames.value = '3';
    frames.dispatchEvent(new Event('change'));
    await click(el, '[data-export="loss-webm"]');
    await until('the time-lapse', () => el.shadowRoot!.querySelector('.export-save'), 20_000);
    expect($<HTMLAnchorElement>(el, '.export-save').download).toBe('optimizer-race-loss.webm');
    expect(text(el, '.export-size')).toMatch(/^\d+(\.\d+)? (B|KB|MB)$/);

    // Reset clears the race; the racers stay.
    await click(el, '[data-action="reset"]');
    expect(el.history).toEqual([]);
    expect(el.status).toBe('idle');
    expect($$(el, '.racer-card')).toHaveLength(6);
  }, 240_000);

  it('shows SGD with lr 100 as diverged while the other racer continues', async (ctx) => {
    if (!hasWebGPU()) return ctx.skip();
    const racers = [{ name: 'SGD lr 100', optimizer: 'sgd', hyperparameters: { lr: 100 } }, { optimizer: 'adam' }];
    const el = await mountSmall({ iterations: '20', 'batch-size': '16', 'eval-every': '20', racers: JSON.stringify(racers) });
    expect($$(el, '.racer-card')).toHaveLength(2);
    const done = finished(el);
    await el.start();
    await done;
    await el.updateComplete;
    const [sgd, adam] = el.history;
    expect(sgd.diverged).not.toBeNull();
    expect(sgd.losses.slice(sgd.diverged!).every((l) => Number.isNaN(l))).toBe(true);
    expect(adam.diverged).toBeNull();
    expect(adam.losses).toHaveLength(20);
    expect(adam.losses.every(Number.isFinite)).toBe(true);
    expect(adam.accuracy).toHaveLength(1);
    const sgdRow = $(el, '.leaderboard tr[data-racer-index="0"]');
    expect(sgdRow.querySelector('[data-col="status"]')!.textContent).toMatch(new RegExp(`diverged at iteration ${sgd.diverged! + 1}`));
    expect($(el, '.leaderboard tr[data-racer-index="1"]').querySelector('[data-col="status"]')!.textContent).toMatch(/finished/);
    // Ranked last, and the chart knows.
    expect($$(el, '.leaderboard tbody tr').at(-1)!.getAttribute('data-racer-index')).toBe('0');
    const lossChart = $<HTMLElement & { series: { diverged: number | null }[] }>(el, 'loss-chart');
    expect(lossChart.series.map((s) => s.diverged)).toEqual([sgd.diverged, null]);
    // The CSV leaves the diverged cells empty; the JSON has null.
    const last = el.lossCsv().trim().split('\n').at(-1)!.split(',');
    expect(last[1]).toBe('');
    expect(Number(last[2])).toBeCloseTo(adam.losses[19], 5);
    expect(el.json()!.racers[0].losses.at(-1)).toBeNull();
  }, 120_000);

  it('reports a corrupt IDX file and keeps the loaded data and the race usable', async () => {
    const el = await mount({ iterations: '100', 'batch-size': '16' });
    const before = el.mnist;
    const files = smallMnistFiles(el.mnist!, 100, 20);
    files[2] = new File([new Uint8Array([0, 0, 8, 3, 0, 0, 0, 20, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3])], 't10k-images-idx3-ubyte');
    await pickFiles(el, files);
    expect(text(el, '[role="alert"]')).toMatch(/Could not read those files: t10k-images-idx3-ubyte: truncated/);
    expect(text(el, '[role="alert"]')).toMatch(/Still using the embedded MNIST subset/);
    expect(el.mnist).toBe(before);
    // auto: WebGPU, or WebAssembly SIMD without it: Start is ready either way.
    expect($<HTMLButtonElement>(el, '[data-action="start"]').disabled).toBe(false);
    // Dropped files take the same path; garbage that is not IDX at all is named too.
    const transfer = new DataTransfer();
    for (const f of [...files.slice(0, 3), new File(['hello'], 'labels.txt')]) transfer.items.add(f);
    $(el, '[part="base"]').dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true, composed: true }));
    await el.updateComplete;
    await until('the dropped files to be read', () => /labels\.txt/.test(text(el, '[role="alert"]')));
    expect(text(el, '[role="alert"]')).toMatch(/labels\.txt: not an IDX image or label file/);
    expect(el.mnist).toBe(before);
    if (hasWebGPU()) {
      await el.step();
      expect(el.history[0].losses).toHaveLength(1);
      expect(el.status).toBe('paused');
    }
  }, 120_000);

  it('reports an unreachable src and falls back to the default data', async () => {
    const el = document.createElement('optimizer-race');
    el.setAttribute('hash-key', '');
    el.setAttribute('src', 'http://127.0.0.1:9/mnist/');
    document.body.append(el);
    await until('the fallback data', () => el.mnist);
    await el.updateComplete;
    expect(text(el, '[role="alert"]')).toMatch(
      /Could not load MNIST from http:\/\/127\.0\.0\.1:9\/mnist\/: could not fetch http:\/\/127\.0\.0\.1:9\/mnist\/[\w-]+\.gz/,
    );
    expect(text(el, '[role="alert"]')).toMatch(/Racing on the embedded MNIST subset/);
    expect(el.mnist!.source).toBe('embedded');
    // auto: WebGPU, or WebAssembly SIMD without it: Start is ready either way.
    expect($<HTMLButtonElement>(el, '[data-action="start"]').disabled).toBe(false);
    // Retry tries the src again (and fails the same way).
    await click(el, '[role="alert"] button');
    await until('the retry to fail', () => /Still using the embedded MNIST subset/.test(text(el, '[role="alert"]')));
    expect(text(el, '[role="alert"]')).toMatch(/Could not load MNIST from/);
    // A new src is loaded at once (and fails the same way here, keeping the data it has).
    el.src = 'http://127.0.0.1:9/other/';
    await until('the new src to fail', () => /127\.0\.0\.1:9\/other\//.test(text(el, '[role="alert"]')));
    expect(el.mnist!.source).toBe('embedded');
    // One set while the element is off the page is loaded when it is back.
    el.remove();
    el.src = 'http://127.0.0.1:9/moved/';
    await el.updateComplete;
    document.body.append(el);
    await until('the moved src to fail', () => /127\.0\.0\.1:9\/moved\//.test(text(el, '[role="alert"]')));
    expect(el.mnist!.source).toBe('embedded');
  }, 60_000);
});
