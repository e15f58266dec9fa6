/**
 * The race worker (race-worker.ts through WorkerRaceBackend) with chapter 6's settings: epochs over
 * the whole training set (the page resolves them with the set's size, the worker again for the data
 * it is sent) and training accuracy, against the same race on the CPU backend in the page.
 */
import { describe, expect, it } from 'vitest';
import type { RaceConfig } from '../src/race/config';
import { CpuRaceBackend } from '../src/race/cpu-backend';
import { RaceEngine } from '../src/race/engine';
import { WorkerRaceBackend } from '../src/race/worker-backend';
import { syntheticRaceData } from './fixtures/synthetic-race-data';

const data = syntheticRaceData(14, 11);

// 14 images, batch 4: 3.5 iterations per epoch, 2 epochs = 7 iterations, records after 1 and 4.
const config: RaceConfig = {
  sizes: [784, 6, 10],
  iterations: 1,
  batchSize: 4,
  seed: 7,
  evalEvery: 1,
  epochs: 2,
  trainAccuracy: true,
  racers: [
    { optimizer: 'sgd', bn: true, hyperparameters: { lr: 0.1 } },
    { optimizer: 'adam', dropout: 0.25, l2: 0.05 },
  ],
};

describe('the race worker with chapter 6 settings', () => {
  it("runs the page's epochs and carries training accuracy back: the page's CPU race, number for number", async () => {
    const page = RaceEngine.create(config, (race) => new CpuRaceBackend(race, data), data.trainCount);
    let worker: RaceEngine | undefined;
    try {
      await page.start();
      const race = page.race;
      worker = new RaceEngine(race, await WorkerRaceBackend.create('cpu', race, data));
      await worker.start();
      expect(worker.iteration).toBe(7);
      expect(worker.history.map((h) => h.accuracy.map((a) => [a.iteration, a.epoch, typeof a.train]))).toEqual([
        [
          [1, 0, 'number'],
          [4, 1, 'number'],
        ],
        [
          [1, 0, 'number'],
          [4, 1, 'number'],
        ],
      ]);
      expect(worker.history.map((h) => ({ losses: h.losses, accuracy: h.accuracy }))).toEqual(
        page.history.map((h) => ({ losses: h.losses, accuracy: h.accuracy })),
      );
    } finally {
      page.destroy();
      worker?.destroy();
    }
  });
});
