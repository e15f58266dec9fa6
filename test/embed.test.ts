/**
 * Embedding: the library bundle (vite.lib.config.ts) on a plain static server, as an author's page
 * would host it. examples/embed.html loads with nothing but the script and the tag, runs a race
 * in headless Chromium on the engine `auto` picks there (SwiftShader is a fallback adapter, so
 * WebAssembly SIMD in the bundle's worker chunk), fires its events and logs no console error.
 * The page's race is shortened (100 iterations of batch 16) on the way; that one page load also
 * serves the Lit production-mode check and axe in light and dark mode. The bundle is dist/lib/,
 * built once per run by the global setup (test/setup/build-once.ts); that a build under Vitest
 * (NODE_ENV=test) still ships Lit's production build is checked on the config (build-config.test.ts).
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { kChromiumArgs, kChromiumPath } from './setup/chromium';
import { seriousViolations } from './fixtures/axe';
import { startStaticServer, type StaticServer } from './fixtures/static-server';

const kRoot = fileURLToPath(new URL('..', import.meta.url));

let server: StaticServer;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  server = await startStaticServer(kRoot);
  origin = server.origin;
  browser = await chromium.launch({ executablePath: kChromiumPath, args: kChromiumArgs, headless: true });
}, 60_000);

afterAll(async () => {
  await (await shared)?.page.context().close();
  await browser?.close();
  await server?.close();
});

/** examples/embed.html with a shorter race, opened once: the race test and the axe checks look at it in turn. */
let shared: Promise<{ page: Page; errors: string[]; messages: string[] }> | undefined;
const embedPage = (): Promise<{ page: Page; errors: string[]; messages: string[] }> =>
  (shared ??= (async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
    const page = await context.newPage();
    const errors: string[] = [];
    const messages: string[] = [];
    page.on('console', (m) => {
      messages.push(`${m.type()}: ${m.text()}`);
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('response', (r) => {
      if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`);
    });
    await page.route('**/examples/embed.html', async (route) => {
      const html = (await (await route.fetch()).text()).replace('iterations="300" batch-size="128"', 'iterations="100" batch-size="16" eval-every="50"');
      await route.fulfill({ body: html, contentType: 'text/html' });
    });
    await page.goto(`${origin}/examples/embed.html`);
    return { page, errors, messages };
  })());

it('runs a race from examples/embed.html with only the script and the tag', async () => {
  const { page, errors } = await embedPage();
  await page.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('Finished'), undefined, { timeout: 170_000 });
  const history = await page.evaluate(() => {
    const race = document.querySelector('optimizer-race') as HTMLElement & { history: { name: string; losses: number[]; diverged: number | null }[] };
    return race.history.map((h) => ({ name: h.name, n: h.losses.length, head: h.losses.slice(0, 10), tail: h.losses.slice(-10), diverged: h.diverged }));
  });
  expect(history.map((h) => h.name)).toEqual(['SGD', 'Momentum', 'AdaGrad', 'Adam', 'RMSprop', 'Nesterov']);
  const engine = await page.evaluate(async () => ({
    fallback: (await navigator.gpu.requestAdapter())?.info.isFallbackAdapter ?? null,
    active: (document.querySelector('optimizer-race') as HTMLElement & { activeBackend: string }).activeBackend,
  }));
  expect(engine.active).toBe(engine.fallback === false ? 'webgpu' : 'wasm');
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  for (const h of history) {
    expect(h.n, h.name).toBe(100);
    expect(h.diverged, h.name).toBeNull();
    expect(mean(h.tail), h.name).toBeLessThan(mean(h.head));
  }
  expect(await page.locator('#status').textContent()).toMatch(/^Finished: lowest final loss/);
  expect(errors, errors.join('\n')).toEqual([]);
  await page.screenshot({ path: join(kRoot, 'screenshots', 'embed.png'), fullPage: true }).catch(() => undefined);
}, 200_000);

// On the race's page: every console message from its first script on (Lit warns at module evaluation).
it('ships Lit in production mode: loading the bundle logs no "dev mode" message', async () => {
  const { page, messages } = await embedPage();
  await page.waitForFunction(() => customElements.get('optimizer-race') !== undefined && customElements.get('trajectory-race') !== undefined);
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 500)));
  expect(
    messages.filter((m) => /dev mode/i.test(m)),
    messages.join('\n'),
  ).toEqual([]);
}, 200_000);

// On the race's page (finished when the race test ran first), light as loaded, then dark as the system switches it.
it.for(['light', 'dark'] as const)('examples/embed.html in %s mode has no serious or critical axe violation', { timeout: 200_000 }, async (colorScheme) => {
  const { page } = await embedPage();
  await page.emulateMedia({ colorScheme });
  await page.locator('optimizer-race .dataset[data-state="ready"]').waitFor({ timeout: 120_000 });
  const violations = await seriousViolations(page);
  expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
});

// Last on the shared page (the axe checks above see the page as shipped): a host script adds the
// chapter-6 element, whose chunk the bundle loads only then, and races a 2-epoch overfit preset.
it('defines <chapter6-race> from the bundle when a page first adds one, and races it', async () => {
  const { page, errors } = await embedPage();
  await page.waitForFunction(() => customElements.get('optimizer-race') !== undefined);
  const chunkLoaded = () => performance.getEntriesByType('resource').some((r) => /\/chunks\/chapter6-race-[\w-]+\.js$/.test(r.name));
  expect(await page.evaluate(() => customElements.get('chapter6-race') !== undefined)).toBe(false);
  expect(await page.evaluate(chunkLoaded)).toBe(false);
  const race = await page.evaluate(async () => {
    type Chapter6 = HTMLElement & { start(): Promise<void> };
    type Detail = { backend: string; history: { name: string; accuracy: { epoch?: number; train?: number; test: number }[] }[] };
    const element = document.createElement('chapter6-race') as Chapter6;
    element.setAttribute('preset', 'overfit');
    element.setAttribute('epochs', '2');
    document.body.append(element);
    await customElements.whenDefined('chapter6-race');
    const finished = new Promise<Detail>((resolve) =>
      element.addEventListener('race-finished', (e) => resolve((e as unknown as CustomEvent<Detail>).detail), { once: true }),
    );
    await element.start();
    const { backend, history } = await finished;
    return { backend, figure: !!element.shadowRoot?.querySelector('overfit-figure'), racers: history.map((h) => [h.name, h.accuracy.map((a) => a.epoch)]) };
  });
  expect(await page.evaluate(chunkLoaded)).toBe(true);
  expect(race.figure).toBe(true);
  expect(['webgpu', 'wasm', 'cpu']).toContain(race.backend);
  expect(race.racers).toHaveLength(2);
  for (const [, epochs] of race.racers) expect(epochs).toEqual([0, 1]);
  expect(errors, errors.join('\n')).toEqual([]);
}, 200_000);
