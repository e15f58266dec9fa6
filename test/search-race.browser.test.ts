/**
 * The "Hyperparameter search" section's elements: figure 6-24 and the landscape drawn from
 * synthetic trials (re-sorted when the trials change), then one tiny real search driven by
 * <search-race> on the WebAssembly engine (4 trials of a 784-8-8-10 network, 2 epochs of 40
 * images, 10 held out): Start, its figures filling in, "Narrow and search again" for a second
 * round on the landscape, and "Test the best". Then <optimizer-race> with a search of 100 trials
 * applied from its sweep panel (no race): the racers card shows the spec, the link stores it.
 */
import axe from 'axe-core';
import { afterEach, describe, expect, it } from 'vitest';
import { mountElement, until } from './fixtures/element-probes';
import '../src/ui/optimizer-race/optimizer-race';
import '../src/ui/search-race/search-race';
import type { OptimizerRace } from '../src/ui/optimizer-race/optimizer-race';
import type { SearchBestFigure, SearchLandscape, SearchRace } from '../src/ui/search-race/search-race';
import { parseSearchSpec } from '../src/optim/sweep';
import { trialResults, type SearchRacer } from '../src/ui/search-race/search-figure-data';

afterEach(() => {
  document.body.replaceChildren();
  history.replaceState(null, '', location.pathname + location.search);
});

const spec = parseSearchSpec('lr=1e-6..1e-2:log,l2=1e-8..1e-4:log');

/** 25 trials: trial k + 1's lr 10^(−6 + 4k/25) (trial 24's 0.0048); its validation accuracy grows with k per epoch up to k/25; trial 25 diverged. */
function synthetic(epochs: number, best = 24): ReturnType<typeof trialResults> {
  const trials = Array.from({ length: 25 }, (_, k) => ({ number: k + 1, values: { lr: 10 ** (-6 + (4 * k) / 25), l2: 1e-6 } }));
  const racers: SearchRacer[] = trials.map((_, k) => ({
    accuracy: Array.from({ length: epochs }, (_, e) => {
      const v = (k === best ? 0.95 : k / 30) * ((e + 1) / epochs);
      return { iteration: e * 4 + 1, epoch: e, validation: v, train: Math.min(1, v + 0.05) };
    }),
    diverged: k === 24 ? 3 : null,
  }));
  return trialResults(trials, racers);
}

describe('<search-best-figure>', () => {
  it("draws the best 20 in a 5 x 4 grid titled Best-1 ..., validation solid, training dashed, and the book's lines; re-sorted when trials change", async () => {
    const el = await mountElement<SearchBestFigure>('search-best-figure', { results: synthetic(5), epochs: 5 });
    el.style.width = '1000px';
    await el.updateComplete;
    const root = el.shadowRoot!;
    const panels = [...root.querySelectorAll('[part="panel"]')];
    expect(panels).toHaveLength(20);
    expect(panels.map((p) => p.querySelector('.panel-title')?.textContent)).toEqual(Array.from({ length: 20 }, (_, k) => `Best-${k + 1}`));
    // The grid has 5 columns on a wide screen (the book's 5 x 4).
    expect(getComputedStyle(root.querySelector('.panels')!).gridTemplateColumns.split(' ')).toHaveLength(5);
    // The diverged trial 25 (0.95) is ranked after every trial still racing; trial 24 leads.
    expect(panels.map((p) => p.getAttribute('data-trial')).slice(0, 3)).toEqual(['24', '23', '22']);
    expect(panels[0].querySelector('[data-series="validation"] polyline')?.getAttribute('data-style')).toBe('solid');
    expect(panels[0].querySelector('[data-series="train"] polyline')?.getAttribute('data-style')).toBe('dashed');
    expect(panels[0].querySelector('[data-series="validation"] polyline')?.getAttribute('points')?.split(' ')).toHaveLength(5);
    expect(panels[0].querySelector('svg')?.getAttribute('aria-label')).toBe(
      'Best-1, trial 24 (lr: 0.0048, weight decay: 1e-06): validation accuracy 0.77, training 0.82',
    );
    const lines = [...root.querySelectorAll('[part="lines"] li')].map((li) => li.textContent?.trim());
    expect(lines[0]).toBe('Best-1 (val acc: 0.77) | lr: 0.0048, weight decay: 1e-06');
    expect(lines).toHaveLength(20);

    el.results = synthetic(5, 3); // trial 4 now the best
    await el.updateComplete;
    expect(root.querySelector('[part="panel"]')?.getAttribute('data-trial')).toBe('4');
  });
});

describe('<search-landscape>', () => {
  it('puts every trial over lr and weight decay, coloured by viridis, the diverged crossed, the top five ringed, with a colour legend and the box', async () => {
    const results = synthetic(3);
    const el = await mountElement<SearchLandscape>('search-landscape', {
      rounds: [{ spec, results }],
      box: parseSearchSpec('lr=1e-3..1e-2:log,l2=1e-7..1e-5:log'),
    });
    const root = el.shadowRoot!;
    const plot = root.querySelector('svg[part="plot"]')!;
    expect(plot.querySelectorAll('[data-trial]')).toHaveLength(25);
    expect(plot.querySelectorAll('[data-diverged]')).toHaveLength(1);
    expect([...plot.querySelectorAll('[data-top]')].map((g) => g.getAttribute('data-top'))).toEqual(['5', '4', '3', '2', '1']);
    expect(plot.querySelector('[data-top="1"] [data-trial]')?.getAttribute('data-trial')).toBe('24');
    expect(plot.querySelectorAll('.ring')).toHaveLength(5);
    // Viridis: the best (0.95) is near yellow, a trial at 0 is its dark purple end.
    expect(plot.querySelector('[data-trial="1"]')?.getAttribute('fill')).toBe('#440154');
    expect([...plot.querySelectorAll('.tick')].map((t) => t.textContent)).toEqual(expect.arrayContaining(['1e-06', '0.0001', '0.01', '1e-08']));
    expect(plot.querySelector('[data-box]')).not.toBeNull();
    const legend = root.querySelector('[part="legend"]')!;
    expect(legend.querySelectorAll('stop')).toHaveLength(11);
    expect(legend.querySelector('stop')?.getAttribute('stop-color')).toBe('#440154');
    expect(legend.querySelector('stop:last-of-type')?.getAttribute('stop-color')).toBe('#fde725');
    expect(legend.querySelector('svg[role="img"]')?.getAttribute('aria-label')).toContain('validation accuracy from 0');
    // The text alternative: every trial in a table.
    expect(root.querySelectorAll('details tbody tr')).toHaveLength(25);
  });
});

describe('<search-race>', () => {
  it('races a tiny search on the WebAssembly engine, narrows it and searches again, and tests the best', async () => {
    const el = document.createElement('search-race') as SearchRace;
    Object.assign(el, { backend: 'wasm', trials: 4, epochs: 2, trainLimit: 50, hiddenLayers: '8x2', spec: 'lr=1e-3..1e-1:log,l2=1e-8..1e-4:log' });
    document.body.append(el);
    const root = el.shadowRoot!;
    const button = (action: string) => root.querySelector<HTMLButtonElement>(`button[data-action="${action}"]`)!;
    const figure = () => root.querySelector('search-best-figure')!;
    const landscape = () => root.querySelector('search-landscape')!;
    await until('Start enabled', () => el.hasUpdated && !button('start').disabled);
    expect(el.config?.validation).toBe(0.2);
    expect(root.querySelector('[data-about]')?.textContent?.replace(/\s+/g, ' ')).toContain('40 training images; 10 more held out for validation');

    button('start').click();
    await until('the end of round 1', () => el.status === 'finished', 120_000);
    await el.updateComplete;
    await figure().updateComplete;
    expect(root.querySelector('[part="backend"]')?.textContent).toContain('WebAssembly');
    expect(el.engine?.history.every((h) => h.accuracy.length === 2 && h.accuracy.every((c) => c.validation !== undefined && c.test === undefined))).toBe(true);
    const panels = figure().shadowRoot!.querySelectorAll('[part="panel"]');
    expect(panels).toHaveLength(4);
    expect(figure().shadowRoot!.querySelector('[part="lines"] li')?.textContent).toMatch(
      /^Best-1 \(val acc: \d\.\d\d\) \| lr: [\d.e+-]+, weight decay: [\d.e+-]+/,
    );
    await landscape().updateComplete;
    expect(landscape().shadowRoot!.querySelectorAll('[data-round="1"]')).toHaveLength(4);

    // The narrowed box is proposed, editable, and drawn on the landscape; a bad edit is explained and changes nothing.
    const narrow = await until('the narrowed box', () => root.querySelector<HTMLInputElement>('input[data-field="narrow"]'));
    expect(narrow.value).toMatch(/^lr=.*:log,l2=.*:log$/);
    expect(landscape().shadowRoot!.querySelector('[data-box]')).not.toBeNull();
    const proposed = narrow.value;
    narrow.value = 'lr=1e-2..1e-3:log';
    narrow.dispatchEvent(new Event('input'));
    await el.updateComplete;
    button('search-again').click();
    await el.updateComplete;
    expect(root.querySelector('[data-problem="narrow"]')?.textContent).toContain('MAX must be above MIN');
    expect(el.round).toBe(1);
    narrow.value = proposed;
    narrow.dispatchEvent(new Event('input'));
    narrow.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    await until('round 2', () => el.round === 2);
    await until('the end of round 2', () => el.status === 'finished', 120_000);
    await el.updateComplete;
    await landscape().updateComplete;
    expect(el.config?.seed).toBe(2);
    expect(landscape().shadowRoot!.querySelectorAll('[data-round="1"]')).toHaveLength(4);
    expect(landscape().shadowRoot!.querySelectorAll('[data-round="2"]')).toHaveLength(4);
    expect(root.querySelector('[data-readout="epoch"]')?.textContent).toBe('round 2, epoch 2 / 2');
    // Labels and roles as the rest of the page: no serious or critical axe violation, shadow roots included.
    const { violations } = await axe.run(el, { resultTypes: ['violations'] });
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes[0]?.target}`)).toEqual([]);

    button('test-best').click();
    const tested = await until('the tested trials', () => root.querySelector('table[data-tested]'), 60_000);
    expect(tested.querySelector('caption')?.textContent).toContain('Tested after the search');
    const rows = tested.querySelectorAll('tbody tr');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(Number(row.querySelectorAll('td')[3]?.textContent)).toBeGreaterThanOrEqual(0);

    button('reset').click();
    await el.updateComplete;
    expect(el.round).toBe(1);
    expect(el.status).toBe('idle');
    expect(root.querySelector('input[data-field="narrow"]')).toBeNull();
  });

  it('explains a bad spec and keeps Start disabled', async () => {
    const el = document.createElement('search-race') as SearchRace;
    Object.assign(el, { backend: 'cpu', spec: 'lr=0..1e-2:log' });
    document.body.append(el);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[data-problem]')?.textContent).toContain('a log range must stay above 0');
    expect(el.shadowRoot!.querySelector<HTMLButtonElement>('button[data-action="start"]')?.disabled).toBe(true);
  });
});

describe('<optimizer-race>: a search of 100 trials', () => {
  it('shows its racers as the spec until unfolded, stores the spec in the link, and draws the trials again for a new seed', async () => {
    const el = document.createElement('optimizer-race') as OptimizerRace;
    el.setAttribute('hash-key', 'race');
    el.setAttribute('backend', 'cpu');
    document.body.append(el);
    await until('the data', () => el.mnist);
    await el.updateComplete;
    const root = el.shadowRoot!;
    const panel = root.querySelector('sweep-panel')!;
    const boxes = [...panel.shadowRoot!.querySelectorAll<HTMLInputElement>('input[data-optimizer]')];
    for (const box of boxes) if (box.checked !== (box.dataset.optimizer === 'sgd')) box.click();
    await panel.updateComplete;
    panel.shadowRoot!.querySelector<HTMLButtonElement>('button[data-action="apply-search"]')!.click();
    await el.updateComplete;

    expect(el.racers).toHaveLength(100);
    expect(el.racers[0].name).toBe('trial 1');
    expect(location.hash).toBe('#race=it:2000,b:128,s:1,e:100,p:custom,sr:lr=1e-6..1e-2:log;l2=1e-8..1e-4:log*100@sgd');
    // No 100 cards: the study's words, and a button (keyboard reachable) to unfold them.
    const editor = () => root.querySelector('racer-editor');
    expect(editor()).toBeNull();
    expect(root.querySelector('[data-study-racers]')?.textContent).toContain('100 trials of SGD, drawn from seed 1');
    const unfold = root.querySelector<HTMLButtonElement>('button[data-action="unfold-racers"]')!;
    expect(unfold.getAttribute('aria-expanded')).toBe('false');
    unfold.click();
    await el.updateComplete;
    expect(editor()?.shadowRoot?.querySelectorAll('[part="racer"]')).toHaveLength(100);
    // The search card: trials CSV and the Best-k lines appear once measured.
    expect(root.querySelector('button[data-export="trials-csv"]')).not.toBeNull();
    // Without a validation share it ranks by test accuracy and says so; a share goes in the link (va).
    expect(root.querySelector('.search-card .hint')?.textContent).toContain('ranked by test accuracy (set a validation share');
    expect(root.querySelector('button[data-action="test-best"]')).toBeNull();
    el.validation = 0.2;
    await el.updateComplete;
    expect(location.hash).toContain(',va:0.2,');
    el.validation = undefined;
    await el.updateComplete;

    const first = el.racers[0].hyperparameters?.lr;
    const seed = root.querySelector<HTMLInputElement>('input[data-setting="seed"]')!;
    seed.value = '2';
    seed.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(el.seed).toBe(2);
    expect(el.racers[0].hyperparameters?.lr).not.toBe(first);
    expect(location.hash).toContain('s:2,');
    expect(location.hash).toContain('sr:lr=1e-6..1e-2:log;l2=1e-8..1e-4:log*100@sgd');
  });
});
