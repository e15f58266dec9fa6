/**
 * The real-GPU benchmark's Node entry (built by vite.gpubench.config.ts into dist-gpubench/bench.js
 * and packed by bench/gpu/pack.sh): the adapter's matmul throughput for both strategies over a grid
 * of tilings, the seed race (six racers) and the 48-racer race (the seed's six optimizers x 8), each
 * with ms per iteration, dispatches and GFLOP/s; writes everything as JSON to --out DIR/ours.json,
 * plus the racers' initial weights (init-params.f32) for torch_race.py.
 *
 *   node bench.js --data DIR --out DIR [--iterations N] [--wide-iterations N] [--warmup N] [--matmul-runs N] [--grid full|small]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadMnistDirectory } from '../../src/data/node/mnist-dir';
import { kEmbeddedMnistCounts } from '../../src/data/mnist-files';
import { requestGpuDevice } from '../../src/gpu/device';
import { nodeGpu } from '../../src/gpu/node-gpu';
import type { MatmulTiling } from '../../src/nn/affine-passes';
import { networkLayout } from '../../src/nn/layout';
import { initParams } from '../../src/nn/model';
import { kSeedRace, resolveRace, type RaceConfig } from '../../src/race/config';
import { initSeed } from '../../src/race/dataset';
import { kFirstChunk } from '../../src/race/engine';
import { installCallCounters } from '../call-counters';
import { raceFlopsPerIteration, throughputShape, type MatmulShape } from '../flops';
import { measureMatmul, summarizeAdapter, timeGpuRace } from '../measure';
import type { ContenderResult, MatmulResult } from '../report';
import { errorMessage } from '../../src/util/error-message';

const kWideCopies = 8;

/** Tilings swept per strategy; 'small' is the self-test's grid. */
export const kTilingGrids: Record<'full' | 'small', MatmulTiling[]> = {
  full: [
    { strategy: 'direct', threadsM: 8, threadsN: 4 },
    { strategy: 'direct', threadsM: 4, threadsN: 4 },
    { strategy: 'direct', threadsM: 8, threadsN: 8 },
    { strategy: 'direct', threadsM: 16, threadsN: 8 },
    { strategy: 'direct', threadsM: 16, threadsN: 16 },
    { strategy: 'shared', threadsM: 8, threadsN: 8, tileK: 16 },
    { strategy: 'shared', threadsM: 8, threadsN: 8, tileK: 8 },
    { strategy: 'shared', threadsM: 8, threadsN: 8, tileK: 32 },
    { strategy: 'shared', threadsM: 4, threadsN: 4, tileK: 16 },
    { strategy: 'shared', threadsM: 16, threadsN: 8, tileK: 16 },
    { strategy: 'shared', threadsM: 16, threadsN: 16, tileK: 8 },
    { strategy: 'shared', threadsM: 16, threadsN: 16, tileK: 16 },
  ],
  small: [
    { strategy: 'direct', threadsM: 8, threadsN: 4 },
    { strategy: 'shared', threadsM: 8, threadsN: 8, tileK: 16 },
  ],
};

interface Options {
  data: string;
  out: string;
  iterations: number;
  wideIterations: number;
  /** Iterations each race runs before its timed race (shader compilation, first uploads). */
  warmup: number;
  matmulRuns: number;
  grid: 'full' | 'small';
}

function parseArgs(argv: readonly string[]): Options {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const [name, value] = [argv[i], argv[i + 1]];
    if (!name.startsWith('--') || value === undefined) throw new Error(`expected --name value pairs, got '${argv.slice(i).join(' ')}'`);
    values.set(name.slice(2), value);
  }
  const whole = (name: string, fallback: number, min: number): number => {
    const text = values.get(name);
    const n = text === undefined ? fallback : Number(text);
    if (!Number.isInteger(n) || n < min || n > 1_000_000) throw new Error(`--${name} must be a whole number from ${min} to 1000000, got '${text}'`);
    return n;
  };
  const grid = values.get('grid') ?? 'full';
  if (grid !== 'full' && grid !== 'small') throw new Error(`--grid must be 'full' or 'small', got '${grid}'`);
  const data = values.get('data');
  const out = values.get('out');
  if (data === undefined || out === undefined) throw new Error('--data DIR and --out DIR are required');
  return {
    data: resolve(data),
    out: resolve(out),
    iterations: whole('iterations', kSeedRace.iterations, 1),
    wideIterations: whole('wide-iterations', 1000, 0),
    warmup: whole('warmup', kFirstChunk, 1),
    matmulRuns: whole('matmul-runs', 5, 1),
    grid,
  };
}

interface RaceFigures extends ContenderResult {
  racers: number;
  flopsPerIteration: number;
  gflops: number;
}

function withFlops(result: ContenderResult, config: RaceConfig): RaceFigures {
  const flopsPerIteration = raceFlopsPerIteration(config.sizes, config.batchSize, config.racers.length);
  const gflops = result.msPerIteration > 0 ? flopsPerIteration / (result.msPerIteration * 1e6) : 0;
  return { ...result, racers: config.racers.length, flopsPerIteration, gflops };
}

async function main(argv: readonly string[]): Promise<void> {
  const options = parseArgs(argv);
  const log = (message: string): void => void process.stderr.write(`[gpubench ${process.uptime().toFixed(0)}s] ${message}\n`);
  await mkdir(options.out, { recursive: true });
  const data = await loadMnistDirectory(options.data, { source: 'embedded', expectedCounts: kEmbeddedMnistCounts });
  const gpu = await nodeGpu();
  installCallCounters();
  const device = await requestGpuDevice({ gpu, label: 'GpuBench' });
  try {
    const adapter = summarizeAdapter(device.adapterInfo);
    log(`adapter: ${[adapter.vendor, adapter.architecture, adapter.device, adapter.description].filter(Boolean).join(' / ')}`);
    const shapes: MatmulShape[] = [throughputShape(adapter.emulated), { rows: kSeedRace.batchSize, inner: 784, cols: 100 }];
    const matmul: (MatmulResult | { shape: MatmulShape; tiling: MatmulTiling; error: string })[] = [];
    for (const shape of shapes) {
      for (const tiling of kTilingGrids[options.grid]) {
        try {
          const result = await measureMatmul(device, shape, tiling, options.matmulRuns);
          matmul.push(result);
          log(`matmul ${shape.rows}x${shape.inner}x${shape.cols} ${result.kernel}: ${result.bestGflops.toFixed(1)} GFLOP/s`);
        } catch (error) {
          matmul.push({ shape, tiling, error: errorMessage(error) });
          log(`matmul ${JSON.stringify(tiling)}: ${String(error)}`);
        }
      }
    }

    const seed: RaceConfig = { ...kSeedRace, iterations: options.iterations };
    log(`seed race: ${seed.racers.length} racers, ${seed.iterations} iterations`);
    const seedRace = withFlops(await timeGpuRace(device, seed, data, 'ours (WebGPU, Dawn), seed race', 'ours', options.warmup), seed);
    log(`seed race: ${seedRace.error ?? `${seedRace.msPerIteration.toFixed(2)} ms/iter, ${seedRace.gflops.toFixed(1)} GFLOP/s`}`);

    let wideRace: RaceFigures | undefined;
    if (options.wideIterations > 0) {
      const wide: RaceConfig = { ...kSeedRace, iterations: options.wideIterations, racers: Array.from({ length: kWideCopies }, () => kSeedRace.racers).flat() };
      log(`wide race: ${wide.racers.length} racers, ${wide.iterations} iterations`);
      wideRace = withFlops(await timeGpuRace(device, wide, data, `ours (WebGPU, Dawn), ${wide.racers.length} racers`, 'ours', options.warmup), wide);
      log(`wide race: ${wideRace.error ?? `${wideRace.msPerIteration.toFixed(2)} ms/iter, ${wideRace.gflops.toFixed(1)} GFLOP/s`}`);
    }

    // Every racer starts from the same block (initParams with the race's seed): torch_race.py loads it.
    const racer = resolveRace(seed).racers[0];
    const layout = networkLayout(seed.sizes);
    const params = initParams(layout, racer.init, initSeed(seed.seed));
    await writeFile(join(options.out, 'init-params.f32'), params);

    const report = {
      date: new Date().toISOString(),
      runtime: `Node ${process.version}`,
      options: { ...options, data: undefined, out: undefined },
      adapter,
      race: { sizes: seed.sizes, batchSize: seed.batchSize, seed: seed.seed, racers: resolveRace(seed).racers.map((r) => r.name) },
      initParams: { file: 'init-params.f32', layout: layout.layers, paramsPerRacer: layout.paramsPerRacer },
      matmul,
      seedRace,
      wideRace,
    };
    await writeFile(join(options.out, 'ours.json'), `${JSON.stringify(report, null, 2)}\n`);
    log(`wrote ${join(options.out, 'ours.json')}`);
    if (seedRace.error || wideRace?.error) process.exitCode = 1;
  } finally {
    device.destroy();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`gpubench: ${errorMessage(error)}\n`);
  process.exitCode = 2;
});
