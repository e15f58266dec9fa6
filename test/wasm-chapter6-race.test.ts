/**
 * The WebAssembly race with chapter 6's options (bn, dropout, l2), a training limit and training
 * accuracy, against each racer computed on its own in float64 on src/nn/regularized-mlp.ts (the
 * semantics every engine follows) by test/fixtures/chapter6-reference-race.ts: the same batches,
 * initial parameters, dropout masks and optimizer rules, the recorded loss in evaluation mode after
 * the update and both accuracies in evaluation mode. Small odd sizes so every SIMD tail runs.
 */
import { describe, expect, it } from 'vitest';
import { resolveRace, type RaceConfig, type ResolvedRace } from '../src/race/config';
import { raceTrainCount } from '../src/race/dataset';
import { WasmRaceBackend } from '../src/wasm/wasm-backend';
import { relativeError } from './fixtures/every-optimizer-race';
import { referenceRace } from './fixtures/chapter6-reference-race';
import { syntheticRaceData } from './fixtures/synthetic-race-data';

const data = syntheticRaceData(300, 37);

/** Plain, bn, dropout, l2 and all three, with different optimizers and activations. */
const mixedRace = (sizes: number[], batchSize: number, seed: number): RaceConfig => ({
  sizes,
  iterations: 10,
  batchSize,
  seed,
  evalEvery: 10,
  trainLimit: 41,
  trainAccuracy: true,
  racers: [
    { optimizer: 'sgd', hyperparameters: { lr: 0.1 } },
    { optimizer: 'adam', hyperparameters: { lr: 0.02 }, bn: true },
    { optimizer: 'momentum', activation: 'tanh', dropout: 0.3 },
    { optimizer: 'sgd', activation: 'sigmoid', hyperparameters: { lr: 0.5 }, l2: 0.1 },
    { optimizer: 'rmsprop', hyperparameters: { lr: 0.01 }, bn: true, dropout: 0.2, l2: 0.05 },
  ],
});

describe('WasmRaceBackend with batch norm, dropout and L2', () => {
  it.each([
    { sizes: [784, 5, 7, 10], batch: 5, threads: 1 },
    { sizes: [784, 7, 5, 10], batch: 3, threads: 2 },
  ])('matches the float64 network per racer: hidden $sizes, batch $batch, $threads thread(s)', async ({ sizes, batch, threads }) => {
    const race = resolveRace(mixedRace(sizes, batch, 11));
    const count = race.config.iterations;
    const expected = referenceRace(race, data, raceTrainCount(race.config.trainLimit, data));
    const final = expected.checkpoints.get(count);
    const wasm = await WasmRaceBackend.create(race, data, { threads });
    const result = await wasm.run({ first: 0, count, active: race.racers.map(() => true), evaluate: true });
    wasm.destroy();
    expect(result.losses.every(Number.isFinite)).toBe(true);
    expect(relativeError(result.losses, expected.losses.flat())).toBeLessThan(2e-3);
    // The dropout racers' losses move with their masks: a wrong mask would show beyond the bound.
    result.accuracy!.forEach((a, r) =>
      expect(Math.abs(a - (final?.test[r] ?? Number.NaN)), `test accuracy of racer ${r}`).toBeLessThanOrEqual(2 / data.testCount),
    );
    result.trainAccuracy!.forEach((a, r) => expect(Math.abs(a - (final?.train[r] ?? Number.NaN)), `train accuracy of racer ${r}`).toBeLessThanOrEqual(2 / 41));
  });

  it('gives bit-identical results on 1 and 2 threads, over chunks, with a frozen racer, and again after reset', async () => {
    const race = resolveRace(mixedRace([784, 7, 5, 10], 4, 5));
    const results = [];
    for (const threads of [1, 2]) {
      const wasm = await WasmRaceBackend.create(race, data, { threads });
      const first = await wasm.run({ first: 0, count: 3, active: race.racers.map((_, r) => r !== 4), evaluate: true });
      const second = await wasm.run({ first: 3, count: 2, active: race.racers.map(() => true), evaluate: true });
      await wasm.reset();
      const again = await wasm.run({ first: 0, count: 3, active: race.racers.map((_, r) => r !== 4), evaluate: true });
      wasm.destroy();
      expect(again).toEqual(first); // reset zeroes the running statistics too
      results.push({ first, second });
    }
    expect(results[1]).toEqual(results[0]);
  });

  it('runs a plain racer exactly as in a race without batch norm', async () => {
    const config = mixedRace([784, 5, 7, 10], 5, 9);
    const alone = resolveRace({ ...config, racers: [config.racers[0], config.racers[2]] });
    const mixed = resolveRace(config);
    const run = async (race: ResolvedRace) => {
      const wasm = await WasmRaceBackend.create(race, data);
      const result = await wasm.run({ first: 0, count: 4, active: race.racers.map(() => true), evaluate: true });
      wasm.destroy();
      return result;
    };
    const [a, m] = [await run(alone), await run(mixed)];
    // The plain racer (index 0 in both) gets the same numbers bit for bit.
    expect(Array.from({ length: 4 }, (_, i) => m.losses[i * 5])).toEqual(Array.from({ length: 4 }, (_, i) => a.losses[i * 2]));
    expect(m.accuracy![0]).toBe(a.accuracy![0]);
    expect(m.trainAccuracy![0]).toBe(a.trainAccuracy![0]);
  });
});
