/**
 * The chapter-6 stage's browser side (bench/chapter6.html): each preset of the query's `presets`
 * run whole on ours (wasm) in the page, on as many threads as the cross-origin isolated page
 * offers, as bench/chapter6.ts times it. No TF.js and no WebGPU here, so the page loads quickly.
 * The launcher reads `window.__chapter6Result`; progress goes to the console as `[bench] ...`.
 */
import { loadEmbeddedMnist } from '../src/data/load';
import { kChapter6PresetIds, type Chapter6PresetId } from '../src/race/chapter6-presets';
import { wishedThreads } from '../src/race/worker-backend';
import { errorMessage } from '../src/util/error-message';
import { timeWasmPreset, type PresetTiming } from './chapter6';

export type Chapter6BrowserResult = { presets: PresetTiming[] } | { error: string };

declare global {
  interface Window {
    __chapter6Result?: Chapter6BrowserResult;
  }
}

function log(message: string): void {
  console.log(`[bench] ${message}`);
  const pre = document.getElementById('log');
  if (pre) pre.textContent += `${message}\n`;
}

async function runChapter6Browser(search: URLSearchParams): Promise<PresetTiming[]> {
  const ids = (search.get('presets') ?? kChapter6PresetIds.join(',')).split(',') as Chapter6PresetId[];
  const unknown = ids.filter((id) => !kChapter6PresetIds.includes(id));
  if (unknown.length) throw new Error(`unknown preset(s): ${unknown.join(', ')}`);
  const epochsText = search.get('epochs');
  const epochs = epochsText === null ? undefined : Number(epochsText);
  log('loading the embedded MNIST data');
  const data = await loadEmbeddedMnist({ baseUrl: '/' });
  const timings: PresetTiming[] = [];
  for (const id of ids) {
    log(`${id} on ours (wasm), ${wishedThreads()} thread(s) offered`);
    timings.push(await timeWasmPreset(id, data, wishedThreads(), 'browser', epochs));
  }
  return timings;
}

runChapter6Browser(new URLSearchParams(location.search)).then(
  (presets) => {
    window.__chapter6Result = { presets };
  },
  (error: unknown) => {
    window.__chapter6Result = { error: errorMessage(error) };
  },
);
