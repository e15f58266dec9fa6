/**
 * The Node contenders: our engine on WebGPU through Dawn (the `webgpu` package; lavapipe when
 * there is no GPU) and on WebAssembly SIMD, and the engine's TypeScript CPU path, plus the
 * adapter's matmul throughput, and the CPU peers numpy and PyTorch (child processes).
 * Loaded by the launcher through Vite's SSR module runner (shaders are `?raw` imports).
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { loadEmbeddedMnistFromDisk } from '../src/data/node/mnist-dir';
import { requestGpuDevice } from '../src/gpu/device';
import { nodeGpu } from '../src/gpu/node-gpu';
import { installCallCounters } from './call-counters';
import {
  benchConfig,
  checkIterations,
  kEmulatedIterations,
  measureAdapterMatmul,
  raceSummary,
  summarizeAdapter,
  sweepBenchConfig,
  timeCpuRace,
  timeGpuRace,
  type BenchOptions,
} from './measure';
import type { EnvironmentReport } from './report';
import { timeNumpyRace } from './numpy-race';
import { timeTorchRace } from './torch-race';
import { kWasmMaxIterations, timeWasmRace } from './wasm-race';
import { WasmRaceBackend } from '../src/wasm/wasm-backend';
import { errorMessage } from '../src/util/error-message';

export async function runNodeBench(options: BenchOptions, root: string, log: (message: string) => void): Promise<EnvironmentReport> {
  const report: EnvironmentReport = {
    environment: 'node',
    runtime: `Node ${process.version}`,
    race: raceSummary(benchConfig(options, 1)),
    contenders: [],
  };
  let device: GPUDevice | undefined;
  try {
    log('node: loading the embedded MNIST data');
    const data = await loadEmbeddedMnistFromDisk({ publicDir: join(root, 'public') });
    const gpu = await nodeGpu();
    installCallCounters();
    device = await requestGpuDevice({ gpu, label: 'Bench.node' });
    const adapter = (report.adapter = summarizeAdapter(device.adapterInfo));
    const iterations = checkIterations('--iterations', options.iterations ?? (adapter.emulated ? kEmulatedIterations : 2000));

    log(`node: matmul throughput on ${adapter.description || adapter.vendor || 'the adapter'}`);
    Object.assign(report, await measureAdapterMatmul(device, adapter.emulated, options.matmulRuns));
    log(`node: our race, ${iterations} iterations`);
    report.contenders.push(await timeGpuRace(device, benchConfig(options, iterations), data, 'ours (WebGPU, Dawn)'));
    if (options.racers !== undefined) {
      log(`node: our race with ${options.racers} racers, ${iterations} iterations`);
      const sweep = sweepBenchConfig(options, iterations, options.racers);
      report.contenders.push(await timeGpuRace(device, sweep, data, `ours x${options.racers} racers (WebGPU, Dawn)`, 'ours-sweep'));
    }
    log(`node: our race on WebAssembly SIMD, ${iterations} iterations`);
    report.contenders.push(await timeWasmRace(benchConfig(options, Math.min(iterations, kWasmMaxIterations)), data, availableParallelism()));
    log('node: the numpy baseline (bench/numpy_race.py)');
    report.contenders.push(await timeNumpyRace(benchConfig(options, Math.min(iterations, kWasmMaxIterations)), root));
    log('node: the PyTorch peer on the CPU, eager (bench/gpu/torch_race.py)');
    // On as many threads as ours (wasm) gets, as TF.js wasm in the browser.
    const torchThreads = WasmRaceBackend.threadsFor(availableParallelism());
    report.contenders.push(await timeTorchRace(benchConfig(options, Math.min(iterations, kWasmMaxIterations)), data.trainCount, root, torchThreads));
    if (options.cpuIterations > 0) {
      log(`node: CPU path, ${options.cpuIterations} iterations`);
      report.contenders.push(await timeCpuRace(benchConfig(options, options.cpuIterations), data));
    }
  } catch (error) {
    report.error = errorMessage(error);
  } finally {
    device?.destroy();
  }
  return report;
}
