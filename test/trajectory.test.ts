/** The 2D race: the WGSL gradient + optimizer kernels against the float64 reference race. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kFunctionIds, kFunctions } from '../src/race2d/functions';
import { kSeedTrajectoryRace, runTrajectoryRaceCpu, runTrajectoryRaceGpu, TrajectoryPipelines, type TrajectoryConfig } from '../src/race2d/trajectory';
import { kSeedOptimizerIds } from '../src/optim/registry';
import { testDevice, withValidation } from './gpu';

let device: GPUDevice | undefined;
let pipelines: TrajectoryPipelines;
beforeAll(async () => {
  device = await testDevice();
  if (device) pipelines = new TrajectoryPipelines(device);
});
afterAll(() => device?.destroy());

describe('the 2D race', () => {
  it('reproduces the seed race on the GPU: 31 points per path, as the float64 reference', async (ctx) => {
    if (!device) return ctx.skip();
    const gpu = await withValidation(device, () => runTrajectoryRaceGpu(pipelines, kSeedTrajectoryRace));
    const cpu = runTrajectoryRaceCpu(kSeedTrajectoryRace);
    expect(gpu.map((r) => r.name)).toEqual(['SGD', 'Momentum', 'AdaGrad', 'Adam', 'RMSprop', 'Nesterov']);
    for (const [i, racer] of gpu.entries()) {
      expect(racer.path).toHaveLength(31);
      expect(racer.path[0]).toEqual([-7, 2]);
      expect(racer.diverged).toBeNull();
      racer.path.forEach(([x, y], s) => {
        expect(x).toBeCloseTo(cpu[i].path[s][0], 4);
        expect(y).toBeCloseTo(cpu[i].path[s][1], 4);
      });
    }
    // Every optimizer makes progress towards the minimum at (0, 0).
    for (const r of cpu) expect(kFunctions.seed.f(...r.path[30])).toBeLessThan(kFunctions.seed.f(-7, 2));
  });

  it("SGD's first step on the seed function is (-7 + 0.95*0.7, 2 - 0.95*4), computed by hand", () => {
    const [sgd] = runTrajectoryRaceCpu({ ...kSeedTrajectoryRace, steps: 1 });
    expect(sgd.path[1][0]).toBeCloseTo(-7 + 0.95 * 0.7, 12);
    expect(sgd.path[1][1]).toBeCloseTo(2 - 0.95 * 4, 12);
  });

  it.for(kFunctionIds)('the WGSL gradient of %s equals the TypeScript one', async (id, ctx) => {
    if (!device) return ctx.skip();
    const fn = kFunctions[id];
    const config: TrajectoryConfig = {
      function: id,
      start: fn.start,
      steps: 5,
      racers: kSeedOptimizerIds.map((optimizer) => ({ optimizer, hyperparameters: { lr: 1e-3 } })),
    };
    const gpu = await runTrajectoryRaceGpu(pipelines, config);
    const cpu = runTrajectoryRaceCpu(config);
    gpu.forEach((r, i) =>
      r.path.forEach(([x, y], s) => {
        const scale = Math.max(1, Math.abs(cpu[i].path[s][0]), Math.abs(cpu[i].path[s][1]));
        expect(Math.abs(x - cpu[i].path[s][0]) / scale).toBeLessThan(1e-5);
        expect(Math.abs(y - cpu[i].path[s][1]) / scale).toBeLessThan(1e-5);
      }),
    );
  });

  it('marks a diverging racer as diverged instead of failing, and the others go on', async (ctx) => {
    if (!device) return ctx.skip();
    const config: TrajectoryConfig = {
      function: 'seed',
      start: [-7, 2],
      steps: 40,
      racers: [
        { optimizer: 'sgd', hyperparameters: { lr: 5 } },
        { optimizer: 'sgd', hyperparameters: { lr: 0.5 } },
      ],
    };
    for (const results of [await runTrajectoryRaceGpu(pipelines, config), runTrajectoryRaceCpu(config)]) {
      expect(results[0].diverged).toBeGreaterThan(0);
      expect(results[0].path).toHaveLength(41);
      expect(results[0].path[40].every(Number.isNaN)).toBe(true);
      expect(results[1].diverged).toBeNull();
    }
  });

  it('rejects bad configurations with a clear message', () => {
    expect(() => runTrajectoryRaceCpu({ ...kSeedTrajectoryRace, steps: 0 })).toThrow(/steps must be a whole number from 1 to 10000/);
    expect(() => runTrajectoryRaceCpu({ ...kSeedTrajectoryRace, function: 'sphere' as never })).toThrow(/Known functions: seed, xy/);
    expect(() => runTrajectoryRaceCpu({ ...kSeedTrajectoryRace, start: [NaN, 1] })).toThrow(/start must be two finite numbers/);
    expect(() => runTrajectoryRaceCpu({ ...kSeedTrajectoryRace, racers: [{ optimizer: 'adam', hyperparameters: { lr: -1 } }] })).toThrow(/Adam: lr/);
  });
});
