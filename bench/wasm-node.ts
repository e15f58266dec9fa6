/**
 * ours (wasm) against ours (WebGPU on Dawn) and the CPU path on the seed race in Node, in one run:
 * ms per iteration (loss after the update, no test evaluation), GFLOP/s of the matmuls
 * (flops.ts) and the ratios to wasm. Run by scripts/bench-wasm.mjs (`node scripts/bench-wasm.mjs
 * [ITERATIONS]`). Times are noisy on a shared machine: compare the ratios within one run.
 */
import { join } from 'node:path';
import { loadEmbeddedMnistFromDisk } from '../src/data/node/mnist-dir';
import { requestGpuDevice } from '../src/gpu/device';
import { nodeGpu } from '../src/gpu/node-gpu';
import type { RaceBackend } from '../src/race/backend';
import { kSeedRace, resolveRace, type RaceConfig } from '../src/race/config';
import { CpuRaceBackend } from '../src/race/cpu-backend';
import type { RaceData } from '../src/race/dataset';
import { GpuRaceBackend, RaceKernels } from '../src/race/gpu-backend';
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
  rows.push(['ours (wasm, 1 thread)', await msPerIteration(await WasmRaceBackend.create(race, data), iterations)]);
  const device = await requestGpuDevice({ gpu: await nodeGpu(), label: 'bench.wasm-node' }).catch(() => undefined);
  if (device) {
    rows.push([
      `ours (WebGPU, ${device.adapterInfo.description || 'Dawn'})`,
      await msPerIteration(new GpuRaceBackend(new RaceKernels(device), race, data), Math.min(iterations, 10)),
    ]);
    device.destroy();
  } else log('no WebGPU device: the WebGPU row is left out');
  rows.push(['CPU path (float64 TypeScript)', await msPerIteration(new CpuRaceBackend(race, data), Math.min(iterations, 5))]);
  const wasmMs = rows[0][1];
  log(`seed race (${config.sizes.join('-')}, batch ${config.batchSize}, ${race.racers.length} racers), ${(flops / 1e6).toFixed(0)} MFLOP per iteration`);
  for (const [label, ms] of rows) {
    log(
      `${label.padEnd(42)} ${ms.toFixed(1).padStart(8)} ms/iteration  ${(flops / ms / 1e6).toFixed(2).padStart(6)} GFLOP/s  ${(ms / wasmMs).toFixed(2)}x wasm's time`,
    );
  }
}
