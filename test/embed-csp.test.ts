/**
 * The library bundle under a strict Content-Security-Policy, sent as an HTTP header by the static
 * server: default-src 'self' (no 'unsafe-inline', no 'unsafe-eval', no 'wasm-unsafe-eval').
 * examples/strict-csp.html has nothing inline; it holds <optimizer-race> with the default backend
 * (a 3-iteration race: on SwiftShader's fallback adapter auto wants WebAssembly, which the policy
 * forbids, so the CPU worker runs it: the worker, the data fetch, the charts, the leaderboard and the
 * digit grid all run), <trajectory-race> (it races on load) and <init-histograms>. No violation may
 * happen: no securitypolicyviolation in the document (counted from before the first script, in the
 * document and in every shadow root, as they are composed) and no report from anywhere, workers
 * included (the policy's report-uri, counted as requests). Every racer keeps its colour: the colours
 * are set through the CSSOM (src/ui/cssom-style.ts), which the policy allows, not through style=""
 * attributes, which it blocks (Lit's styleMap too writes the attribute on an element's first
 * render). The WebAssembly engine needs script-src 'wasm-unsafe-eval': the last tests run `auto`
 * with and without it, and `backend="wasm"` without it (a browser where WebAssembly cannot start).
 */
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { optimizers } from '../src/optim/registry';
import { kChromiumArgs, kChromiumPath } from './setup/chromium';
import { startStaticServer, type StaticServer } from './fixtures/static-server';

const kRoot = fileURLToPath(new URL('..', import.meta.url));
/** Every policy here reports to this path: a violation in a worker, which the document never hears of, is a request. */
const kReport = 'report-uri /csp-report';
const kPolicy = `default-src 'self'; ${kReport}`;

let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  server = await startStaticServer(kRoot, { 'content-security-policy': kPolicy });
  browser = await chromium.launch({ executablePath: kChromiumPath, args: kChromiumArgs, headless: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** "#rrggbb" as getComputedStyle writes it. */
function rgb(hex: string): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgb(${n >> 16}, ${(n >> 8) & 255}, ${n & 255})`;
}

const kColorById = new Map(optimizers().map((o) => [o.id, rgb(o.color)]));
const kColorByLabel = new Map(optimizers().map((o) => [o.label, rgb(o.color)]));

/** A computed style property of every element a locator matches (shadow roots are pierced). */
function computed(locator: Locator, property: string): Promise<string[]> {
  return locator.evaluateAll((els, p) => els.map((el) => getComputedStyle(el).getPropertyValue(p).trim()), property);
}

async function violations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
}

/** The bodies of the policy's reports this page sends (the document's and its workers'). */
async function reportsOf(page: Page): Promise<string[]> {
  const reports: string[] = [];
  await page.route('**/csp-report', (route) => {
    reports.push(route.request().postData() ?? '');
    return route.fulfill({ status: 204 });
  });
  return reports;
}

it('runs under Content-Security-Policy: default-src self with no violation and every colour', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || /content security policy/i.test(m.text())) problems.push(`console ${m.type()}: ${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
  });
  const reports = await reportsOf(page);
  // Playwright's init scripts are not subject to the page's policy: the listener is there first.
  await page.addInitScript(() => {
    const list: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = list;
    document.addEventListener(
      'securitypolicyviolation',
      (e) => list.push(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber} ${e.sample}`),
      true,
    );
  });
  // The example as shipped but for one small hidden layer: its CPU-reference race ends by evaluating
  // the test set in float64, most of this test's time with the default network. Headers as served.
  await page.route('**/examples/strict-csp.html', async (route) => {
    const served = await route.fetch();
    await route.fulfill({ response: served, body: (await served.text()).replace('eval-every="3"', 'eval-every="3" hidden-layers="16"') });
  });
  const response = await page.goto(`${server.origin}/examples/strict-csp.html`);
  expect(response?.headers()['content-security-policy']).toBe(kPolicy);

  // The default backend's race, to the end (on the CPU worker where auto wanted WebAssembly): worker, data, charts, leaderboard, digit grid.
  const race = page.locator('optimizer-race');
  await page.waitForFunction(
    () => {
      const el = document.querySelector('optimizer-race') as (HTMLElement & { history?: { losses: number[] }[] }) | null;
      return (el?.history?.length ?? 0) > 0 && el?.history?.every((h) => h.losses.length === 3);
    },
    undefined,
    { timeout: 90_000 },
  );
  await race.locator('.digits .prediction').first().waitFor({ timeout: 30_000 });

  // Leaderboard: each row's dot is its optimizer's colour (the row's first wide column names it).
  const rows = race.locator('.leaderboard tbody tr');
  const names = await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector('td.wide-only')?.textContent?.trim() ?? ''));
  expect([...names].sort()).toEqual(['AdaGrad', 'Adam', 'Momentum', 'Nesterov', 'RMSprop', 'SGD']);
  expect(await computed(rows.locator('.dot'), 'background-color')).toEqual(names.map((n) => kColorByLabel.get(n)));
  // Racer editor: each card's top border is the colour its colour input holds.
  const cards = race.locator('.racer-card');
  const chosen = await cards.locator('input[type=color]').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
  expect(chosen.length).toBe(6);
  expect(await computed(cards, 'border-top-color')).toEqual(chosen.map(rgb));
  // Digit grid: every prediction carries some racer's colour (a wrong one is drawn in the danger colour).
  const marks = await computed(race.locator('.digits .prediction'), '--trace');
  expect(marks.length).toBeGreaterThan(0);
  for (const c of marks) expect(optimizers().map((o) => o.color)).toContain(c);

  // <trajectory-race>: each panel's border and path stroke are its optimizer's colour.
  const trajectory = page.locator('trajectory-race');
  const traces = trajectory.locator('g.trace');
  await traces.first().waitFor({ timeout: 60_000 });
  const ids = await traces.evaluateAll((gs) => gs.map((g) => g.getAttribute('data-racer') ?? ''));
  expect(ids.length).toBeGreaterThan(0);
  expect(await computed(traces.locator('.trace-line'), 'stroke')).toEqual(ids.map((id) => kColorById.get(id)));
  const panels = trajectory.locator('section.panel');
  const panelIds = await panels.evaluateAll((ps) => ps.map((p) => p.getAttribute('data-racer') ?? ''));
  expect(await computed(panels, 'border-top-color')).toEqual(panelIds.map((id) => kColorById.get(id)));
  // The overlay's legend too.
  await trajectory.evaluate((el) => el.setAttribute('view', 'overlay'));
  const legend = trajectory.locator('.legend-item');
  await legend.first().waitFor();
  const legendIds = await legend.evaluateAll((ls) => ls.map((l) => l.getAttribute('data-racer') ?? ''));
  expect(await computed(legend, '--trace')).toEqual(legendIds.map((id) => optimizers().find((o) => o.id === id)?.color));

  // <init-histograms> (He + ReLU: the exact zeros overflow a bar, which gets a count label placed
  // with left/right/transform): every such label is placed.
  const histograms = page.locator('init-histograms');
  const cuts = histograms.locator('.cut');
  await cuts.first().waitFor({ timeout: 90_000 });
  const placed = await cuts.evaluateAll((cs) => cs.map((c) => [(c as HTMLElement).style.left, (c as HTMLElement).style.right]));
  for (const [left, right] of placed) expect(left !== '' || right !== '', `left ${left}, right ${right}`).toBe(true);

  expect(await violations(page)).toEqual([]);
  expect(problems, problems.join('\n')).toEqual([]);
  // A report is sent after the event: give a late one time to arrive.
  await page.waitForTimeout(500);
  expect(reports).toEqual([]);
  await page.close();
}, 200_000);

/**
 * The default backend (`auto`) under a policy: SwiftShader's adapter is a software fallback, so
 * auto wants WebAssembly SIMD; the race worker reads its own script's policy (it obeys that one,
 * not the page's) instead of compiling, so without 'wasm-unsafe-eval' the race runs on the CPU
 * reference with the reason shown and nothing is refused anywhere; with it, on wasm. A page that
 * allows wasm but serves the bundle under a policy that does not gets the CPU reference too, told
 * the same way; a page that forbids it but serves the bundle under one that allows it races on wasm.
 */
async function raceUnder(
  policy: string,
  bundlePolicy = policy,
  backend = 'auto',
): Promise<{ backend: string; n: number[]; badge: string; notice: string; violations: string[]; reports: string[] }> {
  const page = await browser.newPage();
  const reports = await reportsOf(page);
  await page.addInitScript(() => {
    const list: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = list;
    document.addEventListener('securitypolicyviolation', (e) => list.push(e.effectiveDirective), true);
  });
  // The page only through this route; the bundle and its worker with the same policy (a worker obeys its own script's header).
  await page.route('**/dist/lib/**', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': bundlePolicy } });
  });
  await page.route('**/examples/auto-under-csp.html', (route) =>
    route.fulfill({
      contentType: 'text/html',
      headers: { 'content-security-policy': policy },
      body: `<!doctype html><script type="module" src="../dist/lib/optimizer-race.js"></script><optimizer-race backend="${backend}" iterations="3" batch-size="8" eval-every="3" hidden-layers="16" autostart></optimizer-race>`,
    }),
  );
  await page.goto(`${server.origin}/examples/auto-under-csp.html`);
  const result = await page.evaluate(
    () =>
      new Promise<{ backend: string; n: number[] }>((resolve) => {
        document.querySelector('optimizer-race')?.addEventListener('race-finished', (e: Event) => {
          const { history, backend } = (e as CustomEvent<{ history: { losses: number[] }[]; backend: string }>).detail;
          resolve({ backend, n: history.map((h) => h.losses.length) });
        });
      }),
  );
  const race = page.locator('optimizer-race');
  const badge = (await race.locator('[part="backend"]').textContent()) ?? '';
  const notice = (await race.locator('.notice.info').allTextContents()).join(' ').replace(/\s+/g, ' ');
  const found = await violations(page);
  await page.waitForTimeout(500);
  await page.close();
  return { ...result, badge, notice, violations: found, reports };
}

it("auto (the default) under default-src 'self' (no 'wasm-unsafe-eval') races on the CPU reference, says why, and trips nothing", async () => {
  const run = await raceUnder(kPolicy);
  expect(run.backend).toBe('cpu');
  expect(run.n).toEqual(Array(6).fill(3));
  const why = "WebAssembly SIMD is not available (this page's Content-Security-Policy does not allow WebAssembly (script-src needs 'wasm-unsafe-eval'))";
  expect(run.badge).toContain(`CPU reference — the only WebGPU adapter is a software fallback`);
  expect(run.badge).toContain(why);
  expect(run.notice).toContain(why);
  expect(run.violations).toEqual([]);
  expect(run.reports).toEqual([]);
}, 120_000);

// A browser where WebAssembly SIMD cannot start, for real: the policy forbids it, so the worker's probe says why.
it('backend="wasm" where WebAssembly cannot start (no \'wasm-unsafe-eval\') falls back to the CPU reference with a notice', async () => {
  const run = await raceUnder(kPolicy, kPolicy, 'wasm');
  const why = "WebAssembly SIMD is not available (this page's Content-Security-Policy does not allow WebAssembly (script-src needs 'wasm-unsafe-eval'))";
  expect(run.backend).toBe('cpu');
  expect(run.n).toEqual(Array(6).fill(3));
  expect(run.badge.trim()).toBe(`CPU reference — ${why}`);
  expect(run.notice).toContain(`Racing on the CPU reference: ${why}.`);
  expect(run.violations).toEqual([]);
  expect(run.reports).toEqual([]);
}, 120_000);

it("auto with script-src 'self' 'wasm-unsafe-eval' races on WebAssembly SIMD", async () => {
  const run = await raceUnder(`default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; ${kReport}`);
  expect(run.backend).toBe('wasm');
  expect(run.n).toEqual(Array(6).fill(3));
  expect(run.badge).toMatch(/^WebAssembly SIMD.* — the only WebGPU adapter is a software fallback/);
  expect(run.violations).toEqual([]);
  expect(run.reports).toEqual([]);
}, 120_000);

it("a worker served under a policy without 'wasm-unsafe-eval' falls back to the CPU reference, with the reason", async () => {
  const run = await raceUnder(`default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; ${kReport}`, kPolicy);
  expect(run.backend).toBe('cpu');
  expect(run.n).toEqual(Array(6).fill(3));
  expect(run.notice).toContain("this page's Content-Security-Policy does not allow WebAssembly (script-src needs 'wasm-unsafe-eval')");
  expect(run.violations).toEqual([]);
  expect(run.reports).toEqual([]);
}, 120_000);

it("a page under default-src 'self' whose bundle's policy allows 'wasm-unsafe-eval' races on wasm: only the worker compiles", async () => {
  const run = await raceUnder(kPolicy, `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; ${kReport}`);
  expect(run.backend).toBe('wasm');
  expect(run.n).toEqual(Array(6).fill(3));
  expect(run.violations).toEqual([]);
  expect(run.reports).toEqual([]);
}, 120_000);
