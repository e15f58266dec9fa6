/**
 * Accessibility: the MNIST race driven by real key presses alone, on one page: load files,
 * edit a racer's lr, add and remove a racer, start, pause, step, reset; then set a sweep and race
 * it; axe-core (injected into the page, shadow roots included) then checks that page's sweep
 * (sensitivity card, grouped legend, open sweep panel): no serious or critical violation. axe on the
 * demo page as loaded, light and dark, runs on test/page.test.ts's laptop page (one page load fewer).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeIdxImages, encodeIdxLabels } from '../src/data/idx';
import { loadEmbeddedMnistFromDisk } from '../src/data/node/mnist-dir';
import type { Browser, FileChooser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './fixtures/axe';
import { startDemoServer, type DemoServer } from './fixtures/demo-server';

let demo: DemoServer;
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  demo = await startDemoServer();
  ({ browser, baseUrl } = demo);
}, 120_000);

afterAll(() => demo?.close());

/** The deepest focused element (through shadow roots), described for assertions. */
function focused(page: Page): Promise<{
  tag: string;
  action: string | null;
  label: string | null;
  key: string | null;
  text: string;
  type: string | null;
  sweep: string | null;
  setting: string | null;
}> {
  return page.evaluate(() => {
    let a: Element | null = document.activeElement;
    while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
    return {
      tag: a?.tagName.toLowerCase() ?? '',
      action: a?.getAttribute('data-action') ?? null,
      label: a?.getAttribute('aria-label') ?? null,
      key: a?.getAttribute('data-key') ?? null,
      text: (a?.textContent ?? '').trim(),
      type: a?.getAttribute('type') ?? null,
      sweep: a?.getAttribute('data-sweep') ?? null,
      setting: a?.getAttribute('data-setting') ?? null,
    };
  });
}

/** Presses Tab until the focused element matches (real key presses; fails after `max`). */
async function tabTo(
  page: Page,
  what: string,
  matches: (f: Awaited<ReturnType<typeof focused>>) => boolean,
  { backwards = false, max = 120 } = {},
): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (i > 0 || backwards) await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    if (matches(await focused(page))) return;
  }
  throw new Error(`Tab never reached ${what}`);
}

const raceState = (page: Page) =>
  page.evaluate(() => {
    const el = document.querySelector('optimizer-race') as HTMLElement & {
      status: string;
      racers: { hyperparameters?: Record<string, number> }[];
      mnist: { trainCount: number } | null;
      history: { losses: number[] }[];
    };
    return {
      status: el.status,
      racers: el.racers.length,
      lr: el.racers[0]?.hyperparameters?.lr,
      train: el.mnist?.trainCount,
      iterations: el.history[0]?.losses.length ?? 0,
    };
  });

describe('the MNIST race by keyboard alone', () => {
  // The tests drive one page (each page load computes every section again), opened by the first to run.
  let shared: Promise<Page> | undefined;
  const keyboardPage = (): Promise<Page> =>
    (shared ??= (async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      // Every wait below (a file chooser, a status) gets as long as the tests' steps: on a loaded
      // machine Playwright's default 30 s ran out once while the page was still busy.
      context.setDefaultTimeout(120_000);
      const page = await context.newPage();
      // Playwright turns file-chooser interception on asynchronously when the first listener is
      // added: a listener added just before the key press can lose that race under load (the
      // browser then opens its own chooser and no event comes). One listener from the start keeps
      // interception on for the page's life.
      page.on('filechooser', () => undefined);
      await page.goto(`${baseUrl}#race=it:40,b:8,s:1,e:20,p:seed`);
      await page.locator('optimizer-race .dataset[data-state="ready"]').waitFor({ timeout: 120_000 });
      return page;
    })());
  afterAll(async () => (await shared)?.context().close());

  it('loads files, edits a racer, adds and removes one, starts, pauses, steps and resets', { timeout: 240_000 }, async () => {
    const data = await loadEmbeddedMnistFromDisk();
    const dir = mkdtempSync(join(tmpdir(), 'keyboard-mnist-'));
    const px = data.rows * data.cols;
    const files = {
      'train-images-idx3-ubyte': encodeIdxImages(data.trainImages.subarray(0, 300 * px), 300, data.rows, data.cols),
      'train-labels-idx1-ubyte': encodeIdxLabels(data.trainLabels.subarray(0, 300)),
      't10k-images-idx3-ubyte': encodeIdxImages(data.testImages.subarray(0, 40 * px), 40, data.rows, data.cols),
      't10k-labels-idx1-ubyte': encodeIdxLabels(data.testLabels.subarray(0, 40)),
    };
    for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
    const page = await keyboardPage();
    try {
      await page.locator('optimizer-race button[data-action="start"]:not([disabled])').waitFor({ timeout: 60_000 });

      // Load the four files: the (visually hidden) file input takes Space.
      // Should a Space still land while the toolbar re-renders and open nothing: tab back to the input and press it again.
      let chooser: FileChooser | undefined;
      for (let attempt = 0; attempt < 3 && !chooser; attempt++) {
        await tabTo(page, 'the file input', (f) => f.type === 'file');
        const opened = page.waitForEvent('filechooser', { timeout: 10_000 }).catch(() => undefined);
        await page.keyboard.press('Space');
        chooser = await opened;
      }
      if (!chooser) throw new Error('Space on the file input opened no file chooser, three times');
      await chooser.setFiles(Object.keys(files).map((name) => join(dir, name)));
      await page.waitForFunction(
        () => (document.querySelector('optimizer-race') as unknown as { mnist: { trainCount: number } | null }).mnist?.trainCount === 300,
      );

      // The first racer's learning rate, typed.
      await tabTo(page, "the first racer's lr", (f) => f.key === 'lr');
      await page.keyboard.press('Control+A');
      await page.keyboard.type('0.05');
      expect((await raceState(page)).lr).toBe(0.05);

      // Add a racer, then remove it again.
      await tabTo(page, 'Add racer', (f) => f.text.includes('Add racer'));
      await page.keyboard.press('Enter');
      expect((await raceState(page)).racers).toBe(7);
      // Going back from "Add racer", the first Remove button is the new (last) card's.
      await tabTo(page, "the new racer's Remove button", (f) => /^Remove /.test(f.label ?? ''), { backwards: true });
      await page.keyboard.press('Enter');
      expect((await raceState(page)).racers).toBe(6);

      // Start, pause, step, reset, on a race too long to end before the pause lands (the page's
      // 40 iterations can finish first on a busy machine), then the 40 again for the sweep below.
      const typeIterations = async (n: number): Promise<void> => {
        await tabTo(page, 'the iterations field', (f) => f.setting === 'iterations', { backwards: true });
        await page.keyboard.press('Control+A');
        await page.keyboard.type(String(n));
      };
      await typeIterations(1_000_000);
      await tabTo(page, 'Start', (f) => f.action === 'start');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => (document.querySelector('optimizer-race') as unknown as { status: string }).status === 'running');
      await page.keyboard.press('Enter'); // the same button now pauses
      await page.waitForFunction(() => (document.querySelector('optimizer-race') as unknown as { status: string }).status === 'paused');
      const paused = (await raceState(page)).iterations;
      expect(paused).toBeGreaterThan(0);
      await tabTo(page, 'Step', (f) => f.action === 'step');
      await page.keyboard.press('Enter');
      await page.waitForFunction(
        (n) => (document.querySelector('optimizer-race') as unknown as { history: { losses: number[] }[] }).history[0].losses.length === n + 1,
        paused,
      );
      await tabTo(page, 'Reset', (f) => f.action === 'reset');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => (document.querySelector('optimizer-race') as unknown as { status: string }).status === 'idle');
      expect(await raceState(page)).toMatchObject({ status: 'idle', racers: 6, lr: 0.05, train: 300, iterations: 0 });
      await typeIterations(40);
      expect(await page.evaluate(() => (document.querySelector('optimizer-race') as unknown as { iterations: number }).iterations)).toBe(40);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('opens the sweep panel, sets a sweep and races it, by keyboard alone', { timeout: 180_000 }, async () => {
    const page = await keyboardPage();
    await page.locator('optimizer-race .sweep-card summary').focus();
    await page.keyboard.press('Enter');
    await tabTo(page, 'the sweep count', (f) => f.sweep === 'count');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('2');
    await tabTo(page, 'Race this sweep', (f) => f.action === 'apply-sweep');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (document.querySelector('optimizer-race') as unknown as { racers: unknown[] }).racers.length === 12);
    // The sweep charts are a lazy chunk (src/ui/lazy-element.ts), imported on this first sweep: a
    // loading note stands in until it is defined, then both charts replace it (or a failure note does).
    const charts = page.locator('optimizer-race sensitivity-chart');
    await page.locator('optimizer-race :is(sensitivity-chart[metric="accuracy"], .lazy-failed)').first().waitFor({ timeout: 60_000 });
    expect(await page.locator('optimizer-race .lazy-failed').count()).toBe(0);
    expect(await charts.count()).toBe(2);
  });

  // On the same page, the sweep just set (as the sweep preset sets one): the sensitivity card, the
  // grouped legend and the open sweep panel.
  it('the sweep (sensitivity card, grouped legend) and the open sweep panel have no serious or critical violation', { timeout: 180_000 }, async () => {
    const page = await keyboardPage();
    await page.locator('optimizer-race sensitivity-chart').first().waitFor({ timeout: 60_000 });
    await page.locator('optimizer-race sweep-panel [data-action="apply-sweep"]').waitFor({ timeout: 60_000 });
    const violations = await seriousViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
  });
});
