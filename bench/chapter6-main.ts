/**
 * `npm run bench -- --chapter6`: the chapter-6 stage (issue 20). In one run: each of the book's
 * three experiments (src/race/chapter6-presets.ts) on ours (wasm) in headless Chromium
 * (bench/chapter6.html), then in Node, each beside numpy_chapter6.py on one core; then the cost
 * races (plain, bn, l2, dropout, mixed) on ours (wasm) and ours (WebGPU) with their dispatches.
 * Everything runs one after the other, so no two contenders share the cores.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Chapter6PresetId } from '../src/race/chapter6-presets';
import { errorMessage } from '../src/util/error-message';
import type { PresetTiming } from './chapter6';
import type { Chapter6BrowserResult } from './chapter6-browser';
import { loadBenchData, runCost, runNodePresets, runSearchScaling, type Chapter6Options } from './chapter6-node';
import { formatChapter6Report, type Chapter6Report, type PresetReport } from './chapter6-report';
import { openBenchPage, type PageContext } from './browser-page';

export interface Chapter6Run extends Chapter6Options {
  /** The experiments to run, in order (the cost races run whatever they are). */
  presets: Chapter6PresetId[];
  skipBrowser: boolean;
  skipNode: boolean;
  json?: string;
  timeoutMinutes: number;
}

async function runBrowserPresets(options: Chapter6Run, ctx: PageContext): Promise<PresetTiming[]> {
  const query = new URLSearchParams({ presets: options.presets.join(',') });
  if (options.epochs !== undefined) query.set('epochs', String(options.epochs));
  const result = (await openBenchPage(ctx, 'chapter6.html', query, options.timeoutMinutes, '__chapter6Result')) as Chapter6BrowserResult;
  if ('error' in result) throw new Error(result.error);
  return result.presets;
}

/** Resolves to the exit code: 0 when every part ran, 1 when something failed. */
export async function runChapter6Bench(
  argv: readonly string[],
  options: Chapter6Run,
  ctx: PageContext & { root: string; stdout: NodeJS.WritableStream },
): Promise<number> {
  const log = (message: string): void => void ctx.stderr.write(`${message}\n`);
  const report: Chapter6Report = { date: new Date().toISOString(), argv: [...argv], epochs: options.epochs, presets: [], errors: [] };
  const presets = new Map<string, PresetReport>(options.presets.map((id) => [id, { id }]));
  if (!options.skipBrowser) {
    try {
      for (const t of await runBrowserPresets(options, ctx)) (presets.get(t.preset) as PresetReport).browser = t;
    } catch (error) {
      report.errors.push(`the browser page: ${errorMessage(error)}`);
    }
  }
  if (!options.skipNode) {
    try {
      const data = await loadBenchData(ctx.root);
      for (const p of await runNodePresets(options.presets, data, options, ctx.root, log)) Object.assign(presets.get(p.id) as PresetReport, p);
      report.cost = await runCost(data, options, log);
      if (options.presets.includes('hypersearch')) report.searchScaling = await runSearchScaling(data, options, log);
    } catch (error) {
      report.errors.push(`Node: ${errorMessage(error)}`);
    }
  }
  report.presets = [...presets.values()];
  ctx.stdout.write(`${formatChapter6Report(report)}\n`);
  if (options.json !== undefined) {
    const path = resolve(options.json);
    await writeFile(path, `${JSON.stringify(report, null, 2)}\n`);
    log(`report written to ${path}`);
  }
  const timings = report.presets.flatMap((p) => [p.numpy, p.node, p.browser]);
  const costs = [...(report.cost?.rows ?? []), ...(report.searchScaling?.rows ?? [])].flatMap((r) => [r.wasm, r.gpu]);
  const ok = report.errors.length === 0 && !report.cost?.error && !report.searchScaling?.error && [...timings, ...costs].every((t) => !t?.error);
  return ok ? 0 : 1;
}
