/**
 * Sweeps on WebGPU: a 128-racer race (every registered optimizer, learning rates spread) gives the
 * float64 CPU reference's losses, the optimizer step costs one dispatch per optimizer whatever the
 * racer count, and an inactive (diverged) racer leaves its optimizer's dispatch while its siblings keep racing.
 * Tiny networks and few iterations: lavapipe and SwiftShader are slow.
 */
import { describe, expect, it } from 'vitest';
import { optimizerIds, optimizerSpec } from '../src/optim/registry';
import { CpuRaceBackend } from '../src/race/cpu-backend';
import { kSeedRace, resolveRace, type RaceConfig, type RacerConfig } from '../src/race/config';
import { RaceEngine } from '../src/race/engine';
import { GpuRaceBackend } from '../src/race/gpu-backend';
import { syntheticRaceData } from './fixtures/synthetic-race-data';
import { gpuRacePipelines } from './fixtures/gpu-race-pipelines';

const webgpu = gpuRacePipelines();

const data = syntheticRaceData(200, 40);
const tiny: Omit<RaceConfig, 'racers'> = { ...kSeedRace, sizes: [784, 8, 10], iterations: 4, batchSize: 8, evalEvery: 4 };

/** `count` racers cycling through `ids`, each lr its default times 0.5, 1, 2, ... by round. */
function sweep(ids: readonly string[], count: number): RacerConfig[] {
  return Array.from({ length: count }, (_, r) => {
    const spec = optimizerSpec(ids[r % ids.length]);
    const lr = spec.hyperparameters.find((h) => h.key === 'lr')?.default ?? 0.01;
    return { optimizer: spec.id, hyperparameters: { lr: lr * 2 ** (Math.floor(r / ids.length) / 4 - 1) } };
  });
}

/** Dispatches per iteration of a race's first chunk of `count` iterations. */
async function dispatchesPerIteration(racers: RacerConfig[], count: number): Promise<number> {
  const race = resolveRace({ ...tiny, iterations: count, racers });
  const backend = new GpuRaceBackend(webgpu.pipelines, race, data);
  try {
    await backend.run({ first: 0, count, active: racers.map(() => true), evaluate: false });
    expect(backend.stats.iterations).toBe(count);
    return backend.stats.dispatches / backend.stats.iterations;
  } finally {
    backend.destroy();
  }
}

describe('sweeps on WebGPU', () => {
  it("runs 128 racers of every optimizer with the CPU reference's losses", async (ctx) => {
    if (!webgpu.device) return ctx.skip();
    const config: RaceConfig = { ...tiny, racers: sweep(optimizerIds(), 128) };
    const gpu = RaceEngine.create(config, (race) => new GpuRaceBackend(webgpu.pipelines, race, data));
    const cpu = RaceEngine.create(config, (race) => new CpuRaceBackend(race, data));
    try {
      await gpu.start();
      await cpu.start();
      expect(gpu.history).toHaveLength(128);
      gpu.history.forEach((h, r) => {
        const expected = cpu.history[r].losses;
        expect(h.losses).toHaveLength(4);
        h.losses.forEach((loss, i) => expect(Math.abs(loss - expected[i]), `${h.name} iteration ${i}`).toBeLessThan(2e-4 * Math.max(1, expected[i])));
        expect(h.accuracy.at(-1)?.test).toBeCloseTo(cpu.history[r].accuracy.at(-1)?.test ?? NaN, 2);
      });
    } finally {
      gpu.destroy();
      cpu.destroy();
    }
  });

  it('costs the same dispatches per iteration for 6 and 48 racers of the same six optimizers', async (ctx) => {
    if (!webgpu.device) return ctx.skip();
    const six = ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam'];
    const small = await dispatchesPerIteration(sweep(six, 6), 2);
    const large = await dispatchesPerIteration(sweep(six, 48), 2);
    expect(large).toBe(small);
    // gather + 2 x (forward L + loss) + backward (2L - 1) + six optimizer dispatches, L = 2.
    expect(small).toBe(1 + 2 * 3 + 3 + 6);
  });

  it('drops an inactive racer from its optimizer dispatch, and a whole optimizer when none of its racers steps', async (ctx) => {
    if (!webgpu.device) return ctx.skip();
    const race = resolveRace({
      ...tiny,
      iterations: 9,
      racers: [{ optimizer: 'sgd', hyperparameters: { lr: 0.05 } }, { optimizer: 'sgd', hyperparameters: { lr: 0.1 } }, { optimizer: 'adam' }],
    });
    const gpu = new GpuRaceBackend(webgpu.pipelines, race, data);
    const cpu = new CpuRaceBackend(race, data);
    // As the engine does once racers diverge: the first sgd racer, then Adam too, stop stepping.
    const chunks = [
      { first: 0, count: 3, active: [true, true, true], optimizerDispatches: 2 },
      { first: 3, count: 3, active: [false, true, true], optimizerDispatches: 2 },
      { first: 6, count: 3, active: [false, true, false], optimizerDispatches: 1 },
    ];
    try {
      for (const { optimizerDispatches, ...chunk } of chunks) {
        const request = { ...chunk, evaluate: false };
        const before = gpu.stats.dispatches;
        const [g, c] = await Promise.all([gpu.run(request), cpu.run(request)]);
        // gather + 2 x (forward L + loss) + backward (2L - 1), L = 2, then the optimizers.
        expect((gpu.stats.dispatches - before) / chunk.count).toBe(10 + optimizerDispatches);
        g.losses.forEach((loss, k) => expect(Math.abs(loss - c.losses[k]), `chunk ${chunk.first} loss ${k}`).toBeLessThan(2e-4 * Math.max(1, c.losses[k])));
      }
    } finally {
      gpu.destroy();
      cpu.destroy();
    }
  });
});
