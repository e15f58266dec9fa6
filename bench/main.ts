/**
 * `npm run bench [-- options]`: the seed race on our engine in headless Chromium (WebGPU) and in
 * Node (Dawn), next to TF.js (WebGPU, WebGL) and our CPU path in the same run; prints the table
 * (report.ts) and optionally writes the whole report as JSON. scripts/bench.mjs starts the Vite
 * server and loads this file through its SSR module runner.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { formatOptions, parseNumber, parseOptions, UsageError } from '../src/cli/args';
import { networkLayout } from '../src/nn/layout';
import { kSeedRace } from '../src/race/config';
import { kRaceLimits } from '../src/race/limits';
import { kChromiumArgs, kChromiumPath } from '../vite.config';
import type { BrowserBenchResult } from './browser-bench';
import { benchConfig, kEmulatedIterations, kEmulatedTfjsIterations, kMatmulRuns, raceSummary, type BenchOptions } from './measure';
import { runNodeBench } from './node-bench';
import { formatReport, type BenchReport, type EnvironmentReport } from './report';
import { errorMessage } from '../src/util/error-message';

export const kBenchOptions = {
  iterations: {
    type: 'value',
    valueName: 'N',
    description: `timed iterations of our race and TF.js's (default: 2000 on a real GPU, ${kEmulatedIterations} on a CPU emulation)`,
  },
  'tfjs-iterations': {
    type: 'value',
    valueName: 'N',
    description: `timed iterations of the TF.js baselines (default: --iterations, at most ${kEmulatedTfjsIterations} on a CPU emulation)`,
  },
  'cpu-iterations': { type: 'value', valueName: 'N', description: 'timed iterations of the TypeScript CPU path, ~1 s each (default: 3; 0 skips it)' },
  sizes: { type: 'value', valueName: 'A-B-..', description: `layer sizes (default: the seed's ${kSeedRace.sizes.join('-')}; smaller ones for quick checks)` },
  racers: {
    type: 'value',
    valueName: 'N',
    description: `also time ours on N racers (a multiple of 6, at most ${kRaceLimits.racers.max}: the seed's six, lrs spread around each default) beside the 6-racer race`,
  },
  'matmul-runs': { type: 'value', valueName: 'N', description: `timed runs of each matmul strategy, ~0.3 s each (default: ${kMatmulRuns})` },
  'skip-browser': { type: 'flag', description: 'skip the browser contenders' },
  'skip-node': { type: 'flag', description: 'skip the Node (Dawn) contenders' },
  json: { type: 'value', valueName: 'FILE', description: 'also write the whole report as JSON to FILE' },
  timeout: { type: 'value', valueName: 'MIN', description: 'give up on the browser page after MIN minutes (default: 60)' },
} as const;

export const kBenchHelp = [
  'Usage: npm run bench -- [options]',
  '',
  'The seed race (6 racers, batch 128) timed on our WebGPU engine in headless Chromium and in Node (Dawn),',
  "next to TensorFlow.js (WebGPU and WebGL backends, same browser and adapter) and the engine's CPU path.",
  '',
  'Options:',
  formatOptions(kBenchOptions),
].join('\n');

export interface BenchContext {
  server: ViteDevServer;
  /** Repository root (where public/ is). */
  root: string;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

function count(text: string | undefined, what: string, min: number): number | undefined {
  if (text === undefined) return undefined;
  const n = parseNumber(text, what);
  if (!Number.isInteger(n) || n < min || n > 1_000_000) throw new UsageError(`${what} must be a whole number from ${min} to 1000000, got '${text}'`);
  return n;
}

function parseSizes(text: string | undefined): number[] {
  if (text === undefined) return [...kSeedRace.sizes];
  const sizes = text.split('-').map((s) => Number(s));
  try {
    networkLayout(sizes);
  } catch (error) {
    throw new UsageError(`--sizes: ${(error as Error).message}`);
  }
  if (sizes[0] !== 784 || sizes[sizes.length - 1] !== 10) throw new UsageError(`--sizes must start with 784 (pixels) and end with 10 (classes), got '${text}'`);
  return sizes;
}

function parseRacers(text: string | undefined): number | undefined {
  const n = count(text, '--racers', 6);
  const { max } = kRaceLimits.racers;
  if (n !== undefined && (n % 6 !== 0 || n > max))
    throw new UsageError(`--racers must be a multiple of 6 (the seed's six optimizers) up to ${max}, got '${text}'`);
  return n;
}

/** Opens the benchmark page in headless Chromium and waits for its report. */
async function runBrowser(options: BenchOptions, ctx: BenchContext, timeoutMinutes: number): Promise<EnvironmentReport> {
  const address = ctx.server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('the Vite server is not listening on a TCP port');
  const query = new URLSearchParams({ cpuIterations: String(options.cpuIterations), sizes: options.sizes.join('-') });
  if (options.iterations !== undefined) query.set('iterations', String(options.iterations));
  if (options.tfjsIterations !== undefined) query.set('tfjsIterations', String(options.tfjsIterations));
  if (options.racers !== undefined) query.set('racers', String(options.racers));
  if (options.matmulRuns !== undefined) query.set('matmulRuns', String(options.matmulRuns));
  const url = `http://127.0.0.1:${address.port}/bench/index.html?${query}`;

  const browser = await chromium.launch({ executablePath: kChromiumPath, args: kChromiumArgs, headless: true });
  try {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('console', (message) => {
      const text = message.text();
      if (text.startsWith('[bench] ')) ctx.stderr.write(`browser: ${text.slice(8)}\n`);
      else if (message.type() === 'error') pageErrors.push(text);
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // --timeout covers the first load too: Vite transforms the page (and TF.js) on demand, which takes over 30 s on a loaded machine.
    await page.goto(url, { timeout: timeoutMinutes * 60_000 });
    const crashed = new Promise<never>((_, reject) => page.on('crash', () => reject(new Error('the browser page crashed'))));
    await Promise.race([
      page.waitForFunction(() => window.__benchResult !== undefined, undefined, { timeout: timeoutMinutes * 60_000, polling: 500 }),
      crashed,
    ]).catch((error: unknown) => {
      const detail = pageErrors.length ? ` (page errors: ${pageErrors.join('; ')})` : '';
      throw new Error(`${errorMessage(error)}${detail}`);
    });
    const result = (await page.evaluate(() => window.__benchResult)) as BrowserBenchResult;
    if ('error' in result) throw new Error(result.error);
    return result.report;
  } finally {
    await browser.close();
  }
}

/** Runs the benchmark; resolves to the exit code (0 all ran, 1 something failed, 2 bad options). */
export async function runBench(argv: readonly string[], ctx: BenchContext): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    ctx.stdout.write(`${kBenchHelp}\n`);
    return 0;
  }
  const parsed = parseOptions(argv, kBenchOptions);
  const options: BenchOptions = {
    iterations: count(parsed.iterations, '--iterations', 1),
    tfjsIterations: count(parsed['tfjs-iterations'], '--tfjs-iterations', 1),
    cpuIterations: count(parsed['cpu-iterations'], '--cpu-iterations', 0) ?? 3,
    sizes: parseSizes(parsed.sizes),
    racers: parseRacers(parsed.racers),
    matmulRuns: count(parsed['matmul-runs'], '--matmul-runs', 1),
  };
  const timeout = parsed.timeout === undefined ? 60 : parseNumber(parsed.timeout, '--timeout');
  if (!(timeout > 0)) throw new UsageError(`--timeout must be a positive number of minutes, got '${parsed.timeout}'`);
  if (parsed['skip-browser'] && parsed['skip-node']) throw new UsageError('--skip-browser and --skip-node leave nothing to run');

  const report: BenchReport = { date: new Date().toISOString(), argv: [...argv], seedIterations: kSeedRace.iterations, environments: [] };
  const log = (message: string): void => void ctx.stderr.write(`${message}\n`);
  if (!parsed['skip-browser']) {
    try {
      report.environments.push(await runBrowser(options, ctx, timeout));
    } catch (error) {
      report.environments.push({
        environment: 'browser',
        runtime: 'headless Chromium',
        contenders: [],
        race: raceSummary(benchConfig(options, 1)),
        error: errorMessage(error),
      });
    }
  }
  if (!parsed['skip-node']) report.environments.push(await runNodeBench(options, ctx.root, log));

  ctx.stdout.write(`${formatReport(report)}\n`);
  if (parsed.json !== undefined) {
    const path = resolve(parsed.json);
    await writeFile(path, `${JSON.stringify(report, null, 2)}\n`);
    log(`report written to ${path}`);
  }
  const ok = report.environments.every((e) => !e.error && e.contenders.every((c) => !c.error));
  return ok ? 0 : 1;
}
