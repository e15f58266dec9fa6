/**
 * The float64 CPU race with chapter 6's options (bn, dropout, l2, trainLimit, trainAccuracy,
 * epochs), against each racer computed on its own with the regularized-MLP reference
 * (src/nn/regularized-mlp.ts, checked against the book and central differences in
 * nn-regularization-reference.test.ts) by test/fixtures/chapter6-reference-race.ts, which steps
 * W, γ and β as separate arrays, so the backend's one-block layout is checked too.
 */
import { describe, expect, it } from 'vitest';
import type { ChunkResult } from '../src/race/backend';
import { resolveRace, type RaceConfig, type ResolvedRace } from '../src/race/config';
import { CpuRaceBackend } from '../src/race/cpu-backend';
import { kPixels, type RaceData } from '../src/race/dataset';
import { kMaxLoss, RaceEngine } from '../src/race/engine';
import { batchNormBatchProblem, epochsProblem, trainLimitProblem } from '../src/race/network-settings';
import { resolveWorkerRace } from '../src/race/worker-protocol';
import { referenceRace } from './fixtures/chapter6-reference-race';
import { syntheticRaceData } from './fixtures/synthetic-race-data';

const data = syntheticRaceData(40, 31);

/** Plain, bn, dropout, l2, and all three at once, with different optimizers and activations. */
const mixed: RaceConfig = {
  sizes: [784, 7, 5, 10],
  iterations: 6,
  batchSize: 5,
  seed: 11,
  evalEvery: 3,
  trainLimit: 23,
  trainAccuracy: true,
  racers: [
    { optimizer: 'sgd', hyperparameters: { lr: 0.1 } },
    { optimizer: 'adam', bn: true, activation: 'tanh' },
    { optimizer: 'momentum', dropout: 0.3, hyperparameters: { lr: 0.05 } },
    { optimizer: 'adamw', l2: 0.1, bn: true, dropout: 0.2, init: 'xavier', activation: 'sigmoid' },
  ],
};

const allActive = (race: ResolvedRace) => race.racers.map(() => true);

async function runChunks(backend: CpuRaceBackend, race: ResolvedRace, sizes: number[]): Promise<ChunkResult[]> {
  const results: ChunkResult[] = [];
  let first = 0;
  for (const count of sizes) {
    results.push(await backend.run({ first, count, active: allActive(race), evaluate: race.evaluations.includes(first + count) }));
    first += count;
  }
  return results;
}

describe('the CPU race with bn, dropout and l2', () => {
  it("gives each racer's float64 losses and test and training accuracy, computed on its own", async () => {
    const race = resolveRace(mixed, data.trainCount);
    expect(race.batchNorm).toBe(true);
    const expected = referenceRace(race, data, 23);
    const results = await runChunks(new CpuRaceBackend(race, data), race, [3, 3]);
    const R = race.racers.length;
    results.forEach((result, c) => {
      for (let i = 0; i < 3; i++) {
        for (let r = 0; r < R; r++) expect(result.losses[i * R + r]).toBeCloseTo(Math.fround(expected.losses[c * 3 + i][r]), 6);
      }
      const checkpoint = expected.checkpoints.get(3 * (c + 1));
      expect(result.accuracy).toEqual(checkpoint?.test);
      expect(result.trainAccuracy).toEqual(checkpoint?.train);
      expect(result.predictions).toHaveLength(R);
    });
    // Not a vacuous comparison: the options change the numbers, and the l2 racer's loss carries its term.
    const first = Array.from(results[0].losses.subarray(0, R));
    expect(new Set(first).size).toBe(R);
    expect(results[1].trainAccuracy).not.toEqual(results[1].accuracy);
  });

  it('reset() starts over: the same losses again, the running statistics back at zero', async () => {
    const race = resolveRace(mixed, data.trainCount);
    const backend = new CpuRaceBackend(race, data);
    const once = await runChunks(backend, race, [2]);
    await runChunks(backend, race, [0]); // nothing
    await backend.reset();
    const again = await runChunks(backend, race, [2]);
    expect(Array.from(again[0].losses)).toEqual(Array.from(once[0].losses));
  });

  it('draws batches from the first trainLimit images only: the same race as on a set of just those images', async () => {
    const config: RaceConfig = { ...mixed, trainLimit: 13, iterations: 4, evalEvery: 4 };
    const cut: RaceData = { ...data, trainImages: data.trainImages.slice(0, 13 * kPixels), trainLabels: data.trainLabels.slice(0, 13), trainCount: 13 };
    const limited = resolveRace(config, data.trainCount);
    const whole = resolveRace({ ...config, trainLimit: undefined }, cut.trainCount);
    const [a] = await runChunks(new CpuRaceBackend(limited, data), limited, [4]);
    const [b] = await runChunks(new CpuRaceBackend(whole, cut), whole, [4]);
    expect(Array.from(a.losses)).toEqual(Array.from(b.losses));
    expect(a.trainAccuracy).toEqual(b.trainAccuracy);
    expect(a.accuracy).toEqual(b.accuracy);
  });

  it('measures training accuracy only when the race asks for it', async () => {
    const race = resolveRace({ ...mixed, trainAccuracy: undefined, iterations: 1, evalEvery: 1 });
    const [result] = await runChunks(new CpuRaceBackend(race, data), race, [1]);
    expect(result.accuracy).toHaveLength(race.racers.length);
    expect(result.trainAccuracy).toBeUndefined();
  });
});

describe('the engine on the CPU race with chapter 6 settings', () => {
  it("evaluates once per epoch, as the book's trainer, with the epoch and both accuracies in each checkpoint", async () => {
    // 20 images, batch 5: 4 iterations per epoch, 3 epochs = 12 iterations, records after 1, 5 and 9.
    const config: RaceConfig = { ...mixed, trainLimit: 20, epochs: 3, iterations: 1, evalEvery: 1 };
    const engine = RaceEngine.create(config, (race) => new CpuRaceBackend(race, data), data.trainCount);
    expect(engine.config.iterations).toBe(12);
    expect(engine.race.evaluations).toEqual([1, 5, 9]);
    const evaluated: number[] = [];
    engine.subscribe({ evaluation: (iteration, _test, _engine, train) => train && evaluated.push(iteration) });
    await engine.start();
    const expected = referenceRace(engine.race, data, 20);
    expect(evaluated).toEqual([1, 5, 9]);
    engine.history.forEach((h, r) => {
      expect(h.diverged).toBeNull();
      expect(h.losses).toHaveLength(12);
      h.losses.forEach((loss, i) => expect(loss).toBeCloseTo(Math.fround(expected.losses[i][r]), 6));
      expect(h.accuracy).toEqual(
        [1, 5, 9].map((iteration, epoch) => ({
          iteration,
          epoch,
          train: expected.checkpoints.get(iteration)?.train[r],
          test: expected.checkpoints.get(iteration)?.test[r],
        })),
      );
    });
    expect(engine.history[3]).toMatchObject({ bn: true, dropout: 0.2, l2: 0.1 });
  });

  it("does not mark an l2 racer diverged for a loss above cross-entropy's 16.12", async () => {
    // ½λ‖W‖² with λ = 1000 and He weights is in the thousands; lr 1e-5 keeps it finite.
    const config: RaceConfig = {
      ...mixed,
      trainAccuracy: false,
      iterations: 3,
      evalEvery: 3,
      racers: [
        { optimizer: 'sgd', l2: 1000, hyperparameters: { lr: 1e-5 } },
        { optimizer: 'sgd', hyperparameters: { lr: 1e-5 } },
      ],
    };
    const engine = RaceEngine.create(config, (race) => new CpuRaceBackend(race, data), data.trainCount);
    await engine.start();
    const [l2, plain] = engine.history;
    expect(l2.diverged).toBeNull();
    expect(Math.min(...l2.losses)).toBeGreaterThan(kMaxLoss);
    expect(l2.losses.every(Number.isFinite)).toBe(true);
    expect(l2.accuracy.map((a) => a.iteration)).toEqual([3]);
    expect(plain.diverged).toBeNull();
    expect(Math.max(...plain.losses)).toBeLessThan(kMaxLoss);
  });

  it('refuses a bad training limit, too many epochs and bn with a batch of one, each with its message', () => {
    const build = (race: ResolvedRace) => new CpuRaceBackend(race, data);
    const create = (config: RaceConfig, trainCount?: number) => () => RaceEngine.create(config, build, trainCount);
    expect(create({ ...mixed, trainLimit: 0 }, data.trainCount)).toThrow(trainLimitProblem(0, data.trainCount) ?? 'no problem?');
    expect(create({ ...mixed, trainLimit: 41 }, data.trainCount)).toThrow(trainLimitProblem(41, data.trainCount) ?? 'no problem?');
    // The set's size not given to the engine: the backend, which has the data, refuses it.
    expect(create({ ...mixed, trainLimit: 41 })).toThrow("the training limit of 41 images passes the training set's 40");
    expect(create({ ...mixed, trainLimit: 20, epochs: 300000 }, data.trainCount)).toThrow(epochsProblem(300000, 20, 5) ?? 'no problem?');
    expect(create({ ...mixed, batchSize: 1 }, data.trainCount)).toThrow(batchNormBatchProblem(true, 1) ?? 'no problem?');
    // And a race resolved for another training set (its epochs would fall elsewhere).
    const other = resolveRace({ ...mixed, trainLimit: undefined, epochs: 2 }, 30);
    expect(() => build(other)).toThrow('the race was resolved for 30 training images, the data gives 40');
  });
});

describe('the race worker', () => {
  it("resolves the page's race for the data it is sent, with the page's iterations and evaluations", () => {
    // The page resolved it without the set's size (no training limit, no epochs): the same points.
    const page = resolveRace({ ...mixed, trainLimit: undefined, iterations: 7 });
    const race = resolveWorkerRace({ config: page.config, evaluations: page.evaluations, data });
    expect(race.config.iterations).toBe(7);
    expect(race.evaluations).toEqual([3, 6, 7]);
    expect(race.trainSize).toBe(40);
    // Epochs over the whole set: the page's iterations are the epochs' ones, which the worker finds again.
    const epochs = resolveRace({ ...mixed, trainLimit: undefined, epochs: 2 }, data.trainCount);
    expect(resolveWorkerRace({ config: epochs.config, evaluations: epochs.evaluations, data }).evaluations).toEqual([1, 9]);
    // A page that resolved the epochs for another set is told, not silently given other points.
    const elsewhere = resolveRace({ ...mixed, trainLimit: undefined, epochs: 2 }, 30);
    expect(() => resolveWorkerRace({ config: elsewhere.config, evaluations: elsewhere.evaluations, data })).toThrow(
      'the race worker resolved the race to 16 iterations, evaluated after 1, 9; the page to 12 iterations, evaluated after 1, 7',
    );
  });
});
