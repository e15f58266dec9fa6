/**
 * A search race (issue 21, src/race/search-race.ts): the validation split, the trials expanded by
 * resolveRace, and one small search race with a validation set on every engine (float64 CPU, wasm,
 * WebGPU), which must agree (as test/chapter6-engines.test.ts): validation and training accuracy
 * per epoch, never the test set; then "Test the best" on each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RaceBackend } from '../src/race/backend';
import { checkRaceSettings, kSeedRace, resolveRace, type RaceConfig, type ResolvedRace } from '../src/race/config';
import { CpuRaceBackend } from '../src/race/cpu-backend';
import type { RaceData } from '../src/race/dataset';
import { RaceEngine, type RacerHistory } from '../src/race/engine';
import { GpuRaceBackend, RacePipelines } from '../src/race/gpu-backend';
import { testBest, trialRecords, type TestedTrial } from '../src/race/search-race';
import { splitTrainingImages, validationPermutation, validationProblem } from '../src/race/validation-split';
import { bestLines, parseSearchSpec, rankTrials } from '../src/optim/sweep';
import { WasmRaceBackend } from '../src/wasm/wasm-backend';
import { relativeError } from './fixtures/every-optimizer-race';
import { syntheticRaceData } from './fixtures/synthetic-race-data';
import { testDevice } from './gpu';

let device: GPUDevice | undefined;
beforeAll(async () => {
  device = await testDevice();
});
afterAll(() => device?.destroy());

const data = syntheticRaceData(120, 31);
/** The same data with a test set of garbage: a search race must not notice it. */
const blindData: RaceData = { ...data, testImages: new Uint8Array(data.testImages.length).fill(255), testLabels: new Uint8Array(data.testCount).fill(3) };

/** 6 trials of SGD over lr and λ, 50 images of which 0.2 (10) held out, 3 epochs of 40 in batches of 8. */
const search: RaceConfig = {
  ...kSeedRace,
  sizes: [784, 9, 6, 10],
  batchSize: 8,
  seed: 41,
  trainLimit: 50,
  validation: 0.2,
  epochs: 3,
  trainAccuracy: true,
  racers: [],
  search: { spec: parseSearchSpec('lr=1e-3..0.5:log,l2=1e-6..1e-2:log'), trials: 6, base: { optimizer: 'sgd' } },
};

describe('the validation split', () => {
  it('shuffles the limited set by the seed and holds out floor(share · N) images after the trained ones', () => {
    const order = validationPermutation(50, 41);
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect([...validationPermutation(50, 41)]).toEqual([...order]);
    expect([...validationPermutation(50, 42)]).not.toEqual([...order]);
    const split = splitTrainingImages(data.trainImages, data.trainLabels, 50, 10, 41);
    // The book's x_val = shuffled[:10], x_train = shuffled[10:]: trained rows first here.
    expect([...split.order]).toEqual([...order.subarray(10), ...order.subarray(0, 10)]);
    const moved = new Uint8Array(50 * 784);
    split.order.forEach((from, row) => moved.set(data.trainImages.subarray(from * 784, from * 784 + 784), row * 784));
    expect(Buffer.from(split.images).equals(Buffer.from(moved))).toBe(true);
    expect([...split.labels]).toEqual([...split.order].map((from) => data.trainLabels[from]));
  });

  it('refuses a share that leaves no training or no validation image, one message each', () => {
    expect(validationProblem(0.2, 500)).toBeNull();
    expect(validationProblem(0, 500)).toMatch(/between 0 and 1.*holds out no validation image; got 0$/);
    expect(validationProblem(1, 500)).toMatch(/between 0 and 1.*leaves no training image; got 1$/);
    expect(validationProblem(Number.NaN)).toMatch(/between 0 and 1 \(e\.g\. 0\.2\); got NaN$/);
    expect(validationProblem(0.01, 50)).toMatch(/^validation 0\.01 of 50 training images holds out none/);
    expect(() => resolveRace({ ...search, validation: 0.001 }, data.trainCount)).toThrow(/holds out none/);
  });
});

describe('a search race resolved', () => {
  it('races the trials as racers, trains on (1 − share) · N images and keeps the draws', () => {
    const race = resolveRace(search, data.trainCount);
    expect([race.trainSize, race.validationSize]).toEqual([40, 10]);
    // 3 epochs of 40 / 8 = 5 iterations, records after 1, 6, 11 updates.
    expect([race.config.iterations, race.evaluations]).toEqual([15, [1, 6, 11]]);
    expect(race.racers.map((r) => r.name)).toEqual(['trial 1', 'trial 2', 'trial 3', 'trial 4', 'trial 5', 'trial 6']);
    expect(race.trials?.map((t) => t.number)).toEqual([1, 2, 3, 4, 5, 6]);
    race.racers.forEach((r, k) => {
      const values = race.trials?.[k].values ?? {};
      expect([r.spec.id, r.hyper.lr, r.l2]).toEqual(['sgd', values.lr, values.l2]);
      expect(values.lr).toBeGreaterThanOrEqual(1e-3);
      expect(values.lr).toBeLessThan(0.5);
    });
  });

  it('refuses racers beside a search, and more trials than the racer limit with the limit in the message', () => {
    expect(() => resolveRace({ ...search, racers: [{ optimizer: 'adam' }] }, data.trainCount)).toThrow(
      /racers are its trials: give a search or 1 racers, not both/,
    );
    expect(() => resolveRace({ ...search, search: { ...search.search!, trials: 129 } }, data.trainCount)).toThrow(
      'search: at most 128 trials (the racer limit: each trial is a racer of one race), got 129',
    );
    expect(() => resolveRace({ ...search, search: { ...search.search!, spec: parseSearchSpec('beta1=0.8..0.9') } }, data.trainCount)).toThrow(
      /SGD has no hyperparameter 'beta1'/,
    );
    // The UI's check: the same messages under `racers`, nothing thrown.
    expect(checkRaceSettings({ ...search, search: { ...search.search!, trials: 200 } }).racers).toMatch(/at most 128 trials/);
    expect(checkRaceSettings({ ...search, search: { ...search.search!, base: { optimizer: 'sgd', hyperparameters: { momentum: 0.9 } } } }).racers).toMatch(
      /momentum/,
    );
    expect(checkRaceSettings(search)).toEqual({});
  });
});

async function runSearch(
  build: (r: ResolvedRace) => Promise<RaceBackend>,
  config = search,
  raceData: RaceData = data,
): Promise<{ history: RacerHistory[]; tested: TestedTrial[] }> {
  const resolved = resolveRace(config, raceData.trainCount);
  const engine = new RaceEngine(resolved, await build(resolved));
  try {
    await engine.start();
    return { history: engine.history, tested: await testBest(engine, 3) };
  } finally {
    engine.destroy();
  }
}

function expectSameSearch(actual: RacerHistory[], reference: RacerHistory[], engine: string): void {
  actual.forEach((h, r) => {
    const ref = reference[r];
    const what = `${engine}, ${ref.name}`;
    expect(h.trial, what).toEqual(ref.trial);
    expect(relativeError(h.losses, ref.losses), what).toBeLessThan(1e-3);
    expect(h.accuracy.map((a) => [a.iteration, a.epoch, a.test])).toEqual(ref.accuracy.map((a) => [a.iteration, a.epoch, undefined]));
    h.accuracy.forEach((a, k) => {
      expect(Math.abs((a.validation ?? Number.NaN) - (ref.accuracy[k].validation ?? Number.NaN)), `${what} validation at ${a.iteration}`).toBeLessThanOrEqual(
        0.002,
      );
      expect(Math.abs((a.train ?? Number.NaN) - (ref.accuracy[k].train ?? Number.NaN)), `${what} train at ${a.iteration}`).toBeLessThanOrEqual(0.002);
    });
  });
}

describe('a search race with a validation set on every engine', () => {
  it('CPU, wasm and WebGPU record the same validation and training accuracy, never the test set, and test the same best', async () => {
    const cpu = await runSearch(async (r) => new CpuRaceBackend(r, data));
    expect(cpu.history[0].accuracy.map((a) => Object.keys(a).sort())).toEqual(Array(3).fill(['epoch', 'iteration', 'train', 'validation']));
    // Accuracies are counts over 40 trained and 10 held-out images.
    for (const h of cpu.history) for (const a of h.accuracy) expect([(a.train ?? 0) * 40, (a.validation ?? 0) * 10].every(Number.isInteger)).toBe(true);
    // The test set is not touched during the race: garbage test images change nothing before "Test the best".
    const blind = await runSearch(async (r) => new CpuRaceBackend(r, blindData), search, blindData);
    expect(blind.history.map((h) => h.accuracy)).toEqual(cpu.history.map((h) => h.accuracy));
    // "Test the best": the 3 best by final validation accuracy, measured on the 31 test images.
    const ranked = rankTrials(trialRecords(cpu.history)).slice(0, 3);
    expect(cpu.tested.map((t) => [t.rank, t.number, t.iteration])).toEqual(ranked.map((t, k) => [k + 1, t.number, 15]));
    for (const t of cpu.tested) expect(Number.isInteger(t.test * 31)).toBe(true);

    const wasm = await runSearch((r) => WasmRaceBackend.create(r, data, { threads: 1 }));
    expectSameSearch(wasm.history, cpu.history, 'wasm');
    expect(wasm.tested.map((t) => t.number)).toEqual(cpu.tested.map((t) => t.number));
    wasm.tested.forEach((t, k) => expect(Math.abs(t.test - cpu.tested[k].test)).toBeLessThanOrEqual(0.002 + 1 / 31));
    if (!device) throw new Error('no WebGPU adapter: the WebGPU engine is not compared');
    const gpuDevice = device;
    const gpu = await runSearch(async (r) => new GpuRaceBackend(new RacePipelines(gpuDevice), r, data));
    expectSameSearch(gpu.history, cpu.history, 'WebGPU');
    gpu.tested.forEach((t, k) => expect(Math.abs(t.test - cpu.tested[k].test)).toBeLessThanOrEqual(0.002 + 1 / 31));
  }, 120_000);

  it("tests a race without validation on the test set: the last checkpoint's test accuracy, on every engine", async () => {
    const plain: RaceConfig = { ...search, validation: undefined, trainAccuracy: false };
    const check = async (build: (r: ResolvedRace) => Promise<RaceBackend>) => {
      const resolved = resolveRace(plain, data.trainCount);
      const engine = new RaceEngine(resolved, await build(resolved));
      try {
        await engine.start();
        const last = engine.history.map((h) => h.accuracy.at(-1)?.test);
        expect(await engine.testAccuracy([4, 0])).toEqual([last[4], last[0]]);
      } finally {
        engine.destroy();
      }
    };
    await check(async (r) => new CpuRaceBackend(r, data));
    await check((r) => WasmRaceBackend.create(r, data, { threads: 1 }));
    if (device) {
      const gpuDevice = device;
      await check(async (r) => new GpuRaceBackend(new RacePipelines(gpuDevice), r, data));
    }
  }, 60_000);
});

describe("a search's records", () => {
  it("carry each trial's draw and last accuracies, ranked and printed by the search report", async () => {
    const { history } = await runSearch(async (r) => new CpuRaceBackend(r, data));
    const records = trialRecords(history);
    expect(records.map((t) => [t.number, t.racer, t.name, t.values])).toEqual(history.map((h, r) => [r + 1, r, h.name, h.trial?.values]));
    records.forEach((t, r) =>
      expect([t.validation, t.train, t.divergedAt]).toEqual([history[r].accuracy.at(-1)?.validation, history[r].accuracy.at(-1)?.train, null]),
    );
    const lines = bestLines(records, 2);
    expect(lines[0]).toMatch(/^Best-1 \(val acc: \d\.\d\d\) \| lr: [\d.e-]+, weight decay: [\d.e-]+$/);
    expect(trialRecords(history.map((h) => ({ ...h, trial: undefined })))).toEqual([]);
  });
});
