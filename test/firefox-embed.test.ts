/**
 * The library bundle (dist/lib/optimizer-race.js) in Firefox as an embedder uses it: examples/embed.html
 * on a plain static server, with only the script and the tag, races on the engine `auto` picks in
 * Firefox and says why; and a host script drives the element's control API (properties, reset(),
 * start()) across every backend, each started race firing exactly one `race-finished` after its
 * last iteration with its whole history. Races are tiny: Firefox on lavapipe is slow.
 */
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { adapterInfo, autoBadgeInFirefox, launchFirefox, newFirefoxPage, requireBuilt, serveRoot } from './fixtures/firefox';
import type { StaticServer } from './fixtures/static-server';

let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  requireBuilt('dist/lib/optimizer-race.js');
  [server, browser] = await Promise.all([serveRoot(), launchFirefox()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const kSeedNames = ['SGD', 'Momentum', 'AdaGrad', 'Adam', 'RMSprop', 'Nesterov'];

/** The badge's text, spaces collapsed. */
const badgeText = (page: Page): Promise<string> =>
  page.$eval('optimizer-race', (el) => el.shadowRoot?.querySelector('[part="backend"]')?.textContent?.replace(/\s+/g, ' ').trim() ?? '');

it('runs a race from examples/embed.html with only the script and the tag, on the engine auto picks in Firefox', async () => {
  const { page, errors } = await newFirefoxPage(browser, () => {
    const host = window as unknown as { __finishedCount: number };
    host.__finishedCount = 0;
    window.addEventListener('race-finished', () => host.__finishedCount++);
  });
  // The page's race, shortened on the way (its 300 iterations of batch 128 take minutes here).
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    if (!request.url().endsWith('/examples/embed.html')) return void request.continue();
    void (async () => {
      const html = await (await fetch(request.url())).text();
      await request.respond({
        status: 200,
        contentType: 'text/html',
        body: html.replace('iterations="300" batch-size="128"', 'iterations="12" batch-size="16" eval-every="12"'),
      });
    })();
  });
  await page.goto(`${server.origin}/examples/embed.html`);
  await page.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('Finished'), { timeout: 60_000 });
  const race = await page.$eval('optimizer-race', (el) => {
    const race = el as HTMLElement & { activeBackend: string; history: { name: string; losses: number[]; diverged: number | null }[] };
    return { active: race.activeBackend, history: race.history.map((h) => ({ name: h.name, n: h.losses.length, diverged: h.diverged })) };
  });
  expect(race.history.map((h) => h.name)).toEqual(kSeedNames);
  for (const h of race.history) expect(h, h.name).toMatchObject({ n: 12, diverged: null });
  // auto: WebAssembly SIMD on a fallback adapter (lavapipe here), WebGPU on a hardware one; Firefox names neither.
  const adapter = await adapterInfo(page);
  expect(adapter).not.toBeNull();
  expect(race.active).toBe(adapter!.fallback ? 'wasm' : 'webgpu');
  expect(await badgeText(page)).toMatch(autoBadgeInFirefox(adapter!.fallback));
  expect(await page.$eval('#status', (s) => s.textContent)).toMatch(/^Finished: lowest final loss/);
  // The autostarted race finished once.
  expect(await page.evaluate(() => (window as unknown as { __finishedCount: number }).__finishedCount)).toBe(1);
  expect(errors).toEqual([]);
  await page.close();
}, 90_000);

/** One `race-finished` as the host saw it when it fired. */
interface FinishedSeen {
  backend: string;
  /** Every racer's number of losses, read in the handler (the history is live). */
  losses: number[];
  /** The last `race-progress` iteration before it (0: none since the previous reset or start). */
  lastProgress: number;
}

/** How long one step of the host script may take before it counts as a hang (Firefox on lavapipe, on a loaded machine). */
const kStepTimeout = 90_000;

type Host = Window & { __finished: FinishedSeen[]; __progress: number; __stepped: boolean };

it(
  'a host script drives the control API: one race-finished per started race, after its last iteration, with its whole history, across backends and resets',
  async () => {
    const { page, errors } = await newFirefoxPage(browser, () => {
      // The host's listeners, registered before the element's script runs (as an embedder's page would).
      const host = window as unknown as Host;
      host.__finished = [];
      host.__progress = 0;
      window.addEventListener('race-progress', (e) => {
        host.__progress = (e as CustomEvent<{ iteration: number }>).detail.iteration;
      });
      window.addEventListener('race-finished', (e) => {
        const { backend, history } = (e as unknown as CustomEvent<{ backend: string; history: { losses: number[] }[] }>).detail;
        host.__finished.push({ backend, losses: history.map((h) => h.losses.length), lastProgress: host.__progress });
      });
    });
    const seen = (): Promise<FinishedSeen[]> => page.evaluate(() => (window as unknown as Host).__finished);
    /**
     * Runs a host-script step (an async function's body) in the page, without waiting on it there,
     * then waits until it has returned and `count` races have finished in all: a hang fails with what was seen.
     */
    const step = async (count: number, body: string): Promise<void> => {
      await page.evaluate(`window.__stepped = false; void (async () => { ${body} })().then(() => { window.__stepped = true; })`);
      await page
        .waitForFunction(
          (n: number) => (window as unknown as Host).__stepped && (window as unknown as Host).__finished.length >= n,
          { timeout: kStepTimeout },
          count,
        )
        .catch(async () => {
          const state = await page.evaluate(() =>
            JSON.stringify({ stepped: (window as unknown as Host).__stepped, progress: (window as unknown as Host).__progress }),
          );
          throw new Error(`${kStepTimeout / 1000} s after ${body}: ${state}, ${JSON.stringify(await seen())} finished`);
        });
    };
    const race = "const race = document.getElementById('race'); window.__progress = 0;";

    // Right after load, while the page's autostart (300 iterations of batch 128) is pending or under way.
    await page.goto(`${server.origin}/examples/embed.html`);
    await step(1, `${race} race.backend = 'webgpu'; race.iterations = 30; race.batchSize = 16; await race.reset(); await race.start();`);
    await step(2, `${race} race.backend = 'cpu'; race.iterations = 8; await race.reset(); await race.start();`);
    // A reset mid-race (from the host's progress handler, so surely before the race's 40th iteration)
    // stops that race: it never reaches its last iteration, so it fires nothing; the next one races 8.
    await step(
      2,
      `${race} race.backend = 'wasm'; race.iterations = 40; await race.reset();
    window.__resetAt = await new Promise((resolve) => {
      race.addEventListener('race-progress', (e) => void race.reset().then(() => resolve(e.detail.iteration)), { once: true });
      void race.start();
    });`,
    );
    expect(await page.evaluate(() => (window as unknown as { __resetAt: number }).__resetAt)).toBeLessThan(40);
    await step(3, `${race} race.iterations = 8; await race.start();`);
    await step(4, `${race} race.backend = 'auto'; await race.reset(); await race.start();`);
    // Nothing more arrives late.
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    const adapter = await adapterInfo(page);
    const auto = adapter && !adapter.fallback ? 'webgpu' : 'wasm';
    const finished = await seen();
    expect(finished, JSON.stringify(finished)).toEqual([
      { backend: 'webgpu', losses: Array(6).fill(30), lastProgress: 30 },
      { backend: 'cpu', losses: Array(6).fill(8), lastProgress: 8 },
      { backend: 'wasm', losses: Array(6).fill(8), lastProgress: 8 },
      { backend: auto, losses: Array(6).fill(8), lastProgress: 8 },
    ]);
    expect(await page.$eval('#status', (s) => s.textContent)).toMatch(/^Finished: lowest final loss/);
    expect(errors).toEqual([]);
    await page.close();
  },
  6 * kStepTimeout,
);
