/**
 * lazyElement (src/ui/lazy-element.ts): a note while the element's module loads, then the element
 * as the latest render asked for it; a chunk that cannot be loaded is said; a module whose
 * elements are already defined shows them at once.
 */
import { html, render } from 'lit';
import { afterEach, expect, it } from 'vitest';
import { lazyElement, LazyModule } from '../src/ui/lazy-element';

afterEach(() => document.body.replaceChildren());

/** An importer that settles when the test says. */
function gate(): { importer: () => Promise<unknown>; open: () => void; fail: (error: Error) => void } {
  let open = () => {};
  let fail: (error: Error) => void = () => {};
  const promise = new Promise<unknown>((resolve, reject) => {
    open = () => resolve({});
    fail = reject;
  });
  return { importer: () => promise, open, fail };
}

const host = (): HTMLElement => document.body.appendChild(document.createElement('div'));
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

it('shows a loading note, then the latest content once the module is loaded, and imports once', async () => {
  const { importer, open } = gate();
  let imports = 0;
  const module = new LazyModule('the test view', ['lazy-test-a'], () => {
    imports++;
    return importer();
  });
  const el = host();
  const view = (n: number) => render(html`${lazyElement(module, () => html`<p class="content">render ${n}</p>`)}`, el);
  view(1);
  expect(el.querySelector('.lazy-loading[role="status"]')!.textContent).toBe('Loading the test view…');
  view(2);
  expect(el.querySelector('.content')).toBeNull();
  open();
  await settle();
  expect(el.querySelector('.lazy-loading')).toBeNull();
  expect(el.querySelector('.content')!.textContent).toBe('render 2');
  view(3);
  expect(el.querySelector('.content')!.textContent).toBe('render 3');
  // Another place showing it later gets it at once.
  const other = host();
  render(html`${lazyElement(module, () => html`<p class="content">there</p>`)}`, other);
  expect(other.querySelector('.content')!.textContent).toBe('there');
  expect(imports).toBe(1);
});

it('says so when the chunk cannot be loaded', async () => {
  const { importer, fail } = gate();
  const module = new LazyModule('the test view', ['lazy-test-b'], importer);
  const el = host();
  render(html`${lazyElement(module, () => html`<p class="content"></p>`)}`, el);
  fail(new TypeError('Failed to fetch dynamically imported module: https://example.test/chunks/x.js'));
  await settle();
  expect(el.querySelector('.content')).toBeNull();
  expect(el.querySelector('.lazy-failed[role="alert"]')!.textContent).toBe(
    'Could not load the test view: Failed to fetch dynamically imported module: https://example.test/chunks/x.js. Reload the page to try again.',
  );
  expect(module.state).toBe('failed');
});

it('shows the element at once when it is already defined', () => {
  customElements.define('lazy-test-c', class extends HTMLElement {});
  const module = new LazyModule('the test view', ['lazy-test-c'], () => Promise.reject(new Error('never imported')));
  const el = host();
  render(html`${lazyElement(module, () => html`<lazy-test-c></lazy-test-c>`)}`, el);
  expect(el.querySelector('lazy-test-c')).not.toBeNull();
  expect(module.state).toBe('ready');
});
