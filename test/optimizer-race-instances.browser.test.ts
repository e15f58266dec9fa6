/**
 * Two <optimizer-race> elements on one page with the default hash-key: only the first binds to the
 * URL hash, and both race at once on the shared device without disturbing each other.
 */
import { describe, expect, it } from 'vitest';
import type { OptimizerRace } from '../src/ui/optimizer-race/optimizer-race';
import { finished, hasWebGPU, pickFiles, smallMnistFiles, useOptimizerRaceHarness } from './optimizer-race-harness';
import { until } from './fixtures/element-probes';

useOptimizerRaceHarness();

/** An element as an author writes it: no hash-key. */
async function mountPlain(attributes: Record<string, string> = {}): Promise<OptimizerRace> {
  const el = document.createElement('optimizer-race');
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  document.body.append(el);
  await until('the data', () => el.mnist);
  await el.updateComplete;
  return el;
}

const setIterations = async (el: OptimizerRace, value: string): Promise<void> => {
  const input = el.shadowRoot!.querySelector<HTMLInputElement>('input[data-setting="iterations"]')!;
  input.value = value;
  input.dispatchEvent(new Event('input'));
  await el.updateComplete;
};

describe('two <optimizer-race> elements on one page', () => {
  it('only the first binds to the URL hash unless told otherwise', async () => {
    history.replaceState(null, '', '#race=it:300,b:64,s:7,e:50,p:seed');
    const first = await mountPlain();
    const second = await mountPlain();
    expect([first.iterations, first.batchSize]).toEqual([300, 64]);
    expect([second.iterations, second.batchSize]).toEqual([2000, 128]);

    await setIterations(second, '77');
    expect(location.hash).toBe('#race=it:300,b:64,s:7,e:50,p:seed');
    await setIterations(first, '123');
    expect(location.hash).toBe('#race=it:123,b:64,s:7,e:50,p:seed');

    // A second element with its own key binds to that key, beside the first.
    const third = await mountPlain({ 'hash-key': 'other' });
    await setIterations(third, '9');
    expect(location.hash).toBe('#race=it:123,b:64,s:7,e:50,p:seed&other=it:9,b:128,s:1,e:100,p:seed');

    // When the first leaves the page, the next element without a key takes the default one over.
    first.remove();
    await setIterations(second, '78');
    expect(location.hash).toBe('#other=it:9,b:128,s:1,e:100,p:seed&race=it:78,b:128,s:1,e:100,p:seed');
  });

  it('races two instances at once on the shared device, each as it would alone', async (ctx) => {
    if (!hasWebGPU()) return ctx.skip();
    // On WebGPU by name: auto would take wasm on SwiftShader's fallback adapter.
    const settings = { iterations: '20', 'batch-size': '16', 'eval-every': '10', backend: 'webgpu' };
    const a = await mountPlain({ ...settings, racers: '[{"optimizer":"sgd","hyperparameters":{"lr":0.1}},{"optimizer":"adam"}]' });
    const b = await mountPlain({ ...settings, racers: '[{"optimizer":"sgd","hyperparameters":{"lr":0.1}},{"optimizer":"adam"}]' });
    const files = smallMnistFiles(a.mnist!, 400, 50);
    await pickFiles(a, files);
    await pickFiles(b, files);
    const done = Promise.all([finished(a), finished(b)]);
    void a.start();
    void b.start();
    await done;
    expect(a.status).toBe('finished');
    expect(b.status).toBe('finished');
    for (const el of [a, b]) {
      expect(el.activeBackend).toBe('webgpu');
      expect(el.history.map((h) => h.losses.length)).toEqual([20, 20]);
      expect(el.history.every((h) => h.losses.every(Number.isFinite))).toBe(true);
    }
    // Same settings, same seed: the same race, whatever the other instance did meanwhile.
    expect(b.history.map((h) => h.losses)).toEqual(a.history.map((h) => h.losses));
  });
});
