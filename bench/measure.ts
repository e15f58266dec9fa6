/**
 * The measurements both environments share: the adapter's matmul throughput, the race on our
 * WebGPU engine and on the engine's TypeScript CPU path. Each timing starts after a warm-up
 * (pipelines compiled, first chunk run) and ends when the engine has read the last losses back,
 * so the GPU is drained.
 */
import { isSoftwareAdapter } from '../src/gpu/adapter-kind';
import { AffineForwardPass, LayerUniform, createRacerActivations, mlpLayerShape, type MatmulTiling } from '../src/nn/gpu-passes';
import { networkLayout } from '../src/nn/layout';
import type { ChunkRequest, RaceBackend } from '../src/race/backend';
import { kSeedRace, resolveRace, type RaceConfig } from '../src/race/config';
import { CpuRaceBackend } from '../src/race/cpu-backend';
import type { RaceData } from '../src/race/dataset';
import { RaceEngine, kFirstChunk } from '../src/race/engine';
import { GpuRaceBackend, RacePipelines } from '../src/race/gpu-backend';
import { optimizerSpec } from '../src/optim/registry';
import { seededRandom } from '../src/util/random';
import { callCounts, countsSince } from './call-counters';
import { matmulFlops, raceFlopsPerIteration, throughputShape, type MatmulShape } from './flops';
import { failed, type AdapterSummary, type ContenderId, type ContenderResult, type MatmulResult, type RaceSummary } from './report';

/** What the launcher passes to each environment. */
export interface BenchOptions {
  /** Timed iterations of our race and TF.js's; undefined: 2000 on a real GPU, kEmulatedIterations on an emulation. */
  iterations?: number;
  /** Timed iterations of TF.js (default: the same as ours, at most kEmulatedTfjsIterations on an emulation). */
  tfjsIterations?: number;
  /** Timed iterations of the CPU path (about 1 s each for the seed race). */
  cpuIterations: number;
  /** Layer sizes (default: the seed's); smaller ones make quick smoke runs. */
  sizes: number[];
  /** `--racers N`: also time a sweep of N racers (a multiple of 6, sweepBenchConfig) beside the 6-racer race. */
  racers?: number;
  /** `--matmul-runs N`: timed runs of each matmul strategy (default kMatmulRuns). */
  matmulRuns?: number;
}

export const kEmulatedIterations = 20;
/** TF.js WebGPU needs ~2 s per iteration on SwiftShader (more on a busy machine): fewer by default there. */
export const kEmulatedTfjsIterations = 10;
export const kCpuWarmup = 1;

/** Emulated: what the matmul kernels treat as a CPU adapter (SwiftShader, llvmpipe/lavapipe, a fallback adapter). */
export function summarizeAdapter(info: GPUAdapterInfo | undefined): AdapterSummary {
  return {
    vendor: info?.vendor ?? '',
    architecture: info?.architecture ?? '',
    device: info?.device ?? '',
    description: info?.description ?? '',
    isFallbackAdapter: info?.isFallbackAdapter === true,
    emulated: isSoftwareAdapter(info),
  };
}

/** The seed's race at the benchmark's sizes. */
export function benchConfig(options: BenchOptions, iterations: number): RaceConfig {
  return { ...kSeedRace, sizes: [...options.sizes], iterations };
}

/**
 * The sweep: the seed's six optimizers, each as racers / 6 copies whose learning rates are spread
 * around its default, lr = default x 2^((k - (copies - 1) / 2) / 2) for copy k (x0.30 to x3.4 for 8).
 */
export function sweepBenchConfig(options: BenchOptions, iterations: number, racers: number): RaceConfig {
  const seed = benchConfig(options, iterations);
  const copies = racers / seed.racers.length;
  if (!Number.isInteger(copies) || copies < 1) throw new Error(`--racers must be a multiple of ${seed.racers.length}, got ${racers}`);
  return {
    ...seed,
    racers: Array.from({ length: copies }, (_, k) =>
      seed.racers.map((r) => {
        const lr = optimizerSpec(r.optimizer).hyperparameters.find((h) => h.key === 'lr')?.default ?? 0.01;
        return { ...r, hyperparameters: { lr: lr * 2 ** ((k - (copies - 1) / 2) / 2) } };
      }),
    ).flat(),
  };
}

export function raceSummary(config: RaceConfig): RaceSummary {
  return {
    sizes: [...config.sizes],
    batchSize: config.batchSize,
    racers: resolveRace(config).racers.map((r) => r.name),
    flopsPerIteration: raceFlopsPerIteration(config.sizes, config.batchSize, config.racers.length),
  };
}

export const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/**
 * The backend as the engine drives it in the app, minus the test-set evaluations: the seed's race
 * records training losses only, and the baselines evaluate nothing either.
 */
export function trainingOnly(backend: RaceBackend): RaceBackend {
  return {
    kind: backend.kind,
    race: backend.race,
    run: (request: ChunkRequest) => backend.run({ ...request, evaluate: false }),
    testAccuracy: (racers: readonly number[]) => backend.testAccuracy(racers),
    reset: () => backend.reset(),
    destroy: () => backend.destroy(),
  };
}

const kMatmulTargetMs = 300;
export const kMatmulRuns = 5;

/**
 * GFLOP/s of one large matmul on our tiled kernel, with the strategy and tiling the race uses on
 * this adapter; each run is one submit waited for on the GPU.
 */
export async function measureMatmul(device: GPUDevice, shape: MatmulShape, tiling: MatmulTiling = {}, runs = kMatmulRuns): Promise<MatmulResult> {
  const layout = networkLayout([shape.inner, shape.cols]);
  const layer = new LayerUniform(device, mlpLayerShape(layout, 0, shape.rows, 1), 'Bench.matmul.layer');
  const random = seededRandom(7);
  const filled = (label: string, n: number): GPUBuffer => {
    const values = Float32Array.from({ length: n }, () => random() - 0.5);
    const buffer = device.createBuffer({ label, size: values.byteLength, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
    device.queue.writeBuffer(buffer, 0, values);
    return buffer;
  };
  const buffers = {
    X: filled('Bench.matmul.X', shape.rows * shape.inner),
    params: filled('Bench.matmul.params', layout.paramsPerRacer),
    Y: device.createBuffer({ label: 'Bench.matmul.Y', size: 4 * shape.rows * shape.cols, usage: GPUBufferUsage.STORAGE }),
    racerActivations: createRacerActivations(device, ['identity'], 'Bench.matmul.racerActivations'),
  };
  const pass = new AffineForwardPass(device, tiling);
  const binding = pass.bindGroup({ ...buffers, layer }, 'Bench.matmul.bindGroup');
  const timeRun = async (dispatches: number): Promise<number> => {
    const started = now();
    const encoder = device.createCommandEncoder({ label: 'Bench.matmul.encoder' });
    const computePass = encoder.beginComputePass({ label: 'Bench.matmul.pass' });
    for (let k = 0; k < dispatches; k++) pass.encode(computePass, binding);
    computePass.end();
    device.queue.submit([encoder.finish()]);
    await device.queue.onSubmittedWorkDone();
    return now() - started;
  };
  try {
    await timeRun(1); // compiles the pipeline
    const single = await timeRun(1);
    const dispatchesPerRun = Math.min(2000, Math.max(1, Math.ceil(kMatmulTargetMs / Math.max(single, 1e-3))));
    const gflops: number[] = [];
    for (let r = 0; r < runs; r++) {
      const ms = await timeRun(dispatchesPerRun);
      gflops.push((matmulFlops(shape) * dispatchesPerRun) / (ms * 1e6));
    }
    gflops.sort((a, b) => a - b);
    const { strategy, threadsM, threadsN, tileK } = pass.tiling;
    return {
      shape,
      strategy,
      kernel: `AffineForwardPass '${strategy}', threads ${threadsM}x${threadsN} (MxN)${strategy === 'shared' ? `, tileK ${tileK}` : ''}`,
      dispatchesPerRun,
      runs,
      bestGflops: gflops[gflops.length - 1],
      medianGflops: gflops[Math.floor(gflops.length / 2)],
    };
  } finally {
    binding.destroy();
    layer.destroy();
    Object.values(buffers).forEach((b) => b.destroy());
  }
}

/**
 * The adapter's matmul throughput with the strategy the race uses here (the reference for the race's
 * figures), and with the other strategy for comparison.
 */
export async function measureAdapterMatmul(
  device: GPUDevice,
  emulated: boolean,
  runs = kMatmulRuns,
): Promise<{ matmul: MatmulResult; otherMatmul: MatmulResult }> {
  const shape = throughputShape(emulated);
  const matmul = await measureMatmul(device, shape, {}, runs);
  const otherMatmul = await measureMatmul(device, shape, { strategy: matmul.strategy === 'direct' ? 'shared' : 'direct' }, runs);
  return { matmul, otherMatmul };
}

interface TimedEngine {
  seconds: number;
  firstLosses: number[];
  lastLosses: number[];
}

/** Warm-up run on the backend, reset, then the timed race from iteration 0. */
export async function timeEngine(backend: RaceBackend, warmup: number, beforeTimed: () => void): Promise<TimedEngine> {
  const driven = trainingOnly(backend);
  const { race } = backend;
  const config = race.config;
  await new RaceEngine({ ...race, config: { ...config, iterations: warmup } }, driven).start();
  await backend.reset();
  beforeTimed();
  const engine = new RaceEngine(race, driven);
  const started = now();
  await engine.start();
  const seconds = (now() - started) / 1000;
  const last = config.iterations - 1;
  return {
    seconds,
    firstLosses: engine.history.map((h) => h.losses[0]),
    lastLosses: engine.history.map((h) => h.losses[last]),
  };
}

/** Our engine on WebGPU: GpuRaceBackend driven by RaceEngine, chunks encoded into one submit each. */
export async function timeGpuRace(
  device: GPUDevice,
  config: RaceConfig,
  data: RaceData,
  label: string,
  id: ContenderId = 'ours',
  warmup = kFirstChunk,
): Promise<ContenderResult> {
  let backend: GpuRaceBackend | undefined;
  try {
    backend = new GpuRaceBackend(new RacePipelines(device), resolveRace(config), data);
    const gpu = backend;
    let statsBefore = { ...gpu.stats };
    let countsBefore = callCounts();
    const timed = await timeEngine(gpu, warmup, () => {
      statsBefore = { ...gpu.stats };
      countsBefore = callCounts();
    });
    const counted = countsSince(countsBefore);
    const n = config.iterations;
    const stats = {
      dispatchesPerIteration: (gpu.stats.dispatches - statsBefore.dispatches) / n,
      submitsPerIteration: (gpu.stats.submits - statsBefore.submits) / n,
      encodeMsPerIteration: (gpu.stats.encodeMs - statsBefore.encodeMs) / n,
    };
    return {
      id,
      label,
      racers: config.racers.length,
      iterations: n,
      warmupIterations: warmup,
      seconds: timed.seconds,
      msPerIteration: (1000 * timed.seconds) / n,
      dispatchesPerIteration: counted.dispatches / n,
      submitsPerIteration: counted.submits / n,
      cpuMsPerIteration: stats.encodeMsPerIteration,
      stats,
      firstLosses: timed.firstLosses,
      lastLosses: timed.lastLosses,
    };
  } catch (error) {
    return failed(id, label, error);
  } finally {
    backend?.destroy();
  }
}

/** The engine's float64 TypeScript path (CpuRaceBackend) on the same race. */
export async function timeCpuRace(config: RaceConfig, data: RaceData): Promise<ContenderResult> {
  const label = 'CPU path (TypeScript)';
  try {
    const backend = new CpuRaceBackend(resolveRace(config), data);
    const timed = await timeEngine(backend, kCpuWarmup, () => undefined);
    const n = config.iterations;
    return {
      id: 'cpu',
      label,
      iterations: n,
      warmupIterations: kCpuWarmup,
      seconds: timed.seconds,
      msPerIteration: (1000 * timed.seconds) / n,
      firstLosses: timed.firstLosses,
      lastLosses: timed.lastLosses,
    };
  } catch (error) {
    return failed('cpu', label, error);
  }
}

export function checkIterations(what: string, n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000) throw new Error(`${what} must be a whole number from 1 to 1000000, got ${n}`);
  return n;
}
