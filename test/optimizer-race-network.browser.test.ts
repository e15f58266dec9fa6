/**
 * <optimizer-race>'s chapter-6 settings in Chromium (issue 20): the racers' bn, dropout and L2 λ and
 * the race's hidden sizes, training images, epochs and training accuracy, typed by keyboard; each
 * bad value's one message (nothing starts, the rest keeps working); the URL round trip; the exports'
 * new fields; and the accuracy chart's dashed training-accuracy line, drawn from a synthetic history.
 */
import { describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import '../src/ui/charts/accuracy-chart';
import type { AccuracySeries } from '../src/ui/charts/accuracy-chart';
import type { RacerHistory } from '../src/race/engine';
import { kSeedRace } from '../src/race/config';
import { accuracyCsv, raceJson } from '../src/ui/optimizer-race/export';
import { kDefaultNetwork } from '../src/ui/optimizer-race/network-draft';
import { presetDrafts } from '../src/ui/optimizer-race/racers';
import { decodeSettings, encodeSettings } from '../src/ui/optimizer-race/url-state';
import type { OptimizerRace } from '../src/ui/optimizer-race/optimizer-race';
import { $, $$, finished, mount, text, useOptimizerRaceHarness } from './optimizer-race-harness';
import { until } from './fixtures/element-probes';

useOptimizerRaceHarness();

const setting = (el: OptimizerRace, name: string) => $<HTMLInputElement>(el, `input[data-setting="${name}"]`);
const card = (el: OptimizerRace, index: number) => $$(el, '.racer-card')[index];
const field = (el: OptimizerRace, index: number, name: string) => card(el, index).querySelector<HTMLInputElement>(`input[data-field="${name}"]`)!;

/** Replaces an input's text by keyboard: focus, select all, type. */
async function retype(el: OptimizerRace, input: HTMLInputElement, value: string): Promise<void> {
  await userEvent.click(input);
  await userEvent.keyboard('{Control>}a{/Control}{Backspace}');
  if (value) await userEvent.keyboard(value);
  await el.updateComplete;
}

/** Sets an input's text at once (the bad-value checks need no keystrokes; the first test types). */
async function put(el: OptimizerRace, input: HTMLInputElement, value: string): Promise<void> {
  input.value = value;
  input.dispatchEvent(new Event('input'));
  await el.updateComplete;
}

const startDisabled = (el: OptimizerRace) => $<HTMLButtonElement>(el, 'button[data-action="start"]').disabled;

describe('<optimizer-race>: network settings and regularised racers', () => {
  it('edits hidden sizes, training images, epochs, training accuracy and each racer bn, dropout and λ by keyboard', async () => {
    const el = await mount({ 'batch-size': '8', racers: '[{"optimizer":"sgd"},{"optimizer":"adam"}]' });
    const trainCount = el.mnist!.trainCount;
    expect(setting(el, 'hidden').value).toBe('100x4');
    expect(setting(el, 'trainLimit').placeholder).toBe(`all ${trainCount}`);
    expect(el.config).toMatchObject({ sizes: [784, 100, 100, 100, 100, 10] });
    expect(el.config).not.toHaveProperty('epochs');

    await retype(el, setting(el, 'hidden'), '13,7');
    // Tab goes on to the training images, then the epochs, the validation share (left empty), then the checkbox (Space ticks it).
    await userEvent.keyboard('{Tab}50{Tab}3{Tab}{Tab} ');
    await el.updateComplete;
    expect(el.config).toMatchObject({ sizes: [784, 13, 7, 10], trainLimit: 50, epochs: 3, trainAccuracy: true, batchSize: 8 });
    // Epochs give the iterations: floor(3 · 50 / 8) = 18, shown read-only in the iterations field.
    const iterations = setting(el, 'iterations');
    expect([iterations.value, iterations.readOnly, el.config!.iterations]).toEqual(['18', true, 18]);
    expect(text(el, '.toolbar')).toContain('Iterations (from epochs)');

    // The racer's network row: BN by Space, dropout and λ typed.
    const bn = field(el, 1, 'bn');
    bn.focus();
    await userEvent.keyboard(' ');
    await el.updateComplete;
    await retype(el, field(el, 1, 'dropout'), '0.2');
    await userEvent.keyboard('{Tab}0.1');
    await el.updateComplete;
    expect(el.racers[1]).toMatchObject({ optimizer: 'adam', bn: true, dropout: 0.2, l2: 0.1 });
    expect(el.racers[0]).not.toHaveProperty('bn');
    expect(el.config!.racers[1]).toMatchObject({ bn: true, dropout: 0.2, l2: 0.1 });
    expect(field(el, 1, 'l2').getAttribute('aria-label')).toBe('Adam L2 weight decay λ');
    expect(startDisabled(el)).toBe(false);

    // Emptying the epochs gives the iterations back to their field.
    await put(el, setting(el, 'epochs'), '');
    expect(setting(el, 'iterations').readOnly).toBe(false);
    expect(el.config!.iterations).toBe(kSeedRace.iterations);
    expect(el.config).not.toHaveProperty('epochs');
  });

  it('gives each bad value one clear message, starts nothing, and keeps the rest', async () => {
    const el = await mount({ 'batch-size': '8', racers: '[{"optimizer":"sgd"}]' });
    const trainCount = el.mnist!.trainCount;
    const refused = async (message: RegExp, describedBy: HTMLInputElement) => {
      await el.updateComplete;
      expect(text(el, '.error')).toMatch(message);
      expect(describedBy.getAttribute('aria-invalid')).toBe('true');
      expect(el.config).toBeNull();
      expect(startDisabled(el)).toBe(true);
    };
    const cleared = async () => {
      await el.updateComplete;
      expect(text(el, '.error')).toBe('');
      expect(el.config).not.toBeNull();
    };

    await put(el, setting(el, 'hidden'), '100y3');
    await refused(/hidden layers must be UNITSxLAYERS \(100x5\) or sizes separated by commas \(100,50,100\), got '100y3'/, setting(el, 'hidden'));
    expect(setting(el, 'hidden').value).toBe('100y3'); // kept as typed
    expect(el.batchSize).toBe(8); // the rest stays
    await put(el, setting(el, 'hidden'), '0x2');
    await refused(/units in a hidden layer must be a whole number from 1 to 1000, got 0/, setting(el, 'hidden'));
    await put(el, setting(el, 'hidden'), '9x2');
    await cleared();

    await put(el, setting(el, 'trainLimit'), '0');
    await refused(
      new RegExp(`training limit must be a whole number from 1 to ${trainCount}, got 0 \\(the training set holds ${trainCount} images\\)`),
      setting(el, 'trainLimit'),
    );
    await put(el, setting(el, 'trainLimit'), String(trainCount + 1));
    await refused(new RegExp(`got ${trainCount + 1} \\(the training set holds ${trainCount} images\\)`), setting(el, 'trainLimit'));
    await put(el, setting(el, 'trainLimit'), '1000');
    await cleared();

    // 1001 epochs of 1000 images at batch 1: 1,001,000 iterations, past the limit.
    await put(el, $<HTMLInputElement>(el, 'input[data-setting="batchSize"]'), '1');
    await put(el, setting(el, 'epochs'), '1001');
    await refused(/1001 epochs of 1000 iterations are 1001000 iterations, more than the limit of 1000000: at most 1000 epochs/, setting(el, 'epochs'));
    await put(el, setting(el, 'epochs'), '1000');
    await cleared();
    expect(el.config!.iterations).toBe(1_000_000);
    await put(el, setting(el, 'epochs'), '2.5');
    await refused(/epochs must be a whole number from 1 to 1000000, got 2.5/, setting(el, 'epochs'));
    await put(el, setting(el, 'epochs'), '');
    await cleared();

    // bn with a batch of one: the batch size's message, until either changes.
    field(el, 0, 'bn').click();
    await refused(/batch norm needs a batch size of 2 or more/, $<HTMLInputElement>(el, 'input[data-setting="batchSize"]'));
    await put(el, $<HTMLInputElement>(el, 'input[data-setting="batchSize"]'), '4');
    await cleared();

    await put(el, field(el, 0, 'dropout'), '1');
    await refused(/dropout/, field(el, 0, 'dropout'));
    expect(card(el, 0).querySelector('.error')!.textContent).toBe('dropout (dropout ratio) must be a finite number in [0, 1), got 1');
    await put(el, field(el, 0, 'dropout'), '0.5');
    await cleared();
    await put(el, field(el, 0, 'l2'), '-0.1');
    await refused(/L2 weight decay λ/, field(el, 0, 'l2'));
    await put(el, field(el, 0, 'l2'), '0.01');
    await cleared();
    expect(el.config).toMatchObject({ sizes: [784, 9, 9, 10], trainLimit: 1000, batchSize: 4, racers: [{ bn: true, dropout: 0.5, l2: 0.01 }] });

    // The same settings as an embedder's attributes: into the fields; a bad one is its field's message alone.
    for (const [name, value] of Object.entries({ 'hidden-layers': '7,5', 'train-limit': '40', epochs: '2', 'train-accuracy': '' }))
      el.setAttribute(name, value);
    await cleared();
    expect([setting(el, 'hidden').value, setting(el, 'trainLimit').value, setting(el, 'trainAccuracy').checked]).toEqual(['7,5', '40', true]);
    expect(el.config).toMatchObject({ sizes: [784, 7, 5, 10], trainLimit: 40, epochs: 2, iterations: 20, trainAccuracy: true });
    el.setAttribute('hidden-layers', 'abc');
    await refused(/hidden layers must be .*got 'abc'/, setting(el, 'hidden'));
    expect([el.hidden, el.hiddenLayers, el.trainLimit, el.epochs, el.batchSize]).toEqual([false, 'abc', 40, 2, 4]);
    // A validation share leaving no training image: the owner's message (src/race/validation-split.ts) alone; 0.5 of 40 trains on 20 (5 batches of 4 an epoch).
    el.setAttribute('hidden-layers', '7,5');
    el.setAttribute('validation', '1');
    await refused(/validation must be a share .* which leaves no training image; got 1$/, setting(el, 'validation'));
    el.setAttribute('validation', '0.5');
    await cleared();
    expect(el.config).toMatchObject({ trainLimit: 40, validation: 0.5, epochs: 2, iterations: 10 });
  });

  it('keeps the network settings and racer options in the link, and reads a bad one with its message', async () => {
    const racers = presetDrafts('seed').slice(0, 2);
    racers[1] = { ...racers[1], bn: 'on', dropout: '0.2', l2: '0.1' };
    const settings = { iterations: 300, batchSize: 64, seed: 7, evalEvery: 50, preset: 'custom' as const, racers };
    const network = { hidden: '100,50', trainLimit: '1000', epochs: '20', trainAccuracy: true, validation: '0.2' };
    const encoded = encodeSettings({ ...settings, network });
    expect(encoded).toBe('it:300,b:64,s:7,e:50,h:100%2C50,tl:1000,ep:20,ta:on,va:0.2,p:custom/sgd/momentum,bn:on,do:0.2,l2:0.1');
    const decoded = decodeSettings(encoded);
    expect(decoded.network).toEqual(network);
    expect(decoded.racers.map((r) => [r.optimizer, r.bn, r.dropout, r.l2])).toEqual([
      ['sgd', undefined, undefined, undefined],
      ['momentum', 'on', '0.2', '0.1'],
    ]);
    // The seed's network writes nothing; neither do options at their defaults.
    expect(encodeSettings({ ...settings, preset: 'seed', racers: presetDrafts('seed'), network: kDefaultNetwork })).toBe('it:300,b:64,s:7,e:50,p:seed');
    expect(encodeSettings({ ...settings, preset: 'seed', racers: presetDrafts('seed').map((d) => ({ ...d, bn: 'off', l2: '0' })) })).toBe(
      'it:300,b:64,s:7,e:50,p:seed',
    );

    history.replaceState(null, '', `#race=it:300,b:8,s:7,e:50,h:13x2,tl:64,ep:2,ta:on,p:custom/sgd,bn:on,do:0.2,l2:0.1`);
    const el = await mount({ 'hash-key': 'race' });
    expect(el.config).toMatchObject({ sizes: [784, 13, 13, 10], trainLimit: 64, epochs: 2, iterations: 16, trainAccuracy: true, seed: 7 });
    expect(el.racers).toEqual([expect.objectContaining({ optimizer: 'sgd', bn: true, dropout: 0.2, l2: 0.1 })]);
    expect(field(el, 0, 'bn').checked).toBe(true);
    await put(el, setting(el, 'hidden'), '11');
    expect(location.hash).toBe('#race=it:300,b:8,s:7,e:50,h:11,tl:64,ep:2,ta:on,p:custom/sgd,bn:on,do:0.2,l2:0.1');
    document.body.replaceChildren();

    // A bad value arrives in its field with its message; the rest of the link applies.
    history.replaceState(null, '', '#race=it:300,b:8,s:7,e:50,h:abc,tl:0,ep:2,ta:maybe,p:custom/adam,do:1.5');
    const bad = await mount({ 'hash-key': 'race' });
    expect([bad.iterations, bad.batchSize, bad.seed, bad.evalEvery]).toEqual([300, 8, 7, 50]);
    expect(setting(bad, 'hidden').value).toBe('abc');
    expect(setting(bad, 'trainLimit').value).toBe('0');
    expect(text(bad, '.toolbar .error')).toMatch(/hidden layers must be .*got 'abc'.*training limit must be a whole number from 1/);
    expect(card(bad, 0).querySelector('.error')!.textContent).toMatch(/dropout ratio/);
    expect(text(bad, '[role="status"]')).toContain("The link's training accuracy 'ta:maybe' is not on or off; it is left off.");
    expect(setting(bad, 'trainAccuracy').checked).toBe(false);
    expect(bad.config).toBeNull();
  });

  it('exports train and epoch per checkpoint, each racer bn, dropout and λ, and the race settings', async () => {
    const racer = (name: string, bn: boolean, accuracy: { iteration: number; epoch: number; train: number; test: number }[]): RacerHistory => ({
      name,
      optimizer: 'sgd',
      hyperparameters: { lr: 0.01 },
      init: 'he',
      activation: 'relu',
      bn,
      dropout: bn ? 0 : 0.2,
      l2: 0.1,
      losses: [2, 1.5],
      accuracy,
      diverged: null,
      predictions: [],
    });
    const history = [
      racer('BN', true, [
        { iteration: 1, epoch: 0, train: 0.2, test: 0.15 },
        { iteration: 11, epoch: 1, train: 0.9, test: 0.8 },
      ]),
      racer('Dropout, "0.2"', false, [{ iteration: 1, epoch: 0, train: 0.1, test: 0.12 }]),
    ];
    expect(accuracyCsv(history)).toBe('iteration,epoch,BN,"Dropout, ""0.2""",BN (train),"Dropout, ""0.2"" (train)"\n1,0,0.15,0.12,0.2,0.1\n11,1,0.8,,0.9,\n');
    const config = { ...kSeedRace, sizes: [784, 13, 10], iterations: 20, trainLimit: 100, epochs: 2, trainAccuracy: true };
    const json = raceJson(config, history, ['#111111', '#222222'], { source: 'embedded', trainCount: 500, testCount: 50 }, 'cpu');
    expect(json.config).toMatchObject({ sizes: [784, 13, 10], trainLimit: 100, epochs: 2, trainAccuracy: true });
    expect(json.racers.map((r) => [r.bn, r.dropout, r.l2])).toEqual([
      [true, 0, 0.1],
      [false, 0.2, 0.1],
    ]);
    expect(json.racers[0].accuracy).toEqual([
      { iteration: 1, epoch: 0, train: 0.2, test: 0.15 },
      { iteration: 11, epoch: 1, train: 0.9, test: 0.8 },
    ]);
    expect(Object.keys(json.racers[0].accuracy[0])).toEqual(['iteration', 'epoch', 'train', 'test']);

    // A real race by epochs on the CPU reference: the JSON carries its settings, its records their epochs.
    const el = await mount({ backend: 'cpu', 'batch-size': '8', racers: '[{"optimizer":"sgd"}]' });
    await put(el, setting(el, 'hidden'), '7');
    await put(el, setting(el, 'trainLimit'), '40');
    await put(el, setting(el, 'epochs'), '2');
    const done = finished(el);
    await el.start();
    await done;
    const run = el.json()!;
    expect(run.config).toMatchObject({ sizes: [784, 7, 10], trainLimit: 40, epochs: 2, iterations: 10 });
    expect(run.racers[0]).toMatchObject({ bn: false, dropout: 0, l2: 0 });
    expect(run.racers[0].accuracy.map((a) => [a.iteration, a.epoch])).toEqual([
      [1, 0],
      [6, 1],
    ]);
    expect(el.accuracyCsv().split('\n')[0]).toBe('iteration,epoch,SGD');
  });
});

describe('<accuracy-chart>: training accuracy', () => {
  const nextFrame = (): Promise<number> => new Promise((resolve) => requestAnimationFrame(resolve));
  const frames = async (n: number) => {
    for (let i = 0; i < n; i++) await nextFrame();
  };

  it('draws a dashed line of each racer training accuracy beside its test line, once checkpoints carry it', async () => {
    const series: AccuracySeries[] = ['#e05a47', '#1f9bb5'].map((color, r) => ({
      name: `racer ${r + 1}`,
      color,
      points: [1, 11, 21].map((iteration, epoch) => ({ iteration, epoch, test: 0.3 + 0.2 * epoch - 0.1 * r })),
    }));
    const box = document.createElement('div');
    box.style.width = '700px';
    const chart = document.createElement('accuracy-chart');
    chart.series = series;
    box.append(chart);
    document.body.append(box);
    await until('the plot', () => chart.plot);
    await frames(2);
    expect(chart.plot!.series).toHaveLength(3); // no training accuracy: the test lines only

    // The race measures training accuracy: the checkpoints carry `train` (appended live, as the engine does).
    series.forEach((s, r) => {
      s.points.forEach((p, k) => Object.assign(p, { train: 0.4 + 0.25 * k - 0.1 * r }));
      s.points.push({ iteration: 31, epoch: 3, train: 1, test: 0.85 - 0.1 * r });
    });
    chart.refresh();
    await frames(3);
    const plot = chart.plot!;
    expect(plot.series).toHaveLength(5);
    expect(plot.series.slice(3).map((s) => [s.label, s.dash])).toEqual([
      ['racer 1 (train)', [6, 4]],
      ['racer 2 (train)', [6, 4]],
    ]);
    expect(plot.series[1].dash).toBeUndefined();
    expect(Array.from(plot.data[3] as ArrayLike<number>)).toEqual([40, 65, 90, 100]);
    expect(Array.from(plot.data[4] as ArrayLike<number>).map((v) => Math.round(v))).toEqual([30, 55, 80, 100]);
    await chart.updateComplete;
    const shadow = chart.shadowRoot!;
    expect(shadow.querySelector('.readout')!.textContent).toBe('epoch 3 · iteration 31 (latest)');
    expect(shadow.querySelector('.legend .value')!.textContent).toBe('85.0 % · train 100.0 %');
    expect(shadow.querySelector('.plot')!.getAttribute('aria-label')).toMatch(/; dashed lines: accuracy on the training images$/);

    // The legend shows and hides a racer's two lines together.
    await userEvent.click(shadow.querySelector<HTMLButtonElement>('.legend .entry')!);
    await frames(2);
    expect([plot.series[1].show, plot.series[3].show, plot.series[2].show]).toEqual([false, false, true]);

    // A race with a validation share records `validation`, never `test`: measured="validation" draws it.
    for (const s of series) for (const p of s.points) Object.assign(p, { validation: p.test, test: undefined });
    chart.measured = 'validation';
    await chart.updateComplete;
    await frames(3);
    expect(Array.from(chart.plot!.data[2] as ArrayLike<number>).map((v) => Math.round(v))).toEqual([20, 40, 60, 75]);
    expect(shadow.querySelector('.plot')!.getAttribute('aria-label')).toMatch(/^validation accuracy of 2 racers/);
  });
});
