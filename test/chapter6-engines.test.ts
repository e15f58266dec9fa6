/**
 * The three engines give the same chapter-6 race: a race mixing plain, `bn`, `dropout`, `l2` and
 * all-three racers (Adam with batch norm included: its bias-before-batch-norm gradient is 0 in
 * float64 and rounding noise in float32) on the float64 CPU reference, the WebAssembly engine (one
 * and two threads) and the WebGPU engine, compared as test/mnist-race.test.ts compares the seed's
 * race: losses within 1e-3 relative, accuracies (test and training) within 0.002. Each engine is
 * also checked alone against src/nn/regularized-mlp.ts (cpu-backend-chapter6, wasm-chapter6-race,
 * race-gpu-chapter6); this shows they agree with each other on one race with every option.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RaceBackend } from '../src/race/backend';
import { kSeedRace, resolveRace, type RaceConfig, type ResolvedRace } from '../src/race/config';
import { CpuRaceBackend } from '../src/race/cpu-backend';
import { RaceEngine, type RacerHistory } from '../src/race/engine';
import { GpuRaceBackend, RacePipelines } from '../src/race/gpu-backend';
import { WasmRaceBackend } from '../src/wasm/wasm-backend';
import { relativeError } from './fixtures/every-optimizer-race';
import { syntheticRaceData } from './fixtures/synthetic-race-data';
import { testDevice } from './gpu';

let device: GPUDevice | undefined;
beforeAll(async () => {
  device = await testDevice();
});
afterAll(() => device?.destroy());

const data = syntheticRaceData(200, 23);
const race: RaceConfig = {
  ...kSeedRace,
  sizes: [784, 9, 5, 10],
  batchSize: 7,
  seed: 77,
  trainLimit: 60,
  epochs: 3,
  trainAccuracy: true,
  racers: [
    { optimizer: 'sgd', hyperparameters: { lr: 0.1 } },
    { optimizer: 'adam', bn: true },
    { optimizer: 'momentum', dropout: 0.25 },
    { optimizer: 'sgd', hyperparameters: { lr: 0.1 }, l2: 0.2 },
    { optimizer: 'rmsprop', bn: true, dropout: 0.1, l2: 0.05, activation: 'tanh' },
  ],
};

async function run(build: (r: ResolvedRace) => Promise<RaceBackend>): Promise<RacerHistory[]> {
  const resolved = resolveRace(race, data.trainCount);
  const engine = new RaceEngine(resolved, await build(resolved));
  try {
    await engine.start();
    return engine.history;
  } finally {
    engine.destroy();
  }
}

function expectSameRace(actual: RacerHistory[], reference: RacerHistory[], engine: string): void {
  actual.forEach((h, r) => {
    const ref = reference[r];
    const what = `${engine}, racer ${r} (${ref.name})`;
    expect(h.losses).toHaveLength(ref.losses.length);
    expect(relativeError(h.losses, ref.losses), what).toBeLessThan(1e-3);
    expect(
      h.accuracy.map((a) => [a.iteration, a.epoch]),
      what,
    ).toEqual(ref.accuracy.map((a) => [a.iteration, a.epoch]));
    h.accuracy.forEach((a, k) => {
      expect(Math.abs((a.test ?? Number.NaN) - (ref.accuracy[k].test ?? Number.NaN)), `${what} test at ${a.iteration}`).toBeLessThanOrEqual(0.002);
      expect(Math.abs((a.train ?? Number.NaN) - (ref.accuracy[k].train ?? Number.NaN)), `${what} train at ${a.iteration}`).toBeLessThanOrEqual(0.002);
    });
  });
}

describe('a chapter-6 race on every engine', () => {
  it('CPU (float64), wasm (1 and 2 threads) and WebGPU record the same losses and accuracies', async () => {
    const cpu = await run(async (r) => new CpuRaceBackend(r, data));
    // 3 epochs of 60 images in batches of 7: 25 iterations, records after 1, 9 and 18 updates.
    expect(cpu[0].losses).toHaveLength(25);
    expect(cpu[0].accuracy.map((a) => [a.iteration, a.epoch])).toEqual([
      [1, 0],
      [9, 1],
      [18, 2],
    ]);
    expect(cpu.every((h) => h.diverged === null && h.accuracy.every((a) => a.train !== undefined))).toBe(true);
    expectSameRace(await run((r) => WasmRaceBackend.create(r, data, { threads: 1 })), cpu, 'wasm');
    if (WasmRaceBackend.maxThreads > 1) expectSameRace(await run((r) => WasmRaceBackend.create(r, data, { threads: 2 })), cpu, 'wasm, 2 threads');
    if (!device) throw new Error('no WebGPU adapter: the WebGPU engine is not compared');
    const gpuDevice = device;
    expectSameRace(await run(async (r) => new GpuRaceBackend(new RacePipelines(gpuDevice), r, data)), cpu, 'WebGPU');
  }, 120_000);
});
