/**
 * The WebGPU race with chapter 6's racer options (bn, dropout, l2), a training limit and training
 * accuracy, against each racer computed on its own in float64 by src/nn/regularized-mlp.ts (the
 * book's MultiLayerNetExtend) in test/fixtures/chapter6-reference-race.ts: the same batches, initial
 * parameters and dropout masks, the racer's optimizer rule in float64, and the recorded loss in
 * evaluation mode plus the L2 term. Tolerances as test/race-gpu.test.ts's.
 * Tiny odd sizes (lavapipe is slow): hidden 5 and 7, batch 5, 5 racers, 7 iterations.
 */
import { describe, expect, it } from 'vitest';
import { callCounts, countsSince, installCallCounters } from '../bench/call-counters';
import { kSeedRace, resolveRace, type RaceConfig, type RacerConfig } from '../src/race/config';
import { raceTrainCount } from '../src/race/dataset';
import { RaceEngine } from '../src/race/engine';
import { GpuRaceBackend } from '../src/race/gpu-backend';
import { referenceRace } from './fixtures/chapter6-reference-race';
import { syntheticRaceData } from './fixtures/synthetic-race-data';
import { gpuRacePipelines } from './fixtures/gpu-race-pipelines';

const webgpu = gpuRacePipelines();

const data = syntheticRaceData(300, 61);
const kRacers: RacerConfig[] = [
  { optimizer: 'sgd', hyperparameters: { lr: 0.1 } },
  { optimizer: 'momentum', bn: true, activation: 'sigmoid' },
  { optimizer: 'adam', dropout: 0.3, activation: 'tanh' },
  { optimizer: 'sgd', hyperparameters: { lr: 0.1 }, l2: 0.1 },
  { optimizer: 'sgd', hyperparameters: { lr: 0.05 }, bn: true, dropout: 0.2, l2: 0.05 },
];
const mixed: RaceConfig = {
  ...kSeedRace,
  sizes: [784, 5, 7, 10],
  iterations: 7,
  batchSize: 5,
  evalEvery: 3,
  seed: 1234,
  trainLimit: 97,
  trainAccuracy: true,
  racers: kRacers,
};

describe('the WebGPU race with bn, dropout and l2 racers', () => {
  it("gives each racer's float64 losses, test and training accuracies (training limit 97, odd sizes)", async (ctx) => {
    if (!webgpu.device) return ctx.skip();
    const engine = RaceEngine.create(mixed, (race) => new GpuRaceBackend(webgpu.pipelines, race, data), data.trainCount);
    await engine.start();
    expect(engine.status).toBe('finished');
    const expected = referenceRace(engine.race, data, raceTrainCount(mixed.trainLimit, data));
    engine.history.forEach((h, r) => {
      expect(h.losses).toHaveLength(mixed.iterations);
      h.losses.forEach((loss, i) => {
        const want = expected.losses[i][r];
        expect(Math.abs(loss - want), `${h.name} loss ${i}`).toBeLessThan(2e-4 * Math.max(1, want));
      });
      expect(h.accuracy.map((a) => a.iteration)).toEqual([3, 6, 7]);
      h.accuracy.forEach((a, k) => {
        const want = expected.checkpoints.get(a.iteration);
        expect(a.test, `${h.name} test accuracy ${k}`).toBeCloseTo(want?.test[r] ?? Number.NaN, 2);
        expect(a.train, `${h.name} training accuracy ${k}`).toBeCloseTo(want?.train[r] ?? Number.NaN, 2);
      });
    });
    engine.destroy();
  });

  it("counts dispatches per iteration: a plain race's as before, + 3 per hidden layer with bn, + 1 with l2, + 0 with dropout", async (ctx) => {
    if (!webgpu.device) return ctx.skip();
    installCallCounters();
    const L = mixed.sizes.length - 1;
    const plainRace = 4 * L + 2; // gather, 2 x (forward L + loss), backward 2L - 1, before the optimizers
    const perIteration = async (racers: RacerConfig[]): Promise<number> => {
      const race = resolveRace({ ...mixed, iterations: 2, trainAccuracy: false, racers }, data.trainCount);
      const backend = new GpuRaceBackend(webgpu.pipelines, race, data);
      try {
        const before = callCounts();
        await backend.run({ first: 0, count: 2, active: racers.map(() => true), evaluate: false });
        // What the backend says it recorded is what reached WebGPU.
        expect(countsSince(before).dispatches).toBe(backend.stats.dispatches);
        expect(backend.stats.dispatches).toBe(2 * backend.stats.iterationDispatches);
        return backend.stats.iterationDispatches;
      } finally {
        backend.destroy();
      }
    };
    const sgd = { optimizer: 'sgd' } as const;
    const adam = { optimizer: 'adam' } as const;
    expect(await perIteration([sgd, adam])).toBe(plainRace + 2);
    expect(await perIteration([sgd, { ...adam, dropout: 0.5 }])).toBe(plainRace + 2);
    expect(await perIteration([sgd, { ...sgd, l2: 0.1 }])).toBe(plainRace + 1 + 1);
    expect(await perIteration([sgd, { ...adam, bn: true }])).toBe(plainRace + 2 + 3 * (L - 1));
    expect(await perIteration(kRacers)).toBe(plainRace + 3 + 3 * (L - 1) + 1);
  });

  it('starts again from zero running statistics after reset(): the same losses and accuracies, bit for bit', async (ctx) => {
    if (!webgpu.device) return ctx.skip();
    const config: RaceConfig = { ...mixed, iterations: 4, evalEvery: 4, racers: [kRacers[1], kRacers[4]] };
    const engine = RaceEngine.create(config, (race) => new GpuRaceBackend(webgpu.pipelines, race, data), data.trainCount);
    await engine.start();
    const first = engine.history.map((h) => ({ losses: h.losses.slice(), accuracy: h.accuracy.slice() }));
    await engine.reset();
    await engine.start();
    // The recorded loss is in evaluation mode: statistics carried over from the first run would change it.
    expect(engine.history.map((h) => ({ losses: h.losses, accuracy: h.accuracy }))).toEqual(first);
    engine.destroy();
  });
});
