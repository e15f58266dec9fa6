/**
 * `npm run bench [-- options]`: the seed race on our engine in headless Chromium (WebGPU) and in
 * Node (Dawn), next to TF.js (WebGPU, WebGL) and our CPU path in the same run; prints the table
 * (report.ts) and optionally writes the whole report as JSON. scripts/bench.mjs starts the Vite
 * server and loads this file through its SSR module runner.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ViteDevServer } from 'vite';
import { formatOptions, parseChoice, parseNumber, parseOptions, UsageError } from '../src/cli/args';
import { kChapter6PresetIds } from '../src/race/chapter6-presets';
import { networkLayout } from '../src/nn/layout';
import { kSeedRace } from '../src/race/config';
import { kRaceLimits } from '../src/race/limits';
import type { BrowserBenchResult } from './browser-bench';
import { openBenchPage } from './browser-page';
import { runChapter6Bench, type Chapter6Run } from './chapter6-main';
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
  chapter6: {
    type: 'flag',
    description:
      "instead of the seed race: the book's chapter-6 experiments on ours (wasm) in Chromium and Node against numpy on one core, and the cost of bn/l2/dropout per iteration (wasm, WebGPU) with the dispatches (--iterations and --sizes then apply to the cost races)",
  },
  presets: { type: 'value', valueName: 'A,B', description: `with --chapter6: which experiments (default: ${kChapter6PresetIds.join(',')})` },
  epochs: { type: 'value', valueName: 'E', description: "with --chapter6: every experiment at E epochs instead of the book's (quick checks)" },
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
  "With --chapter6: the book's chapter-6 experiments against numpy on one core, and the cost of bn/l2/dropout.",
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
  const query = new URLSearchParams({ cpuIterations: String(options.cpuIterations), sizes: options.sizes.join('-') });
  if (options.iterations !== undefined) query.set('iterations', String(options.iterations));
  if (options.tfjsIterations !== undefined) query.set('tfjsIterations', String(options.tfjsIterations));
  if (options.racers !== undefined) query.set('racers', String(options.racers));
  if (options.matmulRuns !== undefined) query.set('matmulRuns', String(options.matmulRuns));
  const result = (await openBenchPage(ctx, 'index.html', query, timeoutMinutes, '__benchResult')) as BrowserBenchResult;
  if ('error' in result) throw new Error(result.error);
  return result.report;
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
  if ((parsed.epochs ?? parsed.presets) !== undefined && !parsed.chapter6) throw new UsageError('--epochs and --presets go with --chapter6');
  if (parsed.chapter6) {
    const run: Chapter6Run = {
      presets: (parsed.presets ?? kChapter6PresetIds.join(',')).split(',').map((id) => parseChoice(id.trim(), kChapter6PresetIds, '--presets')),
      epochs: count(parsed.epochs, '--epochs', 1),
      iterations: options.iterations,
      sizes: parsed.sizes === undefined ? undefined : options.sizes,
      skipBrowser: parsed['skip-browser'],
      skipNode: parsed['skip-node'],
      json: parsed.json,
      timeoutMinutes: timeout,
    };
    return runChapter6Bench(argv, run, ctx);
  }

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
