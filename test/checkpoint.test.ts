/**
 * A race checkpointed and resumed (issue 22, src/race/checkpoint.ts) on every engine: a race of
 * plain, bn (Adam: two state vectors), dropout and scheduled racers stopped after 5 of 9
 * iterations, written to a checkpoint, loaded into a new engine of the same race and run to the end
 * records exactly the losses and accuracies of the race run straight through. And what a
 * checkpoint refuses: another race's, a plain weights file, a tensor of the wrong shape.
 * GPU: skipped without an adapter, except under CI=true.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors } from '../src/data/safetensors';
import { kSeedRace, resolveRace, type RaceConfig } from '../src/race/config';
import { raceCheckpoint, resumeCheckpoint } from '../src/race/checkpoint';
import { RaceEngine, type RacerHistory } from '../src/race/engine';
import { raceWeightsFiles } from '../src/race/weights';
import { type BuildBackend, raceEngines } from './fixtures/race-engines';
import { syntheticRaceData } from './fixtures/synthetic-race-data';
import { testDevice } from './gpu';

let device: GPUDevice | undefined;
beforeAll(async () => {
  device = await testDevice();
});
afterAll(() => device?.destroy());

const data = syntheticRaceData(80, 30);
const config: RaceConfig = {
  ...kSeedRace,
  sizes: [784, 6, 5, 10],
  batchSize: 5,
  seed: 21,
  iterations: 9,
  evalEvery: 3,
  racers: [
    { optimizer: 'sgd', hyperparameters: { lr: 0.1 }, schedule: { kind: 'cosine', floor: 0.01 } },
    { optimizer: 'adam', bn: true },
    { optimizer: 'momentum', dropout: 0.3, l2: 0.01 },
    { optimizer: 'rmsprop', bn: true, dropout: 0.1 },
  ],
};

const engines = raceEngines(data, () => device);

async function engineOf(build: BuildBackend, of: RaceConfig = config): Promise<RaceEngine> {
  const race = resolveRace(of, data.trainCount);
  return new RaceEngine(race, await build(race));
}

const record = (history: readonly RacerHistory[]) => history.map((h) => ({ losses: h.losses, accuracy: h.accuracy, diverged: h.diverged }));

describe('a race checkpointed and resumed', () => {
  for (const [name, build] of engines) {
    it(`${name}: continues at the next iteration with the uninterrupted race's losses and accuracies`, async (ctx) => {
      if (name === 'webgpu' && !device) {
        if (process.env.CI === 'true') throw new Error('no GPU adapter');
        return ctx.skip();
      }
      const straight = await engineOf(build);
      await straight.start();
      const expected = record(straight.history);
      straight.destroy();

      const first = await engineOf(build);
      for (let i = 0; i < 5; i++) await first.step();
      const bytes = await raceCheckpoint(first, 'synthetic');
      first.destroy();
      const file = decodeSafetensors(bytes);
      expect(file.metadata).toMatchObject({ format: 'optimizer-race checkpoint 1', iteration: '5', dtype: name === 'cpu' ? 'F64' : 'F32' });
      // Adam's two state vectors under its weights' names; SGD has none.
      expect(file.tensors.get('racer1.state.v.3.weight')?.shape).toEqual([5, 6]);
      expect(file.tensors.get('racer1.1.running_var')?.shape).toEqual([6]);
      expect([...file.tensors.keys()].filter((n) => n.startsWith('racer0.state.'))).toEqual([]);

      const resumed = await engineOf(build);
      await resumeCheckpoint(resumed, bytes, 'race.safetensors');
      expect([resumed.iteration, resumed.status]).toEqual([5, 'paused']);
      await resumed.start();
      expect(record(resumed.history)).toEqual(expected);
      resumed.destroy();
    });
  }

  it('refuses another race, a weights file and a tensor of the wrong shape, and the race is untouched', async () => {
    const engine = await engineOf(engines[0][1]);
    await engine.step();
    const bytes = await raceCheckpoint(engine);
    const [weights] = await raceWeightsFiles(engine, 0);
    engine.destroy();

    const other = await engineOf(engines[0][1], { ...config, seed: 22 });
    await expect(resumeCheckpoint(other, bytes, 'c.safetensors')).rejects.toThrow(
      "c.safetensors: the checkpoint is of another race (its settings or racers differ from this one's)",
    );
    const fresh = await engineOf(engines[0][1]);
    await expect(resumeCheckpoint(fresh, weights.bytes, 'w.safetensors')).rejects.toThrow(
      'w.safetensors: not a race checkpoint (its __metadata__ format is "optimizer-race weights 1", not "optimizer-race checkpoint 1")',
    );
    const { tensors, metadata } = decodeSafetensors(bytes);
    const wrong = [...tensors].map(([name, t]) =>
      name === 'racer2.3.bias' ? { name, dtype: t.dtype, shape: [4], data: new Float64Array(4) } : { name, ...t },
    );
    await expect(resumeCheckpoint(fresh, encodeSafetensors(wrong, metadata), 'c.safetensors')).rejects.toThrow(
      'c.safetensors: racer 2 (Momentum): tensor 3.bias is [4]; the network 784-6-5-10 needs [5]',
    );
    expect([fresh.iteration, fresh.status, fresh.history[0].losses]).toEqual([0, 'idle', []]);
    other.destroy();
    fresh.destroy();
  });
});
