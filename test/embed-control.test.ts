/**
 * <optimizer-race>'s control API under a host script, in Chromium: examples/embed.html (autostart)
 * driven through property sets, reset() and start() right after load, then on every backend in
 * turn (webgpu -> cpu -> wasm, reset mid-race -> auto). Each started race fires exactly one
 * race-finished, after its last iteration, with its whole history; a reset race fires none; the
 * page's own race-finished handler (which reads the last loss) never throws. Races are tiny (batch
 * 16, one hidden layer of 16, a dozen iterations, 3 on the float64 reference). The Firefox half drives the same fixture.
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
  // The page's autostarted race stays 300 iterations long (the host script takes over before it would
  // end); smaller batches and one small hidden layer (each race ends by evaluating the test set).
  await page.route('**/examples/embed.html', async (route) => {
    const html = (await (await route.fetch()).text()).replace('batch-size="128"', 'batch-size="16" hidden-layers="16"');
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

// examples/lesson.html: the host page's own buttons drive a compact embed (the element's toolbar and
// racer editor hidden by its CSS): racers set, one iteration a step on every engine (the same first
// losses on each), start to the end, the history read into the host's table.
it('examples/lesson.html drives a compact embed from its own buttons: racers, step on every engine, start, history', async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  // A tiny race: 12 iterations of batch 8 through one hidden layer of 13.
  await page.route('**/examples/lesson.html', async (route) => {
    const html = (await (await route.fetch()).text()).replace(
      'iterations="200" batch-size="64" eval-every="50" hidden-layers="50x2"',
      'iterations="12" batch-size="8" eval-every="6" hidden-layers="13"',
    );
    await route.fulfill({ body: html, contentType: 'text/html' });
  });
  await page.goto(`${server.origin}/examples/lesson.html`);
  await page.locator('optimizer-race .dataset[data-state="ready"]').waitFor({ timeout: 120_000 });
  type Lesson = HTMLElement & {
    backend: string;
    activeBackend: string | null;
    status: string;
    racers: { optimizer: string }[];
    history: { losses: number[] }[];
  };
  const hidden = await page.evaluate(() =>
    ['toolbar', 'racers'].map((part) => getComputedStyle(document.getElementById('race')!.shadowRoot!.querySelector(`[part="${part}"]`)!).display),
  );
  expect(hidden).toEqual(['none', 'none']);

  await page.getByRole('button', { name: 'SGD against Adam' }).click();
  await page.locator('#status', { hasText: 'Racers: sgd and adam.' }).waitFor();
  // Step twice on each engine: exactly one iteration a step, the same race on each (float32 against float64).
  const steps: Record<string, number[][]> = {};
  for (const backend of ['wasm', 'cpu', 'webgpu']) {
    await page.evaluate(async (b) => {
      const race = document.getElementById('race') as Lesson;
      race.backend = b;
      await (race as unknown as { reset(): Promise<void> }).reset();
    }, backend);
    for (const n of [1, 2]) {
      await page.getByRole('button', { name: 'Step' }).click();
      await page.locator('#status', { hasText: `Iteration ${n} (paused).` }).waitFor({ timeout: 60_000 });
    }
    const state = await page.evaluate(() => {
      const race = document.getElementById('race') as Lesson;
      return { active: race.activeBackend, status: race.status, losses: race.history.map((h) => h.losses) };
    });
    expect(state.active).toBe(backend);
    expect(state.status).toBe('paused');
    steps[backend] = state.losses;
  }
  for (const backend of ['wasm', 'webgpu']) {
    steps[backend].forEach((losses, r) => losses.forEach((loss, i) => expect(loss, `${backend} racer ${r} step ${i}`).toBeCloseTo(steps.cpu[r][i], 4)));
  }
  expect(steps.cpu.map((l) => l.length)).toEqual([2, 2]);

  // Start runs the rest; the host reads `history` into its table.
  await page.getByRole('button', { name: 'Start' }).click();
  await page.locator('#status', { hasText: 'Finished' }).waitFor({ timeout: 120_000 });
  await page.getByRole('button', { name: 'Show the losses' }).click();
  const rows = await page.locator('#losses tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
  expect(rows.map((r) => r.slice(0, 2))).toEqual([
    ['SGD', '12'],
    ['Adam', '12'],
  ]);
  for (const row of rows) expect(row[3]).toMatch(/^\d+\.\d%$/);
  expect(errors, errors.join('\n')).toEqual([]);
  await page.close();
}, 240_000);
