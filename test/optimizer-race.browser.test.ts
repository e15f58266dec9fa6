/**
 * <optimizer-race> in Chromium with WebGPU on SwiftShader (slow: ~1 GFLOP/s, so races are small:
 * batch 16, a 2,000/200 subset of the embedded MNIST picked through the file input, which also
 * keeps each evaluation cheap). A 100-iteration race of the seed's six racers, divergence, exports,
 * loading failures, the URL hash, the editor and the CPU worker path.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as gpuDevice from '../src/gpu/device';
import type { MnistDataset } from '../src/data/dataset';
import { encodeIdxImages, encodeIdxLabels } from '../src/data/idx';
import '../src/ui/optimizer-race/optimizer-race';
import type { OptimizerRace, RaceProgressDetail } from '../src/ui/optimizer-race/optimizer-race';
import { decodeSettings, encodeSettings, readHashPart, writeHashPart } from '../src/ui/optimizer-race/url-state';
import { accuracyCsv, lossCsv } from '../src/ui/optimizer-race/export';
import { datasetFromFiles } from '../src/ui/optimizer-race/data-loader';
import type { RacerHistory } from '../src/race/engine';
import { presetDrafts } from '../src/ui/optimizer-race/racers';
import { testDevice } from './gpu';

vi.mock('../src/gpu/device', { spy: true });

let hasWebGPU = false;
/** The first mount's embedded MNIST, cut down to the small files the races use. */
let smallFiles: File[] = [];
const kSeedNames = ['SGD', 'Momentum', 'AdaGrad', 'Adam', 'RMSprop', 'Nesterov'];

beforeAll(async () => {
  // Under CI=true a missing adapter fails here; elsewhere the GPU races are skipped.
  const device = await testDevice();
  hasWebGPU = device !== undefined;
  device?.destroy();
});

afterEach(() => {
  document.body.replaceChildren();
  vi.restoreAllMocks();
  history.replaceState(null, '', location.pathname + location.search);
});

async function until<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = 60_000): Promise<T> {
  const end = performance.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The element's shadow root and that of the <racer-editor> inside it. */
const roots = (el: OptimizerRace): ShadowRoot[] => {
  const editor = el.shadowRoot!.querySelector('racer-editor')?.shadowRoot;
  return editor ? [el.shadowRoot!, editor] : [el.shadowRoot!];
};
const $$ = <E extends Element = HTMLElement>(el: OptimizerRace, selector: string): E[] => roots(el).flatMap((root) => [...root.querySelectorAll<E>(selector)]);
const $ = <E extends Element = HTMLElement>(el: OptimizerRace, selector: string): E => {
  const found = $$<E>(el, selector)[0];
  if (!found) throw new Error(`no ${selector} in <optimizer-race>`);
  return found;
};
const text = (el: OptimizerRace, selector: string): string =>
  $$(el, selector)
    .map((e) => e.textContent ?? '')
    .join(' ')
    .replace(/\s+/g, ' ');

/** Mounts the element (hash-key "" unless given) and waits for its data. */
async function mount(attributes: Record<string, string> = {}): Promise<OptimizerRace> {
  const el = document.createElement('optimizer-race');
  el.setAttribute('hash-key', '');
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  document.body.append(el);
  await until('the data', () => el.mnist);
  await el.updateComplete;
  return el;
}

function smallMnistFiles(data: MnistDataset, train: number, test: number): File[] {
  const px = data.rows * data.cols;
  const file = (name: string, bytes: Uint8Array) => new File([bytes as Uint8Array<ArrayBuffer>], name);
  return [
    file('train-images-idx3-ubyte', encodeIdxImages(data.trainImages.subarray(0, train * px), train, data.rows, data.cols)),
    file('train-labels-idx1-ubyte', encodeIdxLabels(data.trainLabels.subarray(0, train))),
    file('t10k-images-idx3-ubyte', encodeIdxImages(data.testImages.subarray(0, test * px), test, data.rows, data.cols)),
    file('t10k-labels-idx1-ubyte', encodeIdxLabels(data.testLabels.subarray(0, test))),
  ];
}

/** Picks files through the element's file input, as a user would. */
async function pickFiles(el: OptimizerRace, files: File[]): Promise<void> {
  const transfer = new DataTransfer();
  for (const f of files) transfer.items.add(f);
  const input = $<HTMLInputElement>(el, 'input[type="file"]');
  input.files = transfer.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
  await el.updateComplete;
  await until('the files to be read', () => el.shadowRoot!.querySelector('.dataset')?.getAttribute('data-state') !== 'loading');
  await el.updateComplete;
}

async function mountSmall(attributes: Record<string, string> = {}): Promise<OptimizerRace> {
  const el = await mount(attributes);
  if (smallFiles.length === 0) smallFiles = smallMnistFiles(el.mnist!, 2000, 200);
  await pickFiles(el, smallFiles);
  expect(el.mnist).toMatchObject({ source: 'custom', trainCount: 2000, testCount: 200 });
  return el;
}

const click = async (el: OptimizerRace, selector: string): Promise<void> => {
  $<HTMLButtonElement>(el, selector).click();
  await el.updateComplete;
};

const finished = (el: OptimizerRace) => new Promise<void>((resolve) => el.addEventListener('race-finished', () => resolve(), { once: true }));
const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

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
    expect($<HTMLButtonElement>(el, '[data-action="start"]').disabled).toBe(!hasWebGPU);
  });

  it("runs a 100-iteration race of the seed's six: charts, falling losses, events, leaderboard, digits, exports", async (ctx) => {
    if (!hasWebGPU) return ctx.skip();
    const el = await mountSmall({ iterations: '100', 'batch-size': '8', 'eval-every': '50' });
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
    expect(el.backend).toBe('webgpu');
    expect(finishedDetail).toEqual({ history: el.history, backend: 'webgpu' });
    expect(el.history.map((h) => h.name)).toEqual(kSeedNames);
    for (const h of el.history) {
      expect(h.losses).toHaveLength(100);
      expect(h.diverged).toBeNull();
      // Losses fall: the last ten iterations' mean is below the first ten's.
      expect(mean(h.losses.slice(-10))).toBeLessThan(mean(h.losses.slice(0, 10)));
      expect(h.accuracy.map((a) => a.iteration)).toEqual([50, 100]);
      expect(h.predictions).toHaveLength(16);
    }
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress.at(-1)).toMatchObject({ iteration: 100, iterations: 100 });
    expect(progress.at(-1)!.losses).toEqual(el.history.map((h) => h.losses[99]));
    expect(progress.map((p) => p.iteration)).toEqual([...progress.map((p) => p.iteration)].sort((a, b) => a - b));

    // The charts got every point (their series are the history's own arrays) and drew them.
    const lossChart = $<HTMLElement & { series: { losses: number[] }[]; renderStats: { setData: number } }>(el, 'loss-chart');
    expect(lossChart.series.map((s) => s.losses.length)).toEqual(Array(6).fill(100));
    await until('the loss chart to draw', () => lossChart.renderStats.setData > 0);
    const accuracyChart = $<HTMLElement & { series?: { points: unknown[] }[] }>(el, 'accuracy-chart');
    expect(accuracyChart.series?.map((s) => s.points.length)).toEqual(Array(6).fill(2));

    // Read-outs, leaderboard and digits.
    expect(text(el, '[data-readout="iteration"]')).toBe('iteration 100 / 100');
    expect(text(el, '[data-readout="speed"]')).toMatch(/^\d+(\.\d)? it\/s$/);
    expect($<HTMLProgressElement>(el, '.progress progress').value).toBe(100);
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
    expect(lossLines).toHaveLength(101);
    expect(lossLines[1].split(',').map(Number)).toEqual([1, ...el.history.map((h) => h.losses[0])]);
    const accuracyLines = el.accuracyCsv().trim().split('\n');
    expect(accuracyLines[0]).toBe(`iteration,${kSeedNames.join(',')}`);
    expect(accuracyLines.slice(1).map((l) => l.split(',')[0])).toEqual(['50', '100']);
    const json = el.json()!;
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['config', 'racers']));
    expect(json.config).toMatchObject({ iterations: 100, batchSize: 8, evalEvery: 50, seed: 1, sizes: [784, 100, 100, 100, 100, 10] });
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

    // Reset clears the race; the racers stay.
    await click(el, '[data-action="reset"]');
    expect(el.history).toEqual([]);
    expect(el.status).toBe('idle');
    expect($$(el, '.racer-card')).toHaveLength(6);
  }, 240_000);

  it('shows SGD with lr 100 as diverged while the other racer continues', async (ctx) => {
    if (!hasWebGPU) return ctx.skip();
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
    expect($<HTMLButtonElement>(el, '[data-action="start"]').disabled).toBe(!hasWebGPU);
    // Dropped files take the same path; garbage that is not IDX at all is named too.
    const transfer = new DataTransfer();
    for (const f of [...files.slice(0, 3), new File(['hello'], 'labels.txt')]) transfer.items.add(f);
    $(el, '[part="base"]').dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true, composed: true }));
    await el.updateComplete;
    await until('the dropped files to be read', () => /labels\.txt/.test(text(el, '[role="alert"]')));
    expect(text(el, '[role="alert"]')).toMatch(/labels\.txt: not an IDX image or label file/);
    expect(el.mnist).toBe(before);
    if (hasWebGPU) {
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
    expect($<HTMLButtonElement>(el, '[data-action="start"]').disabled).toBe(!hasWebGPU);
    // Retry tries the src again (and fails the same way).
    await click(el, '[role="alert"] button');
    await until('the retry to fail', () => /Still using the embedded MNIST subset/.test(text(el, '[role="alert"]')));
    expect(text(el, '[role="alert"]')).toMatch(/Could not load MNIST from/);
    // A new src is loaded at once (and fails the same way here, keeping the data it has).
    el.src = 'http://127.0.0.1:9/other/';
    await until('the new src to fail', () => /127\.0\.0\.1:9\/other\//.test(text(el, '[role="alert"]')));
    expect(el.mnist!.source).toBe('embedded');
  }, 60_000);

  it('keeps its configuration in the URL hash: read on load, written on change, garbage ignored with a note', async () => {
    const custom = 'it:300,b:64,s:7,e:50,p:custom/sgd,lr:0.1/adam,n:My%20Adam,c:1f9bb5,i:xavier,a:tanh';
    history.replaceState(null, '', `#race=${custom}`);
    const el = await mount({ 'hash-key': 'race' });
    expect([el.iterations, el.batchSize, el.seed, el.evalEvery]).toEqual([300, 64, 7, 50]);
    expect(el.racers).toEqual([
      { optimizer: 'sgd', hyperparameters: { lr: 0.1 }, init: 'he', activation: 'relu', color: '#e05a47' },
      { name: 'My Adam', optimizer: 'adam', hyperparameters: { lr: 0.001, beta1: 0.9, beta2: 0.999 }, init: 'xavier', activation: 'tanh', color: '#1f9bb5' },
    ]);
    expect(location.hash).toBe(`#race=${custom}`); // reading does not rewrite

    const input = $<HTMLInputElement>(el, 'input[data-setting="iterations"]');
    input.value = '123';
    input.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(location.hash).toBe(`#race=${custom.replace('it:300', 'it:123')}`);
    // The written hash decodes to the same race.
    const decoded = decodeSettings(location.hash.slice('#race='.length));
    expect(decoded.iterations).toBe(123);
    expect(decoded.racers.map((r) => [r.name, r.optimizer, r.color, r.init, r.activation])).toEqual([
      ['', 'sgd', '#e05a47', 'he', 'relu'],
      ['My Adam', 'adam', '#1f9bb5', 'xavier', 'tanh'],
    ]);
    // The seed's race is short: no racer segments.
    expect(encodeSettings({ iterations: 2000, batchSize: 128, seed: 1, evalEvery: 100, preset: 'seed', racers: presetDrafts('seed') })).toBe(
      'it:2000,b:128,s:1,e:100,p:seed',
    );
    document.body.replaceChildren();

    for (const garbage of ['zzz', 'it:1,b:2', 'it:5,b:16,s:1,e:5,p:custom/sgd,warp:9', 'it:x,b:16,s:1,e:5,p:seed', '%E0%A4%A']) {
      history.replaceState(null, '', `#race=${garbage}`);
      const bad = await mount({ 'hash-key': 'race' });
      expect(text(bad, '[role="status"]')).toMatch(/The link's race settings could not be read \(.+\); using the defaults\./);
      expect(bad.iterations).toBe(2000);
      expect(bad.racers).toHaveLength(6);
      document.body.replaceChildren();
    }
  });

  it('builds CSVs with quoted names and empty cells, and tells IDX files apart by content and size', async () => {
    const racer = (name: string, losses: number[], accuracy: [number, number][], diverged: number | null): RacerHistory => ({
      name,
      optimizer: 'sgd',
      hyperparameters: { lr: 0.01 },
      init: 'he',
      activation: 'relu',
      losses,
      accuracy: accuracy.map(([iteration, test]) => ({ iteration, test })),
      diverged,
      predictions: [],
    });
    const history = [
      racer('SGD, "fast"', [2, 1.5, NaN], [[2, 0.5]], 2),
      racer(
        'Adam',
        [2.1, 1, 0.5],
        [
          [2, 0.6],
          [3, 0.7],
        ],
        null,
      ),
    ];
    expect(lossCsv(history)).toBe('iteration,"SGD, ""fast""",Adam\n1,2,2.1\n2,1.5,1\n3,,0.5\n');
    expect(accuracyCsv(history)).toBe('iteration,"SGD, ""fast""",Adam\n2,0.5,0.6\n3,,0.7\n');
    expect(readHashPart('#main&race=it:5&other=1', 'race')).toBe('it:5');
    expect(writeHashPart('#mnist', 'race', 'x')).toBe('#race=x');
    expect(writeHashPart('#race2=a&race=old', 'race', 'new')).toBe('#race2=a&race=new');

    // Any names: images vs labels by magic number, training vs test by count.
    const bytes = (b: Uint8Array) => b as Uint8Array<ArrayBuffer>;
    const images = (n: number) => encodeIdxImages(new Uint8Array(n * 784).fill(7), n, 28, 28);
    const labels = (n: number) => encodeIdxLabels(new Uint8Array(n).fill(3));
    const gz = async (b: Uint8Array) =>
      new Uint8Array(await new Response(new Blob([bytes(b)]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer());
    const files = [
      new File([bytes(labels(5))], 'a'),
      new File([bytes(images(12))], 'b'),
      new File([bytes(await gz(images(5)))], 'c.gz'),
      new File([bytes(labels(12))], 'd'),
    ];
    expect(await datasetFromFiles(files)).toMatchObject({ trainCount: 12, testCount: 5, source: 'custom', rows: 28, cols: 28 });
    await expect(datasetFromFiles(files.slice(0, 3))).rejects.toThrow(/expected the four MNIST files .* got 3 files/);
    await expect(datasetFromFiles([files[0], files[1], files[2], new File([bytes(labels(7))], 'e')])).rejects.toThrow(/training set: 12 images but 7 labels/);
  });

  it('edits racers: add, rename, recolour, remove; invalid values explain themselves and disable start', async () => {
    const el = await mount();
    await click(el, 'button.add');
    expect($$(el, '.racer-card')).toHaveLength(7);
    expect($<HTMLSelectElement>(el, 'select[data-setting="preset"]').value).toBe('custom');
    const card = $$(el, '.racer-card')[6];
    const name = card.querySelector<HTMLInputElement>('input[data-field="name"]')!;
    name.value = 'Adam fast';
    name.dispatchEvent(new Event('input'));
    const color = card.querySelector<HTMLInputElement>('input[type="color"]')!;
    color.value = '#123456';
    color.dispatchEvent(new Event('input'));
    const optimizer = card.querySelector<HTMLSelectElement>('select[data-field="optimizer"]')!;
    optimizer.value = 'adam';
    optimizer.dispatchEvent(new Event('change'));
    await el.updateComplete;
    const lr = $$(el, '.racer-card')[6].querySelector<HTMLInputElement>('input[data-key="lr"]')!;
    lr.value = '0.01';
    lr.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(el.racers[6]).toMatchObject({ name: 'Adam fast', optimizer: 'adam', color: '#123456', hyperparameters: { lr: 0.01, beta1: 0.9, beta2: 0.999 } });

    const sgdLr = $$(el, '.racer-card')[0].querySelector<HTMLInputElement>('input[data-key="lr"]')!;
    sgdLr.value = '-1';
    sgdLr.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(sgdLr.getAttribute('aria-invalid')).toBe('true');
    expect((sgdLr.getRootNode() as ShadowRoot).getElementById(sgdLr.getAttribute('aria-describedby')!)!.textContent).toMatch(
      /SGD: lr \(learning rate\) must be a finite number in \(0, ∞\), got -1/,
    );
    expect($<HTMLButtonElement>(el, '[data-action="start"]').disabled).toBe(true);
    expect(el.config).toBeNull();

    const std = $$(el, '.racer-card')[1].querySelector<HTMLSelectElement>('select[data-field="init"]')!;
    std.value = 'std';
    std.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(el.racers[1].init).toBe(0.01);

    $$(el, '.racer-card')[0].querySelector<HTMLButtonElement>('button.remove')!.click();
    await el.updateComplete;
    expect(el.racers.map((r) => r.optimizer)).toEqual(['momentum', 'adagrad', 'adam', 'rmsprop', 'nesterov', 'adam']);
    expect(el.config).not.toBeNull();

    const iterations = $<HTMLInputElement>(el, 'input[data-setting="iterations"]');
    iterations.value = '0';
    iterations.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(text(el, '#iterations-error')).toMatch(/iterations must be a whole number from 1 to 1000000, got 0/);
    expect($<HTMLButtonElement>(el, '[data-action="start"]').disabled).toBe(true);
  });

  it('has the weight-init preset: std=0.01, Xavier and He with SGD, loss axis up to 2.5', async () => {
    const el = await mount();
    const preset = $<HTMLSelectElement>(el, 'select[data-setting="preset"]');
    preset.value = 'init';
    preset.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(el.racers.map((r) => [r.name, r.optimizer, r.init])).toEqual([
      ['std=0.01', 'sgd', 0.01],
      ['Xavier', 'sgd', 'xavier'],
      ['He', 'sgd', 'he'],
    ]);
    expect(new Set(el.racers.map((r) => r.color)).size).toBe(3);
    expect($<HTMLElement & { yMax: number }>(el, 'loss-chart').yMax).toBe(2.5);
  });

  it('autostarts once its data is loaded', async (ctx) => {
    if (!hasWebGPU) return ctx.skip();
    const el = document.createElement('optimizer-race');
    const attributes = { 'hash-key': '', autostart: '', iterations: '2', 'batch-size': '8', 'eval-every': '2', racers: '[{"optimizer":"adam"}]' };
    for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
    const done = finished(el);
    document.body.append(el);
    await done;
    expect(el.history[0].losses).toHaveLength(2);
    expect(el.history[0].accuracy).toHaveLength(1);
  }, 60_000);

  it('says so when the GPU device is lost, and offers the CPU path or WebGPU again', async (ctx) => {
    if (!hasWebGPU) return ctx.skip();
    const el = await mount({ iterations: '500', 'batch-size': '8', 'eval-every': '500', racers: '[{"optimizer":"adam"}]' });
    const progressed = new Promise((resolve) => el.addEventListener('race-progress', resolve, { once: true }));
    const run = el.start();
    await progressed;
    (await gpuDevice.sharedGpuDevice()).destroy();
    await run;
    await until('the notice', () => /The GPU device was lost/.test(text(el, '.notice')));
    expect(el.status).toBe('error');
    // The engine's DeviceLostError is not repeated as an error notice under the device-lost one.
    expect(text(el, '.notice.error')).not.toMatch(/GPU device was lost/);
    const buttons = $$<HTMLButtonElement>(el, '.notice button').map((b) => b.textContent?.trim());
    expect(buttons).toEqual(expect.arrayContaining(['Race on the CPU', 'Try WebGPU again']));
    $$<HTMLButtonElement>(el, '.notice button')
      .find((b) => b.textContent?.includes('WebGPU again'))!
      .click();
    await until('a new device', () => !/The GPU device was lost/.test(text(el, '.notice')));
    expect(el.history).toEqual([]);
    expect($<HTMLButtonElement>(el, '[data-action="start"]').disabled).toBe(false);
  }, 60_000);

  it('runs on the CPU reference in a Web Worker when asked', async () => {
    const el = await mountSmall({ 'force-cpu': '', iterations: '2', 'batch-size': '8', 'eval-every': '2', racers: '[{"optimizer":"adam"}]' });
    expect(text(el, '[part="backend"]')).toBe('CPU reference');
    const done = finished(el);
    await click(el, '[data-action="start"]');
    await done;
    expect(el.backend).toBe('cpu');
    expect(el.history[0].losses).toHaveLength(2);
    expect(el.history[0].losses.every(Number.isFinite)).toBe(true);
    expect(el.history[0].accuracy).toHaveLength(1);
  }, 60_000);

  it('without WebGPU says why and offers the CPU path with fewer iterations', async () => {
    const reason = 'This browser does not expose WebGPU (navigator.gpu is missing). Test.';
    vi.mocked(gpuDevice.sharedGpuDevice).mockRejectedValueOnce(new gpuDevice.WebGPUUnavailableError(reason));
    const el = await mount();
    await until('the WebGPU notice', () => /WebGPU is not available/.test(text(el, '.notice')));
    expect(text(el, '.notice')).toContain(reason);
    expect($<HTMLButtonElement>(el, '[data-action="start"]').disabled).toBe(true);
    const accept = $$<HTMLButtonElement>(el, '.notice button').find((b) => b.textContent?.includes('CPU'))!;
    accept.click();
    await el.updateComplete;
    expect(el.iterations).toBe(100);
    expect(text(el, '[part="backend"]')).toBe('CPU reference');
    expect($<HTMLButtonElement>(el, '[data-action="start"]').disabled).toBe(false);
  });
});
