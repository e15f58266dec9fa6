/**
 * What the <optimizer-race> browser tests share: mounting the element (with a small MNIST subset
 * picked through its file input), finding things in its shadow roots, and the hooks that
 * check for WebGPU and clean the page after each test.
 */
import { afterEach, beforeAll, expect, vi } from 'vitest';
import type { MnistDataset } from '../src/data/dataset';
import { encodeIdxImages, encodeIdxLabels } from '../src/data/idx';
import '../src/ui/optimizer-race/optimizer-race';
import type { OptimizerRace } from '../src/ui/optimizer-race/optimizer-race';
import { until } from './fixtures/element-probes';
import { testDevice } from './gpu';

let webgpu = false;
/** The first mount's embedded MNIST, cut down to the small files the races use. */
let smallFiles: File[] = [];
export const kSeedNames = ['SGD', 'Momentum', 'AdaGrad', 'Adam', 'RMSprop', 'Nesterov'];

/** Whether this browser has a WebGPU adapter (known once the hooks' beforeAll ran). */
export const hasWebGPU = (): boolean => webgpu;

/** Registers the file's hooks: the WebGPU check (fails under CI=true without an adapter) and the clean-up. */
export function useOptimizerRaceHarness(): void {
  beforeAll(async () => {
    const device = await testDevice();
    webgpu = device !== undefined;
    device?.destroy();
  });
  afterEach(() => {
    document.body.replaceChildren();
    vi.restoreAllMocks();
    history.replaceState(null, '', location.pathname + location.search);
  });
}

/** The element's shadow root and that of the <racer-editor> inside it. */
export const roots = (el: OptimizerRace): ShadowRoot[] => {
  const editor = el.shadowRoot!.querySelector('racer-editor')?.shadowRoot;
  return editor ? [el.shadowRoot!, editor] : [el.shadowRoot!];
};
export const $$ = <E extends Element = HTMLElement>(el: OptimizerRace, selector: string): E[] =>
  roots(el).flatMap((root) => [...root.querySelectorAll<E>(selector)]);
export const $ = <E extends Element = HTMLElement>(el: OptimizerRace, selector: string): E => {
  const found = $$<E>(el, selector)[0];
  if (!found) throw new Error(`no ${selector} in <optimizer-race>`);
  return found;
};
export const text = (el: OptimizerRace, selector: string): string =>
  $$(el, selector)
    .map((e) => e.textContent ?? '')
    .join(' ')
    .replace(/\s+/g, ' ');

/**
 * Mounts the element (hash-key "" and backend="webgpu" unless given: `auto` would pick wasm on
 * SwiftShader's fallback adapter, and these tests race on WebGPU) and waits for its data.
 */
export async function mount(attributes: Record<string, string> = {}): Promise<OptimizerRace> {
  const el = document.createElement('optimizer-race');
  el.setAttribute('hash-key', '');
  if (!('force-cpu' in attributes)) el.setAttribute('backend', 'webgpu');
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  document.body.append(el);
  await until('the data', () => el.mnist);
  await el.updateComplete;
  return el;
}

export function smallMnistFiles(data: MnistDataset, train: number, test: number): File[] {
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
export async function pickFiles(el: OptimizerRace, files: File[]): Promise<void> {
  const transfer = new DataTransfer();
  for (const f of files) transfer.items.add(f);
  const input = $<HTMLInputElement>(el, 'input[type="file"]');
  input.files = transfer.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
  await el.updateComplete;
  await until('the files to be read', () => el.shadowRoot!.querySelector('.dataset')?.getAttribute('data-state') !== 'loading');
  await el.updateComplete;
}

export async function mountSmall(attributes: Record<string, string> = {}): Promise<OptimizerRace> {
  const el = await mount(attributes);
  if (smallFiles.length === 0) smallFiles = smallMnistFiles(el.mnist!, 2000, 200);
  await pickFiles(el, smallFiles);
  expect(el.mnist).toMatchObject({ source: 'custom', trainCount: 2000, testCount: 200 });
  return el;
}

export const click = async (el: OptimizerRace, selector: string): Promise<void> => {
  $<HTMLButtonElement>(el, selector).click();
  await el.updateComplete;
};

export const finished = (el: OptimizerRace) => new Promise<void>((resolve) => el.addEventListener('race-finished', () => resolve(), { once: true }));
export const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

/** A tiny race of two racers for the backend tests. */
export const kTiny = { iterations: '3', 'batch-size': '8', 'eval-every': '3', racers: '[{"optimizer":"adam"},{"optimizer":"momentum"}]' };
/** The badge's text; the thread count ("WebAssembly SIMD, 2 threads") depends on isolation and the engine's maxThreads. */
export const badge = (el: OptimizerRace): string =>
  text(el, '[part="backend"]')
    .trim()
    .replace(/^WebAssembly SIMD, \d+ threads/, 'WebAssembly SIMD');

/** Starts the element's race once a backend is chosen, and waits for it to finish. */
export async function race(el: OptimizerRace): Promise<void> {
  await until('a backend', () => !/checking/.test(badge(el)));
  const done = finished(el);
  await click(el, '[data-action="start"]');
  await done;
  await el.updateComplete;
}
