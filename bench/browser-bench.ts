/**
 * The browser contenders, all in one page on one adapter: our engine on WebGPU and on WebAssembly
 * SIMD, TensorFlow.js with its WebGPU, WebGL and wasm (XNNPACK) backends running the same race
 * (tfjs-race.ts), and the engine's TypeScript CPU path; plus the adapter's matmul throughput. The launcher (scripts/bench.mjs)
 * reads `window.__benchResult`; progress goes to the console as `[bench] ...` lines.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import tfjsWasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import tfjsWasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import tfjsWasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { loadEmbeddedMnist } from '../src/data/load';
import { requestGpuDevice } from '../src/gpu/device';
import { kSeedRace, type RaceConfig } from '../src/race/config';
import type { RaceData } from '../src/race/dataset';
import { kMaxChunk } from '../src/race/engine';
import { callCounts, countsSince, installCallCounters } from './call-counters';
import {
  benchConfig,
  checkIterations,
  kEmulatedIterations,
  kEmulatedTfjsIterations,
  measureAdapterMatmul,
  now,
  raceSummary,
  summarizeAdapter,
  sweepBenchConfig,
  timeCpuRace,
  timeGpuRace,
  type BenchOptions,
} from './measure';
import { failed, type ContenderResult, type EnvironmentReport } from './report';
import { TfjsRace } from './tfjs-race';
import { WasmRaceBackend } from '../src/wasm/wasm-backend';
import { wishedThreads } from '../src/race/worker-backend';
import { kWasmMaxIterations, timeWasmRace } from './wasm-race';
import { errorMessage } from '../src/util/error-message';

// TF.js wasm fetches its binaries from here (Vite serves them from node_modules).
setWasmPaths({
  'tfjs-backend-wasm.wasm': tfjsWasmUrl,
  'tfjs-backend-wasm-simd.wasm': tfjsWasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': tfjsWasmThreadedUrl,
});

type TfjsBackend = 'webgpu' | 'webgl' | 'wasm';
const kTfjs: Record<TfjsBackend, { id: ContenderResult['id']; label: string }> = {
  webgpu: { id: 'tfjs-webgpu', label: 'TF.js WebGPU' },
  webgl: { id: 'tfjs-webgl', label: 'TF.js WebGL' },
  wasm: { id: 'tfjs-wasm', label: 'TF.js wasm' },
};

export type BrowserBenchResult = { report: EnvironmentReport } | { error: string };

declare global {
  interface Window {
    __benchResult?: BrowserBenchResult;
  }
}

/** TF.js iterations run before timing: shader compilation and the first uploads. */
const kTfjsWarmup = 2;

function log(message: string): void {
  console.log(`[bench] ${message}`);
  const pre = document.getElementById('log');
  if (pre) pre.textContent += `${message}\n`;
}

function readOptions(search: URLSearchParams): BenchOptions {
  const whole = (name: string): number | undefined => {
    const text = search.get(name);
    return text === null ? undefined : Number(text);
  };
  const sizes = search.get('sizes');
  return {
    iterations: whole('iterations'),
    tfjsIterations: whole('tfjsIterations'),
    cpuIterations: whole('cpuIterations') ?? 3,
    sizes: sizes ? sizes.split('-').map(Number) : [...kSeedRace.sizes],
    racers: whole('racers'),
    matmulRuns: whole('matmulRuns'),
  };
}

/** Renderer string of a WebGL2 context, which is what TF.js's WebGL backend draws with. */
function webglRenderer(): string {
  const gl = document.createElement('canvas').getContext('webgl2');
  if (!gl) return 'no WebGL2 context';
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
}

/** TF.js's own view of its WebGPU adapter (its backend keeps an AdapterInfo). */
function tfjsWebgpuAdapter(): string | undefined {
  // TF.js's WebGPUBackend is not in @tensorflow/tfjs's types; its adapterInfo field is public in the package.
  const info = (tf.backend() as unknown as { adapterInfo?: { vendor?: string; architecture?: string } }).adapterInfo;
  return info ? [info.vendor, info.architecture].filter(Boolean).join(' ') || undefined : undefined;
}

/** TF.js wasm's threads and what it detected (it picks its threaded binary only with multithread support). */
async function tfjsWasmSetup(): Promise<string> {
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const multithread = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  return `${getThreadsCount()} thread(s); SIMD ${simd}, multithread support ${multithread}, cross-origin isolated ${crossOriginIsolated}`;
}

/** The race on a TF.js backend: warm-up on one race, then a fresh race timed from iteration 0. */
async function timeTfjs(backend: TfjsBackend, config: RaceConfig, data: RaceData): Promise<ContenderResult> {
  const { id, label } = kTfjs[backend];
  try {
    if (!(await tf.setBackend(backend))) throw new Error(`TF.js could not start its ${backend} backend`);
    await tf.ready();
    const warm = new TfjsRace(config, data);
    await warm.run(kTfjsWarmup);
    warm.dispose();

    const race = new TfjsRace(config, data);
    const before = callCounts();
    const n = config.iterations;
    const losses: Float32Array[] = [];
    const started = now();
    // Chunks of kMaxChunk, read back after each, as our engine does.
    for (let done = 0; done < n; done += kMaxChunk) losses.push(await race.run(Math.min(kMaxChunk, n - done)));
    const seconds = (now() - started) / 1000;
    const counted = countsSince(before);
    const R = race.names.length;
    const last = losses[losses.length - 1];
    race.dispose();
    return {
      id,
      label,
      iterations: n,
      warmupIterations: kTfjsWarmup,
      seconds,
      msPerIteration: (1000 * seconds) / n,
      ...(backend === 'webgpu' && { dispatchesPerIteration: counted.dispatches / n, submitsPerIteration: counted.submits / n }),
      ...(backend === 'webgl' && { drawsPerIteration: counted.draws / n }),
      cpuMsPerIteration: race.cpuMs / n,
      firstLosses: Array.from(losses[0].subarray(0, R)),
      lastLosses: Array.from(last.subarray(last.length - R)),
      ranOn: backend === 'webgpu' ? tfjsWebgpuAdapter() : backend === 'webgl' ? webglRenderer() : await tfjsWasmSetup(),
    };
  } catch (error) {
    return failed(id, label, error);
  }
}

async function runBrowserBench(options: BenchOptions): Promise<EnvironmentReport> {
  installCallCounters();
  const report: EnvironmentReport = {
    environment: 'browser',
    runtime: navigator.userAgent,
    race: raceSummary(benchConfig(options, 1)),
    contenders: [],
  };
  let device: GPUDevice | undefined;
  try {
    log('loading the embedded MNIST data');
    const data = await loadEmbeddedMnist({ baseUrl: '/' });
    device = await requestGpuDevice({ label: 'Bench.browser' });
    const adapter = (report.adapter = summarizeAdapter(device.adapterInfo));
    const iterations = checkIterations('--iterations', options.iterations ?? (adapter.emulated ? kEmulatedIterations : 2000));
    const tfjsIterations = checkIterations(
      '--tfjs-iterations',
      options.tfjsIterations ?? (adapter.emulated ? Math.min(iterations, kEmulatedTfjsIterations) : iterations),
    );

    log(`matmul throughput on ${adapter.architecture || adapter.description || 'the adapter'}`);
    Object.assign(report, await measureAdapterMatmul(device, adapter.emulated, options.matmulRuns));
    log(`our race, ${iterations} iterations`);
    report.contenders.push(await timeGpuRace(device, benchConfig(options, iterations), data, 'ours (WebGPU)'));
    if (options.racers !== undefined) {
      log(`our race with ${options.racers} racers, ${iterations} iterations`);
      const sweep = sweepBenchConfig(options, iterations, options.racers);
      report.contenders.push(await timeGpuRace(device, sweep, data, `ours x${options.racers} racers (WebGPU)`, 'ours-sweep'));
    }
    device.destroy();
    device = undefined;
    for (const backend of ['webgpu', 'webgl'] as const) {
      log(`TF.js ${backend}, ${kTfjsWarmup} + ${tfjsIterations} iterations`);
      report.contenders.push(await timeTfjs(backend, benchConfig(options, tfjsIterations), data));
    }
    // The CPU engines, one after the other on the same cores: ours (wasm), then TF.js wasm.
    log(`our race on WebAssembly SIMD, ${iterations} iterations`);
    report.contenders.push(await timeWasmRace(benchConfig(options, Math.min(iterations, kWasmMaxIterations)), data, wishedThreads()));
    // Like with like: TF.js wasm on as many threads as ours (its own default is half the cores, at most 4).
    setThreadsCount(WasmRaceBackend.threadsFor(wishedThreads()));
    log(`TF.js wasm, ${kTfjsWarmup} + ${tfjsIterations} iterations`);
    report.contenders.push(await timeTfjs('wasm', benchConfig(options, tfjsIterations), data));
    if (options.cpuIterations > 0) {
      log(`CPU path, ${options.cpuIterations} iterations`);
      report.contenders.push(await timeCpuRace(benchConfig(options, options.cpuIterations), data));
    }
  } catch (error) {
    report.error = errorMessage(error);
  } finally {
    device?.destroy();
  }
  return report;
}

runBrowserBench(readOptions(new URLSearchParams(location.search))).then(
  (report) => {
    window.__benchResult = { report };
  },
  (error: unknown) => {
    window.__benchResult = { error: errorMessage(error) };
  },
);
