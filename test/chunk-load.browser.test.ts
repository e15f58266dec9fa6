/**
 * Exports and weights actions whose code cannot be loaded (offline, a server without the chunk:
 * src/util/load-chunk.ts): one message that names what could not be loaded, shown in the element
 * and the API's rejection; the progress gone, the buttons enabled, the race untouched; and the
 * next try loads it. The same for a race whose racers start from a weights file, at its start.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ChunkLoadError, chunkFailureText, chunkFetch, loadChunk } from '../src/util/load-chunk';
import type { OptimizerRace } from '../src/ui/optimizer-race/optimizer-race';
import { $ as $2d, cleanUp, mount as mount2d } from './fixtures/trajectory-harness';
import { until } from './fixtures/element-probes';
import { $, $$, click, finished, mountSmall, text, useOptimizerRaceHarness } from './optimizer-race-harness';

useOptimizerRaceHarness();

const load = chunkFetch.load;
/** Chunks that fail to load from now on, by what loadChunk calls them, as a lost connection would make them. */
function offline(...what: string[]): void {
  chunkFetch.load = (name, importer) =>
    what.includes(name) ? Promise.reject(new TypeError(`Failed to fetch dynamically imported module: https://example.test/assets/x.js`)) : load(name, importer);
}
const online = () => void (chunkFetch.load = load);
const failure = (what: string): string =>
  `Could not load ${what}: Failed to fetch dynamically imported module: https://example.test/assets/x.js. Check the connection and try again.`;

afterEach(() => {
  online();
  cleanUp();
});

describe('a chunk that cannot be loaded', () => {
  it('is one line naming it; the next try imports again', async () => {
    let tries = 0;
    const flaky = () => (++tries === 1 ? Promise.reject(new TypeError('Failed to fetch.')) : Promise.resolve({ ok: true }));
    const error = await loadChunk('the test code', flaky).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChunkLoadError);
    expect((error as Error).message).toBe('Could not load the test code: Failed to fetch. Check the connection and try again.');
    expect(chunkFailureText('Could not save', error)).toBe((error as Error).message);
    expect(chunkFailureText('Could not save', new Error('no race yet'))).toBe('Could not save: no race yet');
    expect(await loadChunk('the test code', flaky)).toEqual({ ok: true });
  });

  it("<trajectory-race>'s exports: the API rejects, the export line says it, Export is enabled, and a retry saves the file", async () => {
    const { el } = await mount2d({ steps: '2' });
    const results = JSON.stringify(el.results);
    offline('the GIF encoder');
    await expect(el.exportAnimation('gif', { framesPerStep: 1, width: 160 })).rejects.toThrow(failure('the GIF encoder'));
    offline('the PNG export');
    await expect(el.exportImage('png')).rejects.toThrow(failure('the PNG export'));
    // The UI's first export also loads the export line itself.
    const start = $2d<HTMLButtonElement>(el, '.export-start');
    const status = () => el.shadowRoot!.querySelector('.export-status');
    offline('the export');
    start.click();
    await expect.poll(() => status()?.textContent).toBe(failure('the export'));
    expect([status()!.getAttribute('role'), start.disabled]).toEqual(['alert', false]);
    const format = $2d<HTMLSelectElement>(el, 'select[aria-label="export format"]');
    format.value = 'gif';
    format.dispatchEvent(new Event('change'));
    offline('the GIF encoder');
    start.click();
    await expect.poll(() => status()?.textContent?.trim()).toBe(failure('the GIF encoder'));
    await el.updateComplete;
    expect([el.shadowRoot!.querySelector('progress'), start.disabled, JSON.stringify(el.results)]).toEqual([null, false, results]);
    online();
    start.click();
    await expect.poll(() => el.shadowRoot!.querySelector<HTMLAnchorElement>('.export-save')?.download, { timeout: 20_000 }).toBe('trajectory-race.gif');
  });

  it("<optimizer-race>'s weights and time-lapse: the API rejects, the element says it, the race stays, and a retry works", async () => {
    const el: OptimizerRace = await mountSmall({ iterations: '3', 'batch-size': '8', 'eval-every': '3', backend: 'cpu', racers: '[{"optimizer":"adam"}]' });
    const done = finished(el);
    await click(el, '[data-action="start"]');
    await done;
    await el.updateComplete;
    const losses = [...el.history[0].losses];
    offline('the weights code');
    await expect(el.saveWeights(0)).rejects.toThrow(failure('the weights code'));
    await until('the weights row', () => $$(el, '[data-weights="0"]').length > 0);
    $<HTMLButtonElement>(el, '[data-weights="0"]').click();
    await until('the message', () => text(el, '[part="message"]').includes(failure('the weights code')));
    expect([el.status, el.history[0].losses, $<HTMLButtonElement>(el, '[data-weights="0"]').disabled]).toEqual(['finished', losses, false]);
    expect(text(el, '[part="message"]')).not.toContain('Could not save');
    // The racer editor's "Load weights…": the card says it, and the racer's init stays.
    offline('the weights reader');
    const choose = () => {
      const input = $<HTMLInputElement>(el, 'input[data-field="weights-file"]');
      const files = new DataTransfer();
      files.items.add(new File([new Uint8Array(4)], 'short.safetensors'));
      input.files = files.files;
      input.dispatchEvent(new Event('change'));
    };
    choose();
    await until('the card message', () => text(el, '.racer-card .error') === failure('the weights reader'));
    expect(el.racers[0].initWeights).toBeUndefined();
    online();
    choose();
    await until('the file read and refused', () => text(el, '.racer-card .error').startsWith('Could not load weights: short.safetensors'));
    offline('the GIF encoder', 'the WebM encoder');
    await expect(el.exportTimelapse('webm', { frames: 2, width: 160, gifFallback: true })).rejects.toThrow(failure('the WebM encoder'));
    await expect(el.exportTimelapse('gif', { frames: 2, width: 160 })).rejects.toThrow(failure('the GIF encoder'));
    offline('the time-lapse');
    await click(el, '[data-export="loss-timelapse"]');
    await until('the time-lapse message', () => text(el, '.export-status.error') === failure('the time-lapse'));
    expect($<HTMLButtonElement>(el, '[data-export="loss-timelapse"]').disabled).toBe(false);
    online();
    expect((await el.saveWeights(0)).length).toBeGreaterThan(0);
    await click(el, '[data-export="loss-timelapse"]');
    await until('the time-lapse panel', () => el.shadowRoot!.querySelector('[data-export="loss-webm"]'), 20_000);
    expect(el.shadowRoot!.querySelector('.export-status.error')).toBeNull();
    expect(el.history[0].losses).toEqual(losses);
  }, 120_000);

  it("<optimizer-race>: a race whose racer starts from a weights URL says so at start when the reader cannot be loaded; the next start races from the file's weights", async () => {
    const settings = { iterations: '3', 'batch-size': '8', 'eval-every': '3', backend: 'cpu', racers: '[{"optimizer":"sgd"}]' };
    const el: OptimizerRace = await mountSmall(settings);
    const done = finished(el);
    await el.start();
    await done;
    const url = URL.createObjectURL(new Blob([(await el.saveWeights(0)) as Uint8Array<ArrayBuffer>]));
    const fresh = el.history[0].losses[0];
    try {
      el.racers = [{ optimizer: 'sgd', init: { weights: url } }] as unknown as OptimizerRace['racers'];
      await el.reset();
      offline('the weights reader');
      await el.start();
      await until('the message', () => text(el, '[part="message"]').includes(failure('the weights reader')));
      expect(el.history).toEqual([]);
      online();
      const again = finished(el);
      await el.start();
      await again;
      // From the trained weights: the same first minibatch (same seed) on the float64 reference, another loss than the init's.
      expect(el.history[0].losses).toHaveLength(3);
      expect(el.history[0].losses[0]).not.toBe(fresh);
      expect(text(el, '[part="message"]')).not.toContain('Could not load');
    } finally {
      URL.revokeObjectURL(url);
    }
  }, 120_000);
});
