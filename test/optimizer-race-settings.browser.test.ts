/**
 * <optimizer-race> in Chromium: the configuration in the URL hash, CSV building and IDX matching,
 * the racer editor, the weight-init preset, autostart, a lost device, the CPU worker and a browser
 * without WebGPU.
 */
import { describe, expect, it } from 'vitest';
import { sharedGpuDevice } from '../src/gpu/device';
import { decodeSettings, encodeSettings, readHashPart, writeHashPart } from '../src/ui/optimizer-race/url-state';
import { accuracyCsv, lossCsv } from '../src/ui/optimizer-race/export';
import { datasetFromFiles } from '../src/ui/optimizer-race/data-loader';
import { encodeIdxImages, encodeIdxLabels } from '../src/data/idx';
import type { RacerHistory } from '../src/race/engine';
import { presetDrafts } from '../src/ui/optimizer-race/racers';
import type { OptimizerRace } from '../src/ui/optimizer-race/optimizer-race';
import { $, $$, click, finished, hasWebGPU, mount, mountSmall, text, useOptimizerRaceHarness } from './optimizer-race-harness';
import { until } from './fixtures/element-probes';
import { withoutWebGPU } from './fixtures/browser-gpu';

useOptimizerRaceHarness();

/** A one-racer race on WebGPU whose shared device is destroyed once it has made progress; resolves when the loss is shown. */
async function raceThenLoseTheDevice(iterations: string): Promise<OptimizerRace> {
  const el = await mount({ iterations, 'batch-size': '8', 'eval-every': iterations, racers: '[{"optimizer":"adam"}]' });
  const progressed = new Promise((resolve) => el.addEventListener('race-progress', resolve, { once: true }));
  const run = el.start();
  await progressed;
  (await sharedGpuDevice()).destroy();
  await run;
  await until('the notice', () => /The GPU device was lost \(destroyed\)/.test(text(el, '.notice')));
  return el;
}

describe('<optimizer-race>: settings, exports, links and backends', () => {
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
      bn: false,
      dropout: 0,
      l2: 0,
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
    await expect(datasetFromFiles([files[0], files[1], files[2], new File([bytes(labels(7))], 'e')])).rejects.toThrow(
      'the training split: b has 12 images but e has 7 labels',
    );
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

  it('has the modern preset: Adam, AdamW, Lion (lr 1e-4), AdaDelta and Adamax against SGD', async () => {
    const el = await mount();
    const preset = $<HTMLSelectElement>(el, 'select[data-setting="preset"]');
    preset.value = 'modern';
    preset.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(el.racers.map((r) => [r.optimizer, r.hyperparameters?.lr])).toEqual([
      ['sgd', 0.01],
      ['adam', 0.001],
      ['adamw', 0.001],
      ['lion', 0.0001],
      ['adadelta', 1],
      ['adamax', 0.002],
    ]);
    expect(new Set(el.racers.map((r) => r.color)).size).toBe(6);
    expect(preset.value).toBe('modern');
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
    if (!hasWebGPU()) return ctx.skip();
    const el = document.createElement('optimizer-race');
    const attributes = { 'hash-key': '', autostart: '', iterations: '2', 'batch-size': '8', 'eval-every': '2', racers: '[{"optimizer":"adam"}]' };
    for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
    const done = finished(el);
    document.body.append(el);
    await done;
    expect(el.history[0].losses).toHaveLength(2);
    expect(el.history[0].accuracy).toHaveLength(1);
  }, 60_000);

  // A lost device's notice, its three offers and "Restart on a new device" are device-loss.browser.test.ts's
  // "<optimizer-race>: destroy() from outside mid-race" case.

  it('after a lost device, "Race on WebAssembly" races the same settings on the wasm engine and the badge says why', async (ctx) => {
    if (!hasWebGPU()) return ctx.skip();
    const el = await raceThenLoseTheDevice('400');
    $<HTMLButtonElement>(el, '[data-action="accept-wasm"]').click();
    await el.updateComplete;
    expect(text(el, '.notice')).not.toMatch(/The GPU device was lost/);
    expect(el.iterations).toBe(400); // unlike the CPU offer, wasm keeps the iterations
    el.iterations = 5;
    el.evalEvery = 5;
    const done = new Promise((resolve) => el.addEventListener('race-finished', resolve, { once: true }));
    await el.start();
    await done;
    await el.updateComplete;
    expect(el.activeBackend).toBe('wasm');
    expect(el.history[0].losses).toHaveLength(5);
    expect(text(el, '[part="backend"]')).toMatch(/^WebAssembly SIMD(, \d+ threads)? — chosen after WebGPU failed/);
  }, 60_000);

  it('runs on the CPU reference in a Web Worker when asked', async () => {
    const el = await mountSmall({ 'force-cpu': '', iterations: '2', 'batch-size': '8', 'eval-every': '2', racers: '[{"optimizer":"adam"}]' });
    expect(text(el, '[part="backend"]')).toMatch(/^CPU reference — the float64 reference, chosen /);
    const done = finished(el);
    await click(el, '[data-action="start"]');
    await done;
    expect(el.activeBackend).toBe('cpu');
    expect(el.history[0].losses).toHaveLength(2);
    expect(el.history[0].losses.every(Number.isFinite)).toBe(true);
    expect(el.history[0].accuracy).toHaveLength(1);
  }, 60_000);

  it('without WebGPU says why and offers the CPU path with fewer iterations', async () => {
    await withoutWebGPU(async () => {
      const el = await mount();
      await until('the WebGPU notice', () => /WebGPU is not available/.test(text(el, '.notice')));
      expect(text(el, '.notice')).toContain('This browser does not expose WebGPU (navigator.gpu is missing).');
      expect($<HTMLButtonElement>(el, '[data-action="start"]').disabled).toBe(true);
      const accept = $$<HTMLButtonElement>(el, '.notice button').find((b) => b.textContent?.includes('CPU'))!;
      accept.click();
      await el.updateComplete;
      expect(el.iterations).toBe(100);
      expect(text(el, '[part="backend"]')).toMatch(/^CPU reference — the float64 reference, chosen /);
      expect($<HTMLButtonElement>(el, '[data-action="start"]').disabled).toBe(false);
    });
  });
});
