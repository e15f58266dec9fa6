/**
 * Learning-rate schedules in the engines: the 2D race's CPU reference against SGD stepped by hand,
 * the 2D race on WebGPU against the CPU, and the MNIST race's WebGPU backend against its CPU
 * backend, each with schedules (the scheduled lr goes into the per-step uniform, no extra dispatch).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuRaceBackend } from '../src/race/cpu-backend';
import { kSeedRace, type RaceConfig } from '../src/race/config';
import { RaceEngine } from '../src/race/engine';
import { GpuRaceBackend, RacePipelines } from '../src/race/gpu-backend';
import { runTrajectoryRaceCpu, runTrajectoryRaceGpu, TrajectoryPipelines, type TrajectoryConfig } from '../src/race2d/trajectory';
import { syntheticRaceData } from './fixtures/synthetic-race-data';
import { testDevice } from './gpu';

let device: GPUDevice | undefined;
beforeAll(async () => {
  device = await testDevice();
});
afterAll(() => device?.destroy());

describe('a schedule in the 2D race', () => {
  it('the CPU reference is SGD with lr_t, stepped by hand on the seed function', () => {
    const lr = 0.95;
    const steps = 6;
    // step(0.5, 2): lr_t = lr · 0.5^floor((t − 1)/2); f = x²/20 + y², ∇f = (x/10, 2y).
    const lrAt = (t: number) => lr * 0.5 ** Math.floor((t - 1) / 2);
    let [x, y] = [-7, 2];
    const expected: [number, number][] = [[x, y]];
    for (let t = 1; t <= steps; t++) {
      [x, y] = [x - lrAt(t) * (x / 10), y - lrAt(t) * (2 * y)];
      expected.push([x, y]);
    }
    const [result] = runTrajectoryRaceCpu({
      function: 'seed',
      start: [-7, 2],
      steps,
      racers: [{ optimizer: 'sgd', hyperparameters: { lr }, schedule: { kind: 'step', factor: 0.5, every: 2 } }],
    });
    expect(result.schedule).toEqual({ kind: 'step', factor: 0.5, every: 2 });
    result.path.forEach(([px, py], i) => {
      expect(px).toBeCloseTo(expected[i][0], 12);
      expect(py).toBeCloseTo(expected[i][1], 12);
    });
    // Step 1 at lr 0.95: y = 2 − 0.95·4 = −1.8; step 3 at lr 0.475: y₃ = y₂ − 0.475·2·y₂.
    expect(result.path[1][1]).toBeCloseTo(-1.8, 12);
  });

  it('cosine counts the race steps as its total: the last step is taken at the floor', () => {
    const lr = 0.5;
    const floor = 0.1;
    const steps = 4;
    const lrAt = (t: number) => floor + ((lr - floor) * (1 + Math.cos((Math.PI * (t - 1)) / (steps - 1)))) / 2;
    let y = 1;
    for (let t = 1; t <= steps; t++) y -= lrAt(t) * 2 * y;
    const [result] = runTrajectoryRaceCpu({
      function: 'seed',
      start: [0, 1],
      steps,
      racers: [{ optimizer: 'sgd', hyperparameters: { lr }, schedule: { kind: 'cosine', floor } }],
    });
    expect(result.path[steps][1]).toBeCloseTo(y, 12);
    expect(lrAt(steps)).toBeCloseTo(floor, 15);
  });

  it('rejects a schedule the racer cannot have', () => {
    const config: TrajectoryConfig = {
      function: 'seed',
      start: [-7, 2],
      steps: 3,
      racers: [{ optimizer: 'sgd', hyperparameters: { lr: 0.1 }, schedule: { kind: 'cosine', floor: 1 } }],
    };
    expect(() => runTrajectoryRaceCpu(config)).toThrow('SGD: schedule cosine: floor must be in [0, lr] = [0, 0.1], got 1');
  });

  it('on WebGPU gives the CPU paths', async (ctx) => {
    if (!device) return ctx.skip();
    const pipelines = new TrajectoryPipelines(device);
    const config: TrajectoryConfig = {
      function: 'seed',
      start: [-7, 2],
      steps: 30,
      racers: [
        { optimizer: 'sgd', hyperparameters: { lr: 0.95 }, schedule: { kind: 'step', factor: 0.5, every: 5 } },
        { optimizer: 'adam', hyperparameters: { lr: 0.3 }, schedule: { kind: 'warmup', steps: 5, floor: 0.01 } },
        { optimizer: 'momentum', hyperparameters: { lr: 0.1 }, schedule: { kind: 'cosine', floor: 0 } },
      ],
    };
    const gpu = await runTrajectoryRaceGpu(pipelines, config);
    const cpu = runTrajectoryRaceCpu(config);
    gpu.forEach((r, i) =>
      r.path.forEach(([x, y], s) => {
        expect(Math.abs(x - cpu[i].path[s][0])).toBeLessThan(1e-4 * Math.max(1, Math.abs(cpu[i].path[s][0])));
        expect(Math.abs(y - cpu[i].path[s][1])).toBeLessThan(1e-4 * Math.max(1, Math.abs(cpu[i].path[s][1])));
      }),
    );
  });
});

describe('a schedule in the MNIST race', () => {
  const data = syntheticRaceData(300, 60);
  const race: RaceConfig = {
    ...kSeedRace,
    sizes: [784, 24, 10],
    iterations: 8,
    batchSize: 16,
    evalEvery: 4,
    racers: [
      { optimizer: 'sgd', hyperparameters: { lr: 0.5 }, schedule: { kind: 'step', factor: 0.1, every: 2 } },
      { optimizer: 'sgd', hyperparameters: { lr: 0.5 } },
      { optimizer: 'adam', hyperparameters: { lr: 0.01 }, schedule: { kind: 'warmup', steps: 3, floor: 0.001 } },
    ],
  };

  it('on the CPU a step schedule changes the losses from its third step on', async () => {
    const cpu = RaceEngine.create(race, (r) => new CpuRaceBackend(r, data));
    await cpu.start();
    const [scheduled, constant] = cpu.history;
    expect(scheduled.schedule).toEqual({ kind: 'step', factor: 0.1, every: 2 });
    expect('schedule' in constant).toBe(false);
    // Steps 1 and 2 at the same lr: the same losses; from step 3 on, lr 0.05 against 0.5.
    expect(scheduled.losses.slice(0, 2)).toEqual(constant.losses.slice(0, 2));
    expect(scheduled.losses[2]).not.toBe(constant.losses[2]);
    cpu.destroy();
  });

  it("on WebGPU gives the CPU backend's losses", async (ctx) => {
    if (!device) return ctx.skip();
    const pipelines = new RacePipelines(device);
    const gpu = RaceEngine.create(race, (r) => new GpuRaceBackend(pipelines, r, data));
    const cpu = RaceEngine.create(race, (r) => new CpuRaceBackend(r, data));
    await gpu.start();
    await cpu.start();
    expect(gpu.status).toBe('finished');
    gpu.history.forEach((h, r) => {
      expect(h.losses).toHaveLength(8);
      h.losses.forEach((loss, i) => expect(Math.abs(loss - cpu.history[r].losses[i])).toBeLessThan(2e-4 * Math.max(1, cpu.history[r].losses[i])));
    });
    // The schedule made a difference on the GPU too.
    expect(gpu.history[0].losses[5]).not.toBeCloseTo(gpu.history[1].losses[5], 4);
    gpu.destroy();
    cpu.destroy();
  });
});
