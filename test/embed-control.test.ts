/**
 * <optimizer-race>'s control API under a host script, in Chromium: examples/embed.html (autostart)
 * driven through property sets, reset() and start() right after load, then on every backend in
 * turn (webgpu -> cpu -> wasm, reset mid-race -> auto). Each started race fires exactly one
 * race-finished, after its last iteration, with its whole history; a reset race fires none; the
 * page's own race-finished handler (which reads the last loss) never throws. Races are tiny (batch
 * 16, a dozen iterations, 3 on the float64 reference). The Firefox half drives the same fixture.
 */
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { kChromiumArgs, kChromiumPath } from './setup/chromium';
import { finishProblem, recordFinishes, resetMidRace, restartOn, settle, takeFinishes } from './fixtures/embed-control';
import { startStaticServer, type StaticServer } from './fixtures/static-server';

const kRoot = fileURLToPath(new URL('..', import.meta.url));

let server: StaticServer;
let browser: Browser;

// dist/lib is built once per run by the global setup (test/setup/build-once.ts).
beforeAll(async () => {
  server = await startStaticServer(kRoot);
  browser = await chromium.launch({ executablePath: kChromiumPath, args: kChromiumArgs, headless: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

it('fires exactly one full race-finished per started race, whatever the backend and the resets', async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  // The page's autostarted race stays 300 iterations long (the host script takes over before it would end); smaller batches.
  await page.route('**/examples/embed.html', async (route) => {
    const html = (await (await route.fetch()).text()).replace('batch-size="128"', 'batch-size="16"');
    await route.fulfill({ body: html, contentType: 'text/html' });
  });
  await page.goto(`${server.origin}/examples/embed.html`);
  await page.evaluate(recordFinishes);

  // Right after load, before the autostart (data and probes still pending): the host script.
  expect(await page.evaluate(restartOn, { backend: 'webgpu', iterations: 12 })).toBe('webgpu');
  await page.evaluate(settle, 300);
  expect(finishProblem(await page.evaluate(takeFinishes), 'webgpu', 12)).toBeNull();

  // Then each engine in turn on the same element.
  expect(await page.evaluate(restartOn, { backend: 'cpu', iterations: 3 })).toBe('cpu');
  await page.evaluate(settle, 300);
  expect(finishProblem(await page.evaluate(takeFinishes), 'cpu', 3)).toBeNull();

  expect(await page.evaluate(resetMidRace, { backend: 'wasm', iterations: 12 })).toBe('wasm');
  await page.evaluate(settle, 300);
  expect(finishProblem(await page.evaluate(takeFinishes), 'wasm', 12)).toBeNull();

  // auto: WebAssembly SIMD on SwiftShader's fallback adapter, WebGPU on a hardware one.
  const fallback = await page.evaluate(async () => (await navigator.gpu.requestAdapter())?.info.isFallbackAdapter ?? null);
  const auto = fallback === false ? 'webgpu' : 'wasm';
  expect(await page.evaluate(restartOn, { backend: 'auto', iterations: 12 })).toBe(auto);
  await page.evaluate(settle, 300);
  expect(finishProblem(await page.evaluate(takeFinishes), auto, 12)).toBeNull();

  expect(await page.locator('#status').textContent()).toMatch(/^Finished: lowest final loss/);
  expect(errors, errors.join('\n')).toEqual([]);
  await page.close();
}, 240_000);

it('a reset of the autostarted race mid-run, then start(), gives one race-finished and no more', async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.route('**/examples/embed.html', async (route) => {
    const html = (await (await route.fetch()).text()).replace('batch-size="128"', 'batch-size="16"');
    await route.fulfill({ body: html, contentType: 'text/html' });
  });
  await page.goto(`${server.origin}/examples/embed.html`);
  await page.evaluate(recordFinishes);
  // The autostarted 300-iteration race reports its first chunk; the host resets it and races 12 on wasm.
  await page.waitForFunction(() => /^Iteration \d+/.test(document.getElementById('status')?.textContent ?? ''), undefined, { timeout: 120_000 });
  expect(await page.evaluate(restartOn, { backend: 'wasm', iterations: 12 })).toBe('wasm');
  await page.evaluate(settle, 500);
  expect(finishProblem(await page.evaluate(takeFinishes), 'wasm', 12)).toBeNull();
  expect(errors, errors.join('\n')).toEqual([]);
  await page.close();
}, 180_000);
