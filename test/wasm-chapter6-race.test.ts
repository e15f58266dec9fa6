/**
 * The WebAssembly race with chapter 6's options (bn, dropout, l2), a training limit and training
 * accuracy, against per-racer float64 computations written here on src/nn/regularized-mlp.ts (the
 * semantics every engine follows): the same batches (batchIndices over the first trainLimit images),
 * the same initial parameters (initParams of the race's layout, γ = 1), the same dropout masks
 * (dropoutMasks at seed, racer index, 0-based iteration) and each optimizer's float64 reference
 * rule stepping the racer's whole block (W, b, γ, β), the recorded loss in evaluation mode after
 * the update and both accuracies in evaluation mode. Small odd sizes so every SIMD tail runs.
 */
import { describe, expect, it } from 'vitest';
import { batchIndices, sequentialIndices } from '../src/nn/batch';
import type { RunningStats } from '../src/nn/batch-norm-reference';
import { networkLayout } from '../src/nn/layout';
import { initParams } from '../src/nn/model';
import { gather } from '../src/nn/reference';
import {
  accuracy,
  dropoutMasks,
  evaluationLoss,
  gradient,
  initialRunningStats,
  type RegularizedMlpOptions,
  type RegularizedMlpParams,
} from '../src/nn/regularized-mlp';
import { scheduledHyperparameters } from '../src/optim/schedule';
import { resolveRace, type RaceConfig, type ResolvedRace } from '../src/race/config';
import { initSeed, kPixels, raceTrainCount, type RaceData } from '../src/race/dataset';
import { WasmRaceBackend } from '../src/wasm/wasm-backend';
import { relativeError } from './fixtures/every-optimizer-race';
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

interface Expected {
  losses: Float64Array;
  accuracy: number[];
  trainAccuracy: number[];
}

/** Each racer of the race trained alone in float64 for `count` iterations, as the book's network. */
function float64Race(race: ResolvedRace, raceData: RaceData, count: number): Expected {
  const { sizes, batchSize: N, seed, iterations } = race.config;
  const trainCount = raceTrainCount(race.config.trainLimit, raceData);
  const layout = networkLayout(sizes, { batchNorm: race.batchNorm });
  const plainSize = networkLayout(sizes).paramsPerRacer;
  const P = layout.paramsPerRacer;
  const R = race.racers.length;
  const test = gather(raceData.testImages, raceData.testLabels, sequentialIndices(0, raceData.testCount), kPixels);
  const train = gather(raceData.trainImages, raceData.trainLabels, sequentialIndices(0, trainCount), kPixels);
  const expected: Expected = { losses: new Float64Array(count * R), accuracy: [], trainAccuracy: [] };
  race.racers.forEach((racer, r) => {
    const options: RegularizedMlpOptions = { sizes, activation: racer.activation, bn: racer.bn, dropout: racer.dropout, l2: racer.l2 };
    const block = Float64Array.from(initParams(layout, racer.init, initSeed(seed)));
    // Views into the block, so the optimizer's step over the block moves W, b, γ and β together.
    const hidden = racer.bn ? layout.batchNorm.map((bn, l) => ({ bn, O: sizes[l + 1] })) : [];
    const params: RegularizedMlpParams = {
      weights: block.subarray(0, plainSize),
      gamma: hidden.map(({ bn, O }) => block.subarray(bn.gammaOffset, bn.gammaOffset + O)),
      beta: hidden.map(({ bn, O }) => block.subarray(bn.betaOffset, bn.betaOffset + O)),
    };
    const state = racer.spec.state.map(() => new Float64Array(P));
    let running: RunningStats[] = initialRunningStats(options);
    for (let i = 0; i < count; i++) {
      const { X, labels } = gather(raceData.trainImages, raceData.trainLabels, batchIndices(seed, i, N, trainCount), kPixels);
      const masks = dropoutMasks(options, { seed, racer: r, iteration: i }, N);
      const step = gradient(options, params, X, labels, N, running, masks);
      running = step.running;
      const grads = new Float64Array(P);
      grads.set(step.grads.weights);
      hidden.forEach(({ bn }, l) => {
        grads.set(step.grads.gamma[l], bn.gammaOffset);
        grads.set(step.grads.beta[l], bn.betaOffset);
      });
      const t = i + 1;
      racer.spec.reference(block, grads, state, scheduledHyperparameters(racer.hyper, racer.schedule, t, iterations), t);
      expected.losses[i * R + r] = evaluationLoss(options, params, running, X, labels, N);
    }
    expected.accuracy.push(accuracy(options, params, running, test.X, test.labels, raceData.testCount));
    expected.trainAccuracy.push(accuracy(options, params, running, train.X, train.labels, trainCount));
  });
  return expected;
}

describe('WasmRaceBackend with batch norm, dropout and L2', () => {
  it.each([
    { sizes: [784, 5, 7, 10], batch: 5, threads: 1 },
    { sizes: [784, 7, 5, 10], batch: 3, threads: 2 },
  ])('matches the float64 network per racer: hidden $sizes, batch $batch, $threads thread(s)', async ({ sizes, batch, threads }) => {
    const race = resolveRace(mixedRace(sizes, batch, 11));
    const count = race.config.iterations;
    const expected = float64Race(race, data, count);
    const wasm = await WasmRaceBackend.create(race, data, { threads });
    const result = await wasm.run({ first: 0, count, active: race.racers.map(() => true), evaluate: true });
    wasm.destroy();
    expect(result.losses.every(Number.isFinite)).toBe(true);
    expect(relativeError(result.losses, expected.losses)).toBeLessThan(2e-3);
    // The dropout racers' losses move with their masks: a wrong mask would show beyond the bound.
    result.accuracy!.forEach((a, r) => expect(Math.abs(a - expected.accuracy[r]), `test accuracy of racer ${r}`).toBeLessThanOrEqual(2 / data.testCount));
    result.trainAccuracy!.forEach((a, r) => expect(Math.abs(a - expected.trainAccuracy[r]), `train accuracy of racer ${r}`).toBeLessThanOrEqual(2 / 41));
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
