/**
 * The WebGPU race with chapter 6's racer options (bn, dropout, l2), a training limit and training
 * accuracy, against each racer computed on its own in float64 by src/nn/regularized-mlp.ts (the
 * book's MultiLayerNetExtend) in this file: the same batches (batchIndices over the first
 * `trainLimit` images), the same initial parameters (initParams of the race's batch-norm layout),
 * the same dropout masks (dropoutMasks at (seed, racer index, 0-based iteration)), the racer's
 * optimizer rule in float64 over its whole parameter block (W, b, γ, β), and the recorded loss in
 * evaluation mode plus the L2 term (evaluationLoss). Tolerances as test/race-gpu.test.ts's.
 * Tiny odd sizes (lavapipe is slow): hidden 5 and 7, batch 5, 5 racers, 7 iterations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callCounts, countsSince, installCallCounters } from '../bench/call-counters';
import { batchIndices, sequentialIndices } from '../src/nn/batch';
import { networkLayout, type NetworkLayout } from '../src/nn/layout';
import { initParams } from '../src/nn/model';
import { gather } from '../src/nn/reference';
import {
  accuracy,
  dropoutMasks,
  emptyParams,
  evaluationLoss,
  gradient,
  initialRunningStats,
  type RegularizedMlpGradients,
  type RegularizedMlpOptions,
  type RegularizedMlpParams,
} from '../src/nn/regularized-mlp';
import { scheduledHyperparameters } from '../src/optim/schedule';
import { kSeedRace, resolveRace, type RaceConfig, type RacerConfig } from '../src/race/config';
import { initSeed, kPixels, raceTrainCount, type RaceData } from '../src/race/dataset';
import { RaceEngine } from '../src/race/engine';
import { GpuRaceBackend, RacePipelines } from '../src/race/gpu-backend';
import { syntheticRaceData } from './fixtures/synthetic-race-data';
import { testDevice } from './gpu';

let device: GPUDevice | undefined;
let pipelines: RacePipelines;
beforeAll(async () => {
  device = await testDevice();
  if (device) pipelines = new RacePipelines(device);
});
afterAll(() => device?.destroy());

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

interface RacerRecord {
  losses: number[];
  test: number[];
  train: number[];
}

/** A racer's params from its block of the race's layout (W and b where the plain layout has them, γ and β at their offsets). */
function unpack(layout: NetworkLayout, options: RegularizedMlpOptions, block: Float64Array): RegularizedMlpParams {
  const params = emptyParams(options);
  const end = layout.batchNorm[0]?.gammaOffset ?? layout.paramsPerRacer;
  params.weights.set(block.subarray(0, Math.min(end, params.weights.length)));
  layout.batchNorm.forEach((bn, l) => {
    if (!options.bn) return;
    params.gamma[l].set(block.subarray(bn.gammaOffset, bn.gammaOffset + params.gamma[l].length));
    params.beta[l].set(block.subarray(bn.betaOffset, bn.betaOffset + params.beta[l].length));
  });
  return params;
}

function pack(layout: NetworkLayout, grads: RegularizedMlpGradients): Float64Array {
  const block = new Float64Array(layout.paramsPerRacer);
  const end = layout.batchNorm[0]?.gammaOffset ?? layout.paramsPerRacer;
  block.set(grads.weights.subarray(0, end));
  grads.gamma.forEach((dGamma, l) => block.set(dGamma, layout.batchNorm[l].gammaOffset));
  grads.beta.forEach((dBeta, l) => block.set(dBeta, layout.batchNorm[l].betaOffset));
  return block;
}

/** Every racer of the race, each on its own in float64. */
function referenceRace(config: RaceConfig, set: RaceData): RacerRecord[] {
  const race = resolveRace(config, set.trainCount);
  const { sizes, seed, batchSize: N, iterations } = race.config;
  const trainCount = raceTrainCount(config.trainLimit, set);
  const layout = networkLayout(sizes, { batchNorm: race.batchNorm });
  const test = gather(set.testImages, set.testLabels, sequentialIndices(0, set.testCount), kPixels);
  const train = gather(set.trainImages.subarray(0, trainCount * kPixels), set.trainLabels.subarray(0, trainCount), sequentialIndices(0, trainCount), kPixels);
  return race.racers.map((racer, r) => {
    const options: RegularizedMlpOptions = { sizes, activation: racer.activation, bn: racer.bn, dropout: racer.dropout, l2: racer.l2 };
    const block = Float64Array.from(initParams(layout, racer.init, initSeed(seed)));
    const state = racer.spec.state.map(() => new Float64Array(layout.paramsPerRacer));
    let running = initialRunningStats(options);
    const record: RacerRecord = { losses: [], test: [], train: [] };
    for (let it = 0; it < iterations; it++) {
      const { X, labels } = gather(set.trainImages, set.trainLabels, batchIndices(seed, it, N, trainCount), kPixels);
      const masks = dropoutMasks(options, { seed, racer: r, iteration: it }, N);
      const step = gradient(options, unpack(layout, options, block), X, labels, N, running, masks);
      running = step.running;
      const t = it + 1;
      racer.spec.reference(block, pack(layout, step.grads), state, scheduledHyperparameters(racer.hyper, racer.schedule, t, iterations), t);
      const params = unpack(layout, options, block);
      record.losses.push(evaluationLoss(options, params, running, X, labels, N));
      if (race.evaluations.includes(t)) {
        record.test.push(accuracy(options, params, running, test.X, test.labels, set.testCount));
        record.train.push(accuracy(options, params, running, train.X, train.labels, trainCount));
      }
    }
    return record;
  });
}

describe('the WebGPU race with bn, dropout and l2 racers', () => {
  it("gives each racer's float64 losses, test and training accuracies (training limit 97, odd sizes)", async (ctx) => {
    if (!device) return ctx.skip();
    const engine = RaceEngine.create(mixed, (race) => new GpuRaceBackend(pipelines, race, data), data.trainCount);
    await engine.start();
    expect(engine.status).toBe('finished');
    const expected = referenceRace(mixed, data);
    engine.history.forEach((h, r) => {
      const want = expected[r];
      expect(h.losses).toHaveLength(mixed.iterations);
      h.losses.forEach((loss, i) => expect(Math.abs(loss - want.losses[i]), `${h.name} loss ${i}`).toBeLessThan(2e-4 * Math.max(1, want.losses[i])));
      expect(h.accuracy.map((a) => a.iteration)).toEqual([3, 6, 7]);
      h.accuracy.forEach((a, k) => {
        expect(a.test, `${h.name} test accuracy ${k}`).toBeCloseTo(want.test[k], 2);
        expect(a.train, `${h.name} training accuracy ${k}`).toBeCloseTo(want.train[k], 2);
      });
    });
    engine.destroy();
  });

  it("counts dispatches per iteration: a plain race's as before, + 3 per hidden layer with bn, + 1 with l2, + 0 with dropout", async (ctx) => {
    if (!device) return ctx.skip();
    installCallCounters();
    const L = mixed.sizes.length - 1;
    const plainRace = 4 * L + 2; // gather, 2 x (forward L + loss), backward 2L - 1, before the optimizers
    const perIteration = async (racers: RacerConfig[]): Promise<number> => {
      const race = resolveRace({ ...mixed, iterations: 2, trainAccuracy: false, racers }, data.trainCount);
      const backend = new GpuRaceBackend(pipelines, race, data);
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
    if (!device) return ctx.skip();
    const config: RaceConfig = { ...mixed, iterations: 4, evalEvery: 4, racers: [kRacers[1], kRacers[4]] };
    const engine = RaceEngine.create(config, (race) => new GpuRaceBackend(pipelines, race, data), data.trainCount);
    await engine.start();
    const first = engine.history.map((h) => ({ losses: h.losses.slice(), accuracy: h.accuracy.slice() }));
    await engine.reset();
    await engine.start();
    // The recorded loss is in evaluation mode: statistics carried over from the first run would change it.
    expect(engine.history.map((h) => ({ losses: h.losses, accuracy: h.accuracy }))).toEqual(first);
    engine.destroy();
  });
});
