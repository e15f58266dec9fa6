/**
 * The built demo page (dist/) in headless Chromium with WebGPU (SwiftShader), on the run's static
 * server (test/setup/build-once.ts, with the cross-origin isolation headers the dev server sends):
 * the 2D race draws its six paths, Adam by hand fills its table, section 4 draws the init
 * histograms, axe-core finds no serious or critical violation (light and dark), the page is keyboard
 * reachable, fits a phone's width, and logs no console error (the laptop checks share one page
 * load, light then dark, and the phone shots another).
 * Screenshots at laptop and phone widths, light and dark, go to screenshots/ (look at them);
 * UPDATE_DOCS_SCREENSHOT=1 also refreshes docs/screenshot.png for the README.
 */
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './fixtures/axe';
import { drawnPaths, openPage, type LoadedPage } from './fixtures/demo-page';
import { kRoot, startDemoServer, type DemoServer } from './fixtures/demo-server';

const kScreenshots = `${kRoot}screenshots`;

let demo: DemoServer;
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  demo = await startDemoServer();
  ({ browser, baseUrl } = demo);
  mkdirSync(kScreenshots, { recursive: true });
}, 120_000);

afterAll(() => demo?.close());

describe('the demo page', () => {
  it('runs a 100-iteration MNIST race in section 3 from a classroom link (the race, this section only, no controls or editor, start on load) on the engine auto picks here', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    const warnings: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
      if (m.type() === 'warning') warnings.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript(() => {
      window.addEventListener(
        'race-finished',
        (e) => {
          if ((e.target as Element).localName === 'optimizer-race') (window as unknown as Record<string, unknown>).__mnist = (e as CustomEvent).detail;
        },
        true,
      );
    });
    // Batches of 16 keep this to seconds. The unknown flag is said in the console and the rest applies.
    const link = '#race=it:100,b:16,s:1,e:50,p:seed&lesson=only:mnist,hide:controls+editor,start';
    await page.goto(`${baseUrl}${link},zoom:2`);
    const race = page.locator('optimizer-race');
    await page.waitForFunction(() => (window as unknown as Record<string, unknown>).__mnist !== undefined, undefined, { timeout: 170_000 });
    const shown = await page.evaluate(() => {
      const part = (name: string) => getComputedStyle(document.querySelector('optimizer-race')!.shadowRoot!.querySelector(`[part="${name}"]`)!).display;
      return {
        sections: [...document.querySelectorAll<HTMLElement>('main > section')].filter((s) => !s.hidden).map((s) => s.id),
        toc: [...document.querySelectorAll<HTMLElement>('.toc a')].filter((a) => !a.hidden).map((a) => a.getAttribute('href')),
        toolbar: part('toolbar'),
        racers: part('racers'),
        header: getComputedStyle(document.querySelector('.site-header')!).display,
      };
    });
    expect(shown).toEqual({ sections: ['mnist'], toc: ['#mnist'], toolbar: 'none', racers: 'none', header: 'block' });
    expect(warnings).toContain("optimizer-race: the link's lesson flags: unknown flag 'zoom:2' (only, hide, start); ignored.");
    // The header's panel writes the link as the page is now (its form starts from the page's flags).
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.locator('#lesson-link summary').click();
    await page.locator('.lesson-copy').click();
    await page.locator('.lesson-url:not([hidden])').waitFor();
    expect(await page.locator('.lesson-url').inputValue()).toBe(`${baseUrl}${link}`);
    expect(await page.locator('.lesson-status').textContent()).toBe('Copied the link.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${baseUrl}${link}`);
    const result = await page.evaluate(() => {
      const detail = (window as unknown as { __mnist: { backend: string; history: { name: string; losses: number[]; accuracy: unknown[] }[] } }).__mnist;
      const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
      return {
        backend: detail.backend,
        racers: detail.history.map((h) => ({
          name: h.name,
          n: h.losses.length,
          falls: mean(h.losses.slice(-10)) < mean(h.losses.slice(0, 10)),
          checkpoints: h.accuracy.length,
        })),
      };
    });
    // auto: SwiftShader's adapter says it is a software fallback, so the race runs on WebAssembly SIMD, and the badge says why.
    const adapter = await page.evaluate(async () => {
      const info = (await navigator.gpu.requestAdapter())?.info;
      return info ? { fallback: info.isFallbackAdapter, name: [info.vendor, info.architecture].filter(Boolean).join(' ') } : null;
    });
    expect(adapter).toEqual({ fallback: true, name: 'google swiftshader' });
    expect(result.backend).toBe('wasm');
    const badge = (await race.locator('[part="backend"]').textContent())?.replace(/\s+/g, ' ').trim();
    expect(badge).toMatch(/^WebAssembly SIMD(, \d+ threads)? — the only WebGPU adapter is a software fallback \(google swiftshader\)$/);
    // The server sends COOP/COEP: the page is cross-origin isolated (the wasm engine may use threads).
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(result.racers.map((r) => r.name)).toEqual(['SGD', 'Momentum', 'AdaGrad', 'Adam', 'RMSprop', 'Nesterov']);
    for (const r of result.racers) expect(r, r.name).toMatchObject({ n: 100, falls: true, checkpoints: 2 });
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);

  it('without WebGPU shows the note and still fills the table from the CPU reference', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined, configurable: true });
    });
    await page.goto(baseUrl);
    await page.locator('#webgpu-note').waitFor({ state: 'visible', timeout: 60_000 });
    expect(await page.locator('#webgpu-note').textContent()).toMatch(/Chrome and Edge 113\+, Safari 26\+, and Firefox\s+141\+ on Windows/);
    await page.locator('adam-steps').scrollIntoViewIfNeeded();
    await page.waitForFunction(
      () => document.querySelector('adam-steps')?.shadowRoot?.querySelector('[part="badge"]')?.textContent?.includes('CPU'),
      undefined,
      { timeout: 60_000 },
    );
    expect(await page.evaluate(() => document.querySelector('adam-steps')!.shadowRoot!.querySelectorAll('.mark.ok').length)).toBe(24);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  const shots = [
    { name: 'laptop-light', viewport: { width: 1280, height: 900 }, colorScheme: 'light' },
    { name: 'laptop-dark', viewport: { width: 1280, height: 900 }, colorScheme: 'dark' },
    { name: 'phone-light', viewport: { width: 375, height: 800 }, colorScheme: 'light' },
    { name: 'phone-dark', viewport: { width: 375, height: 800 }, colorScheme: 'dark' },
  ] as const;

  /** At a shot's size and colours: nothing makes the page scroll sideways, no console error; screenshot. */
  async function checkShot(shot: (typeof shots)[number], { page, errors }: LoadedPage): Promise<void> {
    // Nothing makes the page scroll sideways (wide tables scroll inside their own box).
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    await page.screenshot({ path: `${kScreenshots}/${shot.name}.png`, fullPage: true });
    if (shot.name === 'laptop-light') {
      // For the README: the header and the whole 2D race.
      const bottom = await page.evaluate(() => document.querySelector('trajectory-race')!.getBoundingClientRect().bottom + window.scrollY);
      const clip = { x: 0, y: 0, width: shot.viewport.width, height: Math.ceil(bottom + 32) };
      await page.screenshot({ path: `${kScreenshots}/readme.png`, clip, fullPage: true });
      if (process.env.UPDATE_DOCS_SCREENSHOT) await page.screenshot({ path: `${kRoot}docs/screenshot.png`, clip, fullPage: true });
    }
    expect(overflow).toBeLessThanOrEqual(0);
    expect(errors).toEqual([]);
  }

  // Each page load computes every section again: the laptop-light tests look at one page in turn,
  // first as loaded (the screenshot), then the 2D race and the keyboard, the 3D view, and step
  // mode last (it moves the race off its final step).
  describe('one page at laptop width, light', () => {
    let laptop: Promise<LoadedPage> | undefined;
    const laptopPage = (): Promise<LoadedPage> => (laptop ??= openPage(browser, baseUrl, { width: 1280, height: 900 }, 'light'));
    afterAll(async () => (await laptop)?.page.context().close());

    it('laptop-light: fits the width, no console error; screenshot', { timeout: 300_000 }, async () => checkShot(shots[0], await laptopPage()));

    // Dark mode on the same page, as a visitor's system switches it: the styles follow
    // prefers-color-scheme, and the canvas charts listen for its change (uplot-chart, digit-grid).
    it('laptop-dark: fits the width, no console error; screenshot', { timeout: 300_000 }, async () => {
      const loaded = await laptopPage();
      await loaded.page.emulateMedia({ colorScheme: 'dark' });
      try {
        await checkShot(shots[1], loaded);
      } finally {
        await loaded.page.emulateMedia({ colorScheme: 'light' });
      }
    });

    // axe-core on the page as a visitor first sees it (the MNIST data loaded too), light then dark
    // (test/a11y.test.ts checks the keyboard and the sweep panel on a page of its own).
    it.for(['light', 'dark'] as const)('has no serious or critical accessibility violation in %s mode', { timeout: 180_000 }, async (colorScheme) => {
      const { page } = await laptopPage();
      await page.locator('optimizer-race .dataset[data-state="ready"]').waitFor({ timeout: 120_000 });
      await page.emulateMedia({ colorScheme });
      try {
        const violations = await seriousViolations(page);
        expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
      } finally {
        await page.emulateMedia({ colorScheme: 'light' });
      }
    });

    it('shows the 2D race with six paths and the filled Adam table, without console errors', async () => {
      const { page, errors } = await laptopPage();
      const race = await page.evaluate(() => {
        const detail = (window as unknown as { __raceFinished: { results: { name: string; path: unknown[] }[]; backend: string } }).__raceFinished;
        return { backend: detail.backend, lengths: detail.results.map((r) => r.path.length), names: detail.results.map((r) => r.name) };
      });
      expect(race.names).toEqual(['SGD', 'Momentum', 'AdaGrad', 'Adam', 'RMSprop', 'Nesterov']);
      expect(race.lengths).toEqual(Array(6).fill(31));

      const paths = await drawnPaths(page);
      expect(Object.keys(paths)).toHaveLength(6);
      for (const n of Object.values(paths)) expect(n).toBeGreaterThanOrEqual(2);

      const table = await page.evaluate(() => {
        const root = document.querySelector('adam-steps')!.shadowRoot!;
        return {
          rows: root.querySelectorAll('tbody tr').length,
          checks: root.querySelectorAll('.mark.ok').length,
          x2: Array.from(root.querySelectorAll('tbody tr:last-child td:last-child .num'), (n) => n.textContent),
          badge: root.querySelector('[part="badge"]')?.textContent ?? '',
        };
      });
      expect(table.rows).toBe(3); // the start and two steps
      expect(table.checks).toBe(24);
      expect(table.x2).toEqual(['−0.942809', '0.422650']);
      // Headless Chromium here has WebGPU: the kernel computed the table and the note stays hidden.
      expect(race.backend).toBe('webgpu');
      expect(table.badge).toMatch(/WGSL kernel/);
      expect(await page.locator('#webgpu-note').isHidden()).toBe(true);

      // Keyboard: the skip link is the first stop and moves focus to the main content.
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip-link');
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => location.hash)).toBe('#main');

      expect(errors).toEqual([]);
    }, 300_000);

    it("section 4 draws the five histograms of the seed's first figure", async () => {
      const { page, errors } = await laptopPage();
      // Section 4's element is a chunk loaded when the section nears the screen (src/ui/page/lazy-sections.ts).
      await page.locator('#init').scrollIntoViewIfNeeded();
      await page.waitForFunction(() => (window as unknown as Record<string, unknown>).__histograms !== undefined, undefined, { timeout: 120_000 });
      await page.evaluate(() => window.scrollTo(0, 0));
      const drawn = await page.evaluate(() => {
        const root = document.querySelector('#init init-histograms')!.shadowRoot!;
        return {
          heading: document.querySelector('#init h2')!.textContent,
          histograms: Array.from(root.querySelectorAll('[part="histogram"]'), (h) => h.querySelectorAll('rect.bar').length),
          badge: root.querySelector('[part="badge"]')?.textContent ?? '',
          caption: root.querySelector('.caption')?.textContent ?? '',
        };
      });
      expect(drawn.heading).toMatch(/Weight initialisation$/);
      expect(drawn.histograms).toHaveLength(5);
      for (const bars of drawn.histograms) expect(bars).toBeGreaterThanOrEqual(25);
      expect(drawn.badge).toMatch(/WGSL kernels|CPU reference/);
      expect(drawn.caption).toMatch(/pile up at 0 and 1/);
      expect(errors).toEqual([]);
    }, 300_000);

    it('section 1 shows the 3D view of the surface beside the contours, with the paths on it; screenshot', async () => {
      const { page, errors } = await laptopPage();
      const view = page.locator('trajectory-race surface-view');
      const stage = view.locator('[part="stage"][data-renderer]');
      await stage.waitFor({ state: 'attached', timeout: 120_000 });
      // Every path reaches the 3D view, and what drew it is named (WebGPU, read back on SwiftShader).
      await expect.poll(() => view.evaluate((el) => (el as unknown as { paths: unknown[] }).paths.length), { timeout: 120_000 }).toBe(6);
      // SwiftShader has WebGPU: the surface must be drawn by the render pipeline, not the fallback.
      expect(await stage.getAttribute('data-renderer')).toBe('webgpu');
      const before = await stage.getAttribute('aria-label');
      expect(before).toMatch(/with 6 paths on it/);
      await stage.focus();
      await page.keyboard.press('ArrowLeft');
      await expect.poll(() => stage.getAttribute('aria-label')).not.toBe(before);
      await page.locator('#race-2d').screenshot({ path: `${kScreenshots}/section1-3d.png` });
      // Home puts the camera back as it was loaded, for the step-mode test's screenshot.
      await page.keyboard.press('Home');
      await expect.poll(() => stage.getAttribute('aria-label')).toBe(before);
      expect(errors).toEqual([]);
    }, 300_000);

    it("section 1 in step mode draws each racer's state (arrows, step-scale rectangles) and its numbers; screenshot", async () => {
      const { page, errors } = await laptopPage();
      const race = page.locator('trajectory-race');
      // Step 2 of 30: the seed's racers are still far from the minimum, their arrows long enough to read.
      for (let i = 0; i < 2; i++) await race.locator('button[aria-label="next step"]').click();
      await expect.poll(() => race.locator('.counter').textContent()).toBe('step 2 / 30');
      const drawn = await page.evaluate(() => {
        const root = document.querySelector('trajectory-race')!.shadowRoot!;
        const panels = [...root.querySelectorAll('.panel')];
        return panels.map((p) => ({
          racer: p.getAttribute('data-racer'),
          arrows: p.querySelectorAll('.state-arrow').length,
          scales: p.querySelectorAll('.state-scale').length,
          table: p.querySelector('table.state-panel')?.getAttribute('aria-label') ?? null,
        }));
      });
      expect(drawn).toHaveLength(6);
      for (const panel of drawn) {
        expect(panel.arrows, panel.racer!).toBeGreaterThanOrEqual(2);
        expect(panel.table, panel.racer!).toMatch(/state at step 2$/);
      }
      for (const racer of ['adagrad', 'rmsprop', 'adam']) expect(drawn.find((p) => p.racer === racer)!.scales).toBeGreaterThan(0);
      await page.locator('#race-2d').screenshot({ path: `${kScreenshots}/section1-step-mode.png` });
      // A typed function with a mistake: explained under the field, at its column.
      await race.locator('input.expression').fill('x^2 + 3*y^2 + sin(x');
      await expect.poll(() => race.locator('#function-error .error').textContent()).toMatch(/'\(' is never closed at column 18$/);
      await race.locator('[part="toolbar"]').screenshot({ path: `${kScreenshots}/section1-function-error.png` });
      expect(errors).toEqual([]);
    }, 300_000);
  });

  // The phone shots share one page load too: light as loaded, then dark as the system switches it.
  describe('one page at phone width', () => {
    let phone: Promise<LoadedPage> | undefined;
    const phonePage = (): Promise<LoadedPage> => (phone ??= openPage(browser, baseUrl, shots[2].viewport, 'light'));
    afterAll(async () => (await phone)?.page.context().close());

    it.for(shots.slice(2))('$name: fits the width, no console error; screenshot', { timeout: 300_000 }, async (shot) => {
      const loaded = await phonePage();
      await loaded.page.emulateMedia({ colorScheme: shot.colorScheme });
      await checkShot(shot, loaded);
    });
  });
});
