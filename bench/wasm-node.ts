/**
 * ours (wasm, 1 and 2 threads, and every core where there are more) against ours (WebGPU on Dawn,
 * lavapipe without a GPU) and the CPU path on the seed race in Node, in one run: ms per iteration
 * (loss after the update, no test evaluation), GFLOP/s of the matmuls (flops.ts), each row's
 * time against wasm's single thread, and how many times faster than WebGPU the wasm rows are. Run by scripts/bench-wasm.mjs (`node scripts/bench-wasm.mjs
 * [ITERATIONS]`). Times are noisy on a shared machine: compare the ratios within one run.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { loadEmbeddedMnistFromDisk } from '../src/data/node/mnist-dir';
import { requestGpuDevice } from '../src/gpu/device';
import { nodeGpu } from '../src/gpu/node-gpu';
import type { RaceBackend } from '../src/race/backend';
import { kSeedRace, resolveRace, type RaceConfig } from '../src/race/config';
import { CpuRaceBackend } from '../src/race/cpu-backend';
import type { RaceData } from '../src/race/dataset';
import { GpuRaceBackend, RacePipelines } from '../src/race/gpu-backend';
import { WasmRaceBackend } from '../src/wasm/wasm-backend';
import { raceFlopsPerIteration } from './flops';

/** ms per iteration of `count` iterations after one warm-up iteration. */
export async function msPerIteration(backend: RaceBackend, count: number): Promise<number> {
  const active = backend.race.racers.map(() => true);
  await backend.run({ first: 0, count: 1, active, evaluate: false });
  const started = performance.now();
  await backend.run({ first: 1, count, active, evaluate: false });
  return (performance.now() - started) / count;
}

export async function runWasmNodeBench(iterations: number, root: string, log: (line: string) => void): Promise<void> {
  const data: RaceData = await loadEmbeddedMnistFromDisk({ publicDir: join(root, 'public') });
  const config: RaceConfig = { ...kSeedRace, iterations };
  const race = resolveRace(config);
  const flops = raceFlopsPerIteration(config.sizes, config.batchSize, race.racers.length);
  const rows: [string, number][] = [];
  const cores = Math.min(availableParallelism(), WasmRaceBackend.maxThreads, race.racers.length);
  for (const threads of [...new Set([1, 2, cores])].filter((t) => t <= WasmRaceBackend.maxThreads)) {
    const wasm = await WasmRaceBackend.create(race, data, { threads });
    rows.push([`ours (wasm, ${threads} thread${threads === 1 ? '' : 's'})`, await msPerIteration(wasm, iterations)]);
    wasm.destroy();
  }
  const wasmRows = rows.length;
  const device = await requestGpuDevice({ gpu: await nodeGpu(), label: 'bench.wasm-node' }).catch(() => undefined);
  let gpuMs: number | undefined;
  if (device) {
    gpuMs = await msPerIteration(new GpuRaceBackend(new RacePipelines(device), race, data), Math.min(iterations, 10));
    rows.push([`ours (WebGPU, ${device.adapterInfo.description || 'Dawn'})`, gpuMs]);
    device.destroy();
  } else log('no WebGPU device: the WebGPU row is left out');
  rows.push(['CPU path (float64 TypeScript)', await msPerIteration(new CpuRaceBackend(race, data), Math.min(iterations, 5))]);
  const wasmMs = rows[0][1];
  log(`seed race (${config.sizes.join('-')}, batch ${config.batchSize}, ${race.racers.length} racers), ${(flops / 1e6).toFixed(0)} MFLOP per iteration`);
  rows.forEach(([label, ms], i) => {
    const vsGpu = i < wasmRows && gpuMs !== undefined ? `  ${(gpuMs / ms).toFixed(1)}x faster than WebGPU` : '';
    log(
      `${label.padEnd(42)} ${ms.toFixed(1).padStart(8)} ms/iteration  ${(flops / ms / 1e6).toFixed(2).padStart(6)} GFLOP/s  ${(ms / wasmMs).toFixed(2)}x wasm's time${vsGpu}`,
    );
  });
}
