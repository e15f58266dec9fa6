/**
 * The library bundle without WebGPU: Chromium started without the WebGPU flags (on 127.0.0.1, a
 * secure context, navigator.gpu is there but requestAdapter() gives null). `auto` races on the
 * WebAssembly SIMD engine in the bundle's worker chunk and its badge says why; backend="webgpu"
 * says WebGPU is unavailable and offers the CPU reference, which runs in the same worker chunk. The
 * chunk must be found beside the bundle wherever that is served, not at the site root: the embed
 * example (/examples/, the bundle at ../dist/lib/) and a page two folders down elsewhere. The races
 * are tiny (3 iterations of batch 8): the CPU is ~1 s an iteration.
 */
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { MnistRaceFinishedEvent } from '../src/ui/optimizer-race/events';
import { kChromiumArgs, kChromiumPath } from './setup/chromium';
import { startStaticServer, type StaticServer } from './fixtures/static-server';

const kRoot = fileURLToPath(new URL('..', import.meta.url));
/** kChromiumArgs less every flag that turns WebGPU on. */
const kNoGpuArgs = kChromiumArgs.filter((a) => !/webgpu|vulkan/i.test(a));
const kTiny = 'iterations="3" batch-size="8" eval-every="3" hidden-layers="16"';

let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  server = await startStaticServer(kRoot);
  browser = await chromium.launch({ executablePath: kChromiumPath, args: kNoGpuArgs, headless: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A page that records console errors (and warnings), page errors and failed responses. */
async function openPage(): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
  });
  return { page, problems };
}

/** No WebGPU adapter here (else the test would prove nothing). */
async function expectNoWebGPU(page: Page): Promise<void> {
  const gpu = await page.evaluate(async () => {
    if (!('gpu' in navigator)) return 'no navigator.gpu';
    return (await navigator.gpu.requestAdapter()) ? 'adapter' : 'null adapter';
  });
  expect(['no navigator.gpu', 'null adapter']).toContain(gpu);
}

/** Resolves with every racer's name, iterations recorded and the backend, at race-finished. */
function raceFinished(page: Page): Promise<{ name: string; n: number; backend: string }[]> {
  return page.evaluate(
    () =>
      new Promise<{ name: string; n: number; backend: string }[]>((resolve) => {
        document.querySelector('optimizer-race')?.addEventListener('race-finished', (e: Event) => {
          const { history, backend } = (e as MnistRaceFinishedEvent).detail;
          resolve(history.map((h) => ({ name: h.name, n: h.losses.length, backend })));
        });
      }),
  );
}

/** The race's history at race-finished, or the element's error notice as a failure. */
async function finishedOrError(page: Page, finished: ReturnType<typeof raceFinished>): Promise<{ name: string; n: number; backend: string }[]> {
  const race = page.locator('optimizer-race');
  return Promise.race([
    finished,
    race
      .locator('.notice.error')
      .waitFor({ timeout: 90_000 })
      .then(async () => {
        throw new Error(`race error: ${await race.locator('.notice.error').first().textContent()}`);
      }),
  ]);
}

/** Every seed racer recorded 3 losses on `backend`; the page said Finished; nothing failed. */
async function expectFinished(page: Page, history: { name: string; n: number; backend: string }[], backend: string, problems: string[]): Promise<void> {
  expect(history.map((h) => h.name)).toEqual(['SGD', 'Momentum', 'AdaGrad', 'Adam', 'RMSprop', 'Nesterov']);
  for (const h of history) expect([h.n, h.backend], h.name).toEqual([3, backend]);
  const losses = await page.evaluate(() =>
    (document.querySelector('optimizer-race') as unknown as { history: { losses: number[] }[] }).history.map((h) => h.losses),
  );
  for (const l of losses) for (const x of l) expect(x).toBeGreaterThan(0);
  await expect.poll(() => page.locator('#status').textContent(), { timeout: 5_000 }).toMatch(/^Finished/);
  expect(problems, problems.join('\n')).toEqual([]);
}

/** `auto` (autostarted) races on WebAssembly SIMD and the badge says why. */
async function raceOnWasm(page: Page, problems: string[]): Promise<void> {
  await expectNoWebGPU(page);
  const history = await finishedOrError(page, raceFinished(page));
  await expectFinished(page, history, 'wasm', problems);
  const badge = page.locator('optimizer-race [part="backend"]');
  expect(await badge.textContent()).toMatch(/^WebAssembly SIMD( — |, \d+ threads — )WebGPU found no GPU adapter$/);
  expect(await page.locator('optimizer-race .notice').count()).toBe(0);
}

it('races on WebAssembly SIMD from examples/embed.html when WebGPU is unavailable', async () => {
  const { page, problems } = await openPage();
  await page.route('**/examples/embed.html', async (route) => {
    const html = (await (await route.fetch()).text()).replace('iterations="300" batch-size="128"', kTiny);
    expect(html).toContain(kTiny);
    await route.fulfill({ body: html, contentType: 'text/html' });
  });
  await page.goto(`${server.origin}/examples/embed.html`);
  await raceOnWasm(page, problems);
  await page.close();
}, 120_000);

/** A page two folders below the root, served only through this route, with the race's attributes. */
async function pageElsewhere(page: Page, attributes: string): Promise<void> {
  // Not a file in the repository: the page exists only for this route, two folders below the root.
  await page.route('**/elsewhere/deeper/page.html', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><script type="module" src="../../dist/lib/optimizer-race.js"></script>
        <optimizer-race ${kTiny} seed="1" ${attributes}></optimizer-race><p id="status"></p>
        <script type="module">
          document.querySelector('optimizer-race').addEventListener('race-finished', () => {
            document.getElementById('status').textContent = 'Finished';
          });
        </script>`,
    }),
  );
  await page.goto(`${server.origin}/elsewhere/deeper/page.html`);
}

it('finds the worker beside the bundle from a page at another path', async () => {
  const { page, problems } = await openPage();
  await pageElsewhere(page, 'autostart');
  await raceOnWasm(page, problems);
  await page.close();
}, 120_000);

it('backend="webgpu" without WebGPU says so and offers the CPU reference, which races in the worker', async () => {
  const { page, problems } = await openPage();
  await pageElsewhere(page, 'backend="webgpu"');
  await expectNoWebGPU(page);
  const race = page.locator('optimizer-race');
  await race.locator('.notice.warn', { hasText: 'WebGPU is not available.' }).waitFor({ timeout: 30_000 });
  const finished = raceFinished(page);
  await race.getByRole('button', { name: 'Race on the CPU' }).click();
  await race.locator('button[data-action="start"]:not([disabled])').click();
  await expectFinished(page, await finishedOrError(page, finished), 'cpu', problems);
  expect(await race.locator('[part="backend"]').textContent()).toMatch(/^CPU reference — /);
  await page.close();
}, 120_000);
