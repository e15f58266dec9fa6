/**
 * The chapter-6 stage's Node side: numpy_chapter6.py (a child process, one core) and each preset
 * on ours (wasm) one after the other, then the cost races on ours (wasm) and ours (WebGPU through
 * Dawn; lavapipe without a GPU) with their dispatches counted (call-counters.ts, cross-checked
 * against GpuRaceBackend.stats).
 */
import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { loadEmbeddedMnistFromDisk } from '../src/data/node/mnist-dir';
import { requestGpuDevice } from '../src/gpu/device';
import { nodeGpu } from '../src/gpu/node-gpu';
import type { Chapter6PresetId } from '../src/race/chapter6-presets';
import type { RaceData } from '../src/race/dataset';
import { errorMessage } from '../src/util/error-message';
import { installCallCounters } from './call-counters';
import { costConfig, kCostBatch, kCostRacers, kCostSizes, kCostVariants, searchScalingConfig, timeWasmPreset } from './chapter6';
import { kSearchScalingTrials, type CostReport, type NumpyChapter6, type PresetReport, type SearchScalingReport } from './chapter6-report';
import { kEmulatedIterations, summarizeAdapter, timeGpuRace } from './measure';
import { timeWasmRace } from './wasm-race';

export interface Chapter6Options {
  /** Epochs of every preset in place of the book's (quick checks). */
  epochs?: number;
  /** Timed iterations of each cost race (default: kCostWasmIterations on wasm; 20 on an emulated adapter, 500 on a GPU). */
  iterations?: number;
  /** The cost races' layer sizes (default kCostSizes). */
  sizes?: number[];
}

export const kCostWasmIterations = 100;
const kCostGpuIterations = 500;
/** numpy's batch_norm_test takes ~16 s on a quiet core, the dropout script ~22 s per network: minutes on a loaded machine. */
const kNumpyTimeoutMs = 20 * 60_000;

export function runNumpyChapter6(id: Chapter6PresetId, root: string, epochs?: number): Promise<NumpyChapter6> {
  const args = [join(root, 'bench', 'numpy_chapter6.py'), '--experiment', id, '--data', join(root, 'public', 'data', 'embedded')];
  if (epochs !== undefined) args.push('--epochs', String(epochs));
  const failure = (error: string): NumpyChapter6 => ({ experiment: id, seconds: 0, iterations: 0, epochs: epochs ?? 0, threads: '1', networks: [], error });
  return new Promise((resolve) => {
    execFile('python3', args, { timeout: kNumpyTimeoutMs, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      if (error) {
        const missing = /No module named 'numpy'|ENOENT/.test(`${stderr} ${error.message}`);
        resolve(failure(missing ? 'python3 with numpy is not installed' : stderr.trim() || error.message));
        return;
      }
      try {
        resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '') as NumpyChapter6);
      } catch (parseError) {
        resolve(failure(`unreadable output (${errorMessage(parseError)}): ${stdout.slice(0, 200)}`));
      }
    });
  });
}

/** numpy, then ours (wasm), preset by preset: never both at once on the same cores. */
export async function runNodePresets(
  ids: readonly Chapter6PresetId[],
  data: RaceData,
  options: Chapter6Options,
  root: string,
  log: (m: string) => void,
): Promise<PresetReport[]> {
  const reports: PresetReport[] = [];
  for (const id of ids) {
    log(`node: ${id}, numpy (bench/numpy_chapter6.py, 1 core)`);
    const numpy = await runNumpyChapter6(id, root, options.epochs);
    log(`node: ${id}, ours (wasm)`);
    const node = await timeWasmPreset(id, data, availableParallelism(), 'node', options.epochs);
    reports.push({ id, numpy, node });
  }
  return reports;
}

/** Every cost variant on ours (wasm), then on ours (WebGPU) with its dispatches counted. */
export async function runCost(data: RaceData, options: Chapter6Options, log: (m: string) => void): Promise<CostReport> {
  const sizes = options.sizes ?? [...kCostSizes];
  const report: CostReport = { sizes, batchSize: kCostBatch, racers: kCostRacers, rows: kCostVariants.map((variant) => ({ variant })) };
  const wasmIterations = options.iterations ?? kCostWasmIterations;
  for (const row of report.rows) {
    log(`node: cost race '${row.variant}' on ours (wasm), ${wasmIterations} iterations`);
    row.wasm = { ...(await timeWasmRace(costConfig(row.variant, wasmIterations, sizes), data, availableParallelism())), label: `ours (wasm) ${row.variant}` };
  }
  let device: GPUDevice | undefined;
  try {
    const gpu = await nodeGpu();
    installCallCounters();
    device = await requestGpuDevice({ gpu, label: 'Bench.chapter6' });
    report.adapter = summarizeAdapter(device.adapterInfo);
    const iterations = options.iterations ?? (report.adapter.emulated ? kEmulatedIterations : kCostGpuIterations);
    for (const row of report.rows) {
      log(`node: cost race '${row.variant}' on ours (WebGPU, Dawn), ${iterations} iterations`);
      row.gpu = await timeGpuRace(device, costConfig(row.variant, iterations, sizes), data, `ours (WebGPU) ${row.variant}`);
    }
  } catch (error) {
    report.error = `WebGPU: ${errorMessage(error)}`;
  } finally {
    device?.destroy();
  }
  return report;
}

/**
 * The search's scaling: the hypersearch network with 6 and with 100 trials as racers, training only,
 * per iteration on ours (wasm) and ours (WebGPU, dispatches counted), one after the other.
 */
export async function runSearchScaling(data: RaceData, options: Chapter6Options, log: (m: string) => void): Promise<SearchScalingReport> {
  const wasmIterations = options.iterations ?? kCostWasmIterations / 5;
  const report: SearchScalingReport = { sizes: searchScalingConfig(1, 1, options.sizes).sizes, rows: kSearchScalingTrials.map((trials) => ({ trials })) };
  for (const row of report.rows) {
    log(`node: search scaling, ${row.trials} trials on ours (wasm), ${wasmIterations} iterations`);
    row.wasm = {
      ...(await timeWasmRace(searchScalingConfig(row.trials, wasmIterations, options.sizes), data, availableParallelism())),
      label: `ours (wasm) ${row.trials} trials`,
    };
  }
  let device: GPUDevice | undefined;
  try {
    const gpu = await nodeGpu();
    installCallCounters();
    device = await requestGpuDevice({ gpu, label: 'Bench.searchScaling' });
    report.adapter = summarizeAdapter(device.adapterInfo);
    const iterations = options.iterations ?? (report.adapter.emulated ? kEmulatedIterations : kCostGpuIterations);
    for (const row of report.rows) {
      log(`node: search scaling, ${row.trials} trials on ours (WebGPU, Dawn), ${iterations} iterations`);
      row.gpu = await timeGpuRace(device, searchScalingConfig(row.trials, iterations, options.sizes), data, `ours (WebGPU) ${row.trials} trials`);
    }
  } catch (error) {
    report.error = `WebGPU: ${errorMessage(error)}`;
  } finally {
    device?.destroy();
  }
  return report;
}

export async function loadBenchData(root: string): Promise<RaceData> {
  return loadEmbeddedMnistFromDisk({ publicDir: join(root, 'public') });
}
