/**
 * The race engine on WebGPU against the same race on the float64 CPU path, on a small synthetic
 * dataset (784-pixel images whose label is the brightest of ten pixel bands) and small networks.
 */
import { describe, expect, it } from 'vitest';
import { CpuRaceBackend } from '../src/race/cpu-backend';
import { kSeedRace, type RaceConfig } from '../src/race/config';
import { RaceEngine } from '../src/race/engine';
import { GpuRaceBackend } from '../src/race/gpu-backend';
import { syntheticRaceData as syntheticData } from './fixtures/synthetic-race-data';
import { gpuRacePipelines } from './fixtures/gpu-race-pipelines';

const webgpu = gpuRacePipelines();

const data = syntheticData(600, 130);
const small: RaceConfig = {
  ...kSeedRace,
  sizes: [784, 24, 16, 10],
  iterations: 12,
  batchSize: 16,
  evalEvery: 5,
  racers: [
    { optimizer: 'sgd', hyperparameters: { lr: 0.1 } },
    { optimizer: 'momentum' },
    { optimizer: 'nesterov' },
    { optimizer: 'adagrad', activation: 'sigmoid', init: 'xavier' },
    { optimizer: 'rmsprop', activation: 'tanh', init: 0.05 },
    { optimizer: 'adam' },
  ],
};

describe('the MNIST race engine on WebGPU', () => {
  it("gives the CPU reference's losses and accuracies for every racer", async (ctx) => {
    if (!webgpu.device) return ctx.skip();
    const gpu = RaceEngine.create(small, (race) => new GpuRaceBackend(webgpu.pipelines, race, data));
    const cpu = RaceEngine.create(small, (race) => new CpuRaceBackend(race, data));
    await gpu.start();
    await cpu.start();
    expect(gpu.status).toBe('finished');
    gpu.history.forEach((h, r) => {
      expect(h.losses).toHaveLength(12);
      h.losses.forEach((loss, i) => expect(Math.abs(loss - cpu.history[r].losses[i])).toBeLessThan(2e-4 * Math.max(1, cpu.history[r].losses[i])));
      expect(h.accuracy.map((a) => a.iteration)).toEqual([5, 10, 12]);
      h.accuracy.forEach((a, k) => expect(a.test).toBeCloseTo(cpu.history[r].accuracy[k].test ?? Number.NaN, 2));
      expect(h.predictions).toHaveLength(16);
      expect(h.predictions).toEqual(cpu.history[r].predictions);
    });
    gpu.destroy();
  });

  it("learns: 150 iterations lower every racer's loss and reach high test accuracy", async (ctx) => {
    if (!webgpu.device) return ctx.skip();
    const config = { ...small, iterations: 150, evalEvery: 50, batchSize: 32 };
    const engine = RaceEngine.create(config, (race) => new GpuRaceBackend(webgpu.pipelines, race, data));
    await engine.start();
    for (const h of engine.history) {
      const head = mean(h.losses.slice(0, 10));
      const tail = mean(h.losses.slice(-10));
      expect(tail, h.name).toBeLessThan(head);
      expect(h.accuracy.at(-1)!.test, h.name).toBeGreaterThan(0.6);
    }
    engine.destroy();
  });

  it('marks a racer with lr 100 diverged while the others continue; pause, step and reset work', async (ctx) => {
    if (!webgpu.device) return ctx.skip();
    // The seed's network: with lr 100 its weights overflow within a few steps (the loss itself is
    // bounded by -log(1e-7) until the logits become infinite).
    const config: RaceConfig = {
      ...small,
      sizes: [...kSeedRace.sizes],
      iterations: 20,
      racers: [{ optimizer: 'sgd', hyperparameters: { lr: 100 } }, { optimizer: 'adam' }],
    };
    const engine = RaceEngine.create(config, (race) => new GpuRaceBackend(webgpu.pipelines, race, data));
    await engine.step();
    expect(engine.iteration).toBe(1);
    await engine.start();
    expect(engine.history[0].diverged).not.toBeNull();
    expect(engine.history[1].diverged).toBeNull();
    expect(engine.history[1].losses.every(Number.isFinite)).toBe(true);
    const first = engine.history[1].losses.slice();
    await engine.reset();
    await engine.start();
    // Same seed: the same race again, bit for bit.
    expect(engine.history[1].losses).toEqual(first);
    engine.destroy();
  });
});

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
