/**
 * The built demo page (dist/index.html) in Firefox, on its WebGPU (wgpu, lavapipe here): every
 * section computes with the WGSL kernels as Naga compiles them, and agrees with the float64
 * references computed here in Node (the 2D race's paths, the init histograms, an MNIST race on the
 * page's embedded MNIST); the 3D view is drawn. `backend="auto"` says what it chose and why, though
 * Firefox's adapter info is all empty strings. Workloads are tiny: Firefox on lavapipe is slow.
 */
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEmbeddedMnist } from '../src/data/load';
import { runInitExperimentCpu } from '../src/init/experiment';
import type { RaceConfig } from '../src/race/config';
import { CpuRaceBackend } from '../src/race/cpu-backend';
import { RaceEngine, type RacerHistory } from '../src/race/engine';
import { kSeedTrajectoryRace, runTrajectoryRaceCpu } from '../src/race2d/trajectory';
import { adapterInfo, autoBadgeInFirefox, launchFirefox, newFirefoxPage, requireBuilt, serveRoot } from './fixtures/firefox';
import type { StaticServer } from './fixtures/static-server';

interface Recorded {
  trajectory?: { backend: string; results: { name: string; path: [number, number][] }[] };
  steps?: { backend: string };
  histograms?: {
    backend: string;
    config: Parameters<typeof runInitExperimentCpu>[0];
    results: { layers: { counts: number[]; zeros: number; std: number }[] }[];
  };
}

let server: StaticServer;
let browser: Browser;
let page: Page;
let errors: string[];
let adapter: Awaited<ReturnType<typeof adapterInfo>>;

beforeAll(async () => {
  requireBuilt('dist/index.html');
  [server, browser] = await Promise.all([serveRoot(), launchFirefox()]);
  ({ page, errors } = await newFirefoxPage(browser, () => {
    // Capture-phase listeners on window see each section's first result, whatever renders first.
    const recorded: Record<string, unknown> = {};
    (window as unknown as { __recorded: unknown }).__recorded = recorded;
    const keep = (name: string, key: string, from: string): void =>
      window.addEventListener(
        name,
        (e) => {
          if ((e.target as Element).localName === from) recorded[key] ??= (e as CustomEvent).detail;
        },
        true,
      );
    keep('race-finished', 'trajectory', 'trajectory-race');
    keep('steps-computed', 'steps', 'adam-steps');
    keep('histograms-computed', 'histograms', 'init-histograms');
  }));
  await page.goto(`${server.origin}/dist/index.html`);
  adapter = await adapterInfo(page);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Through JSON: WebDriver BiDi hands an object that is reachable twice (a setting in the config and in its row) back once. */
const recorded = async (): Promise<Recorded> =>
  JSON.parse(await page.evaluate(() => JSON.stringify((window as unknown as { __recorded: Recorded }).__recorded)));

describe('the built demo page in Firefox', () => {
  it('has a WebGPU adapter whose info is empty but for the fallback flag, on a cross-origin isolated page', async () => {
    expect(adapter, 'Firefox found no WebGPU adapter (see kFirefoxPrefs in test/fixtures/firefox.ts)').not.toBeNull();
    expect(adapter).toMatchObject({ vendor: '', architecture: '', device: '', description: '' });
    // Served as the demo's host serves it (COOP/COEP): the wasm engine may use threads.
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  });

  it('computes the 2D race, the Adam table and the init histograms on WebGPU, equal to the float64 references', async () => {
    // Sections 2's and 4's elements are chunks loaded when they near the screen (src/ui/page/lazy-sections.ts).
    await page.evaluate(() => document.querySelector('adam-steps')?.scrollIntoView());
    await page.waitForFunction(() => (window as unknown as { __recorded: Recorded }).__recorded.steps, { timeout: 60_000 });
    await page.evaluate(() => document.getElementById('init')?.scrollIntoView());
    await page.waitForFunction(
      () => {
        const r = (window as unknown as { __recorded: Recorded }).__recorded;
        return r.trajectory && r.steps && r.histograms;
      },
      { timeout: 60_000 },
    );
    const { trajectory, steps, histograms } = await recorded();

    expect(trajectory!.backend).toBe('webgpu');
    const cpu = runTrajectoryRaceCpu(kSeedTrajectoryRace);
    expect(trajectory!.results.map((r) => r.name)).toEqual(cpu.map((r) => r.name));
    trajectory!.results.forEach((r, i) => {
      expect(r.path).toHaveLength(31);
      // The tolerance of the Chromium test (trajectory-race.browser.test.ts): float32 against float64.
      r.path.forEach(([x, y], s) => {
        expect(Math.abs(x - cpu[i].path[s][0]), `${r.name} x at step ${s}`).toBeLessThan(1e-4);
        expect(Math.abs(y - cpu[i].path[s][1]), `${r.name} y at step ${s}`).toBeLessThan(1e-4);
      });
    });

    expect(steps!.backend).toBe('webgpu');
    const table = await page.evaluate(() => {
      const root = document.querySelector('adam-steps')!.shadowRoot!;
      return {
        rows: root.querySelectorAll('tbody tr').length,
        checks: root.querySelectorAll('.mark.ok').length,
        x2: Array.from(root.querySelectorAll('tbody tr:last-child td:last-child .num'), (n) => n.textContent),
        badge: root.querySelector('[part="badge"]')?.textContent ?? '',
      };
    });
    // Each check mark is the kernel's value agreeing with the float64 reference; x2 is the book's answer.
    expect(table).toMatchObject({ rows: 3, checks: 24, x2: ['−0.942809', '0.422650'] });
    expect(table.badge).toMatch(/WGSL kernel/);

    expect(histograms!.backend).toBe('webgpu');
    const reference = runInitExperimentCpu(histograms!.config);
    expect(histograms!.results).toHaveLength(reference.settings.length);
    histograms!.results[0].layers.forEach((layer, l) => {
      const ref = reference.settings[0].layers[l];
      // The tolerance of the Chromium test (init-histograms.browser.test.ts): float32 rounding moves a few values across a bin edge.
      const moved = layer.counts.reduce((a, n, k) => a + Math.abs(n - ref.counts[k]), 0) / 2;
      expect(moved, `layer ${l + 1}`).toBeLessThanOrEqual(5);
      expect(layer.zeros).toBe(ref.zeros);
      expect(layer.std).toBeCloseTo(ref.std, 3);
    });
    expect(await page.$eval('#webgpu-note', (note) => (note as HTMLElement).hidden)).toBe(true);
    expect(errors).toEqual([]);
  }, 90_000);

  it('races MNIST on WebGPU as the float64 CPU reference does; auto says it chose WebAssembly and why', async () => {
    // The page's own element, as it loads: auto, with its choice and reason in the badge.
    const badge = await page.waitForFunction(
      () => {
        const root = document.querySelector('optimizer-race')?.shadowRoot;
        const text = root?.querySelector('[part="backend"]')?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
        const ready = root?.querySelector<HTMLButtonElement>('button[data-action="start"]')?.disabled === false;
        return ready && text && !/checking/.test(text) ? text : false;
      },
      { timeout: 60_000 },
    );
    const text = (await badge.jsonValue()) as string;
    expect(text).toMatch(autoBadgeInFirefox(adapter!.fallback));

    // A tiny race on WebGPU on the page's element; meanwhile the same race on the float64 CPU
    // reference here in Node, from the same embedded MNIST the page loaded. Four of the seed's six
    // carry chapter 6's options, so Naga compiles the batch-norm, fused dropout and L2 kernels too.
    const config = await page.evaluate(() => {
      const el = document.querySelector('optimizer-race') as HTMLElement & { config: unknown };
      // (Not on RMSprop: its first steps are lr/√(1 − decay) · sign(g), so a gradient within float32's
      // noise of 0 flips a 0.1 step and a bn+l2 network's evaluation loss moves by a few % off float64.)
      const options = [{}, { bn: true }, { dropout: 0.2 }, { l2: 0.1 }, {}, { bn: true, dropout: 0.1, l2: 0.05 }];
      const racers = ['sgd', 'momentum', 'adagrad', 'adam', 'rmsprop', 'nesterov'].map((optimizer, r) => ({ optimizer, ...options[r] }));
      Object.assign(el, { backend: 'webgpu', iterations: 5, batchSize: 16, evalEvery: 5, racers });
      return JSON.stringify(el.config);
    });
    const reference = (async () => {
      const data = await loadEmbeddedMnist({ baseUrl: `${server.origin}/dist/` });
      const engine = RaceEngine.create(JSON.parse(config) as RaceConfig, (race) => new CpuRaceBackend(race, data));
      await engine.start();
      return engine.history;
    })();
    const detail = JSON.parse(
      await page.evaluate(async () => {
        const el = document.querySelector('optimizer-race') as HTMLElement & { start(): Promise<void> };
        const finished = new Promise<unknown>((resolve) => el.addEventListener('race-finished', (e) => resolve((e as CustomEvent).detail), { once: true }));
        void el.start();
        return JSON.stringify(await finished);
      }),
    ) as { backend: string; history: RacerHistory[] };
    const cpu = await reference;
    expect(detail.backend).toBe('webgpu');
    expect(detail.history.map((h) => h.name)).toEqual(['SGD', 'Momentum', 'AdaGrad', 'Adam', 'RMSprop', 'Nesterov']);
    expect(detail.history.map((h) => [h.bn, h.dropout, h.l2])).toEqual([
      [false, 0, 0],
      [true, 0, 0],
      [false, 0.2, 0],
      [false, 0, 0.1],
      [false, 0, 0],
      [true, 0.1, 0.05],
    ]);
    detail.history.forEach((h, r) => {
      expect(h.losses).toHaveLength(5);
      // The tolerances of the WebGPU engine's test against the CPU reference (race-gpu.test.ts).
      h.losses.forEach((loss, i) =>
        expect(Math.abs(loss - cpu[r].losses[i]), `${h.name} at iteration ${i + 1}`).toBeLessThan(2e-4 * Math.max(1, cpu[r].losses[i])),
      );
      expect(h.accuracy.map((a) => a.iteration)).toEqual([5]);
      h.accuracy.forEach((a, k) => expect(a.test).toBeCloseTo(cpu[r].accuracy[k].test ?? Number.NaN, 2));
      expect(h.predictions).toEqual(cpu[r].predictions);
    });
    expect(errors).toEqual([]);
  }, 120_000);

  it('draws the 3D view of the surface with the WebGPU render pipeline', async () => {
    await page.evaluate(() => document.querySelector('trajectory-race')!.scrollIntoView());
    await page.waitForFunction(
      () => {
        const view = document.querySelector('trajectory-race')?.shadowRoot?.querySelector('surface-view') as (HTMLElement & { paths?: unknown[] }) | null;
        return view?.shadowRoot?.querySelector('[part="stage"][data-renderer]') && view.paths?.length === 6;
      },
      { timeout: 60_000 },
    );
    const drawn = await page.evaluate(() => {
      const root = document.querySelector('trajectory-race')!.shadowRoot!.querySelector('surface-view')!.shadowRoot!;
      const stage = root.querySelector('[part="stage"]')!;
      // On a software adapter the frame is rendered offscreen and read back onto the 2D canvas.
      const canvas = root.querySelector<HTMLCanvasElement>('canvas.paint')!;
      const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      const colours = new Set<number>();
      let opaque = 0;
      for (let i = 0; i < pixels.length; i += 4) {
        if (pixels[i + 3] === 0) continue;
        opaque++;
        colours.add((pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2]);
      }
      return {
        renderer: stage.getAttribute('data-renderer'),
        label: stage.getAttribute('aria-label'),
        opaque: opaque / (pixels.length / 4),
        colours: colours.size,
      };
    });
    expect(drawn.renderer).toBe('webgpu');
    expect(drawn.label).toMatch(/with 6 paths on it/);
    // A shaded surface and six coloured paths: most of the canvas is painted, in many colours.
    expect(drawn.opaque).toBeGreaterThan(0.5);
    expect(drawn.colours).toBeGreaterThan(100);
    expect(errors).toEqual([]);
  }, 90_000);
});
