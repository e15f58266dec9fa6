/**
 * Whether a race fits the device, with fake limits: the largest buffer against
 * maxStorageBufferBindingSize / maxBufferSize, the racers against maxComputeWorkgroupsPerDimension,
 * and the WebGPU backend refusing before it creates a buffer. Sizes are worked out here by hand.
 */
import { describe, expect, it } from 'vitest';
import { kSeedSizes } from '../src/nn/layout';
import { resolveRace, kSeedRace, type RaceConfig } from '../src/race/config';
import { deviceFitProblem, raceBuffers, RaceTooLargeError, type RaceDeviceLimits } from '../src/race/device-fit';
import { GpuRaceBackend, type RacePipelines } from '../src/race/gpu-backend';
import { kRaceLimits } from '../src/race/limits';
import { syntheticRaceData } from './fixtures/synthetic-race-data';

const MiB = 2 ** 20;
/** WebGPU's default limits (the least every adapter offers). */
const kDefaults: RaceDeviceLimits = { maxStorageBufferBindingSize: 128 * MiB, maxBufferSize: 256 * MiB, maxComputeWorkgroupsPerDimension: 65535 };
const seed = { sizes: kSeedSizes, trainCount: 60000, testCount: 10000 };

describe('deviceFitProblem', () => {
  it('lets the largest sweep through on default limits at the seed batch', () => {
    expect(kRaceLimits.racers.max).toBeGreaterThanOrEqual(128);
    // 128 racers x ~110k parameters x 4 bytes = 54 MiB; activations 128 x 500 test rows x 100 x 4 = 24 MiB.
    expect(deviceFitProblem({ ...seed, racers: 128, batchSize: 128 }, kDefaults)).toBeNull();
  });

  it('names the buffer, its size and what the GPU allows when one buffer is too large', () => {
    // 128 racers x 4096 rows x 100 units x 4 bytes = 200 MiB, over the 128 MiB binding limit.
    expect(deviceFitProblem({ ...seed, racers: 128, batchSize: 4096 }, kDefaults)).toBe(
      "this race of 128 racers needs 200 MiB in one buffer (layer 1's training activations); this GPU allows 128 MiB per buffer: use fewer racers or a smaller batch",
    );
    // The smaller of the two buffer limits counts.
    const small = { ...kDefaults, maxStorageBufferBindingSize: 1024 * MiB, maxBufferSize: 100 * MiB };
    expect(deviceFitProblem({ ...seed, racers: 128, batchSize: 4096 }, small)).toMatch(/needs 200 MiB .* allows 100 MiB per buffer/);
    expect(deviceFitProblem({ ...seed, racers: 64, batchSize: 4096 }, small)).toBeNull();
  });

  it('says when the dataset, not the racers, is too large', () => {
    // 60000 x 784 bytes = 44.9 MiB of training images.
    const tiny = { ...kDefaults, maxStorageBufferBindingSize: 40 * MiB };
    expect(deviceFitProblem({ ...seed, racers: 1, batchSize: 8 }, tiny)).toMatch(/needs 45 MiB in one buffer \(the training images\).*use a smaller dataset$/);
  });

  it('checks the racers against the workgroups of one dispatch', () => {
    expect(deviceFitProblem({ ...seed, racers: 100, batchSize: 8 }, { ...kDefaults, maxComputeWorkgroupsPerDimension: 64 })).toBe(
      'this race has 100 racers; this GPU runs at most 64 in one dispatch: use fewer racers',
    );
  });

  it("counts batch norm's buffers when some racer uses it, and the training limit as the training set", () => {
    const shape = { sizes: [784, 100, 100, 10], racers: 3, batchSize: 50, trainCount: 1000, testCount: 2000 };
    const bytes = (list: ReturnType<typeof raceBuffers>, what: string): number | undefined => list.find((b) => b.what === what)?.bytes;
    const plain = raceBuffers(shape);
    const bn = raceBuffers({ ...shape, batchNorm: true });
    // W and b end at 89,610 (89,612 aligned); γ, β of two layers of 100 add 400; P rounds up to 64 floats.
    expect(bytes(plain, 'the parameters (and gradients, optimizer state)')).toBe(4 * 3 * 89664);
    expect(bytes(bn, 'the parameters (and gradients, optimizer state)')).toBe(4 * 3 * 90048);
    // Mean and variance of 200 hidden units per racer; xn of the widest hidden layer per racer and row.
    expect(bytes(bn, 'the running statistics')).toBe(4 * 3 * 400);
    expect(bytes(bn, "layer 1's batch-norm cache")).toBe(4 * 3 * 50 * 100);
    expect(bytes(plain, 'the running statistics')).toBeUndefined();
    expect(bytes(bn, 'the training images')).toBe(1000 * 784);
  });

  it('is checked by the WebGPU backend before it creates any buffer', () => {
    const config: RaceConfig = { ...kSeedRace, batchSize: 4096, racers: Array.from({ length: 128 }, () => ({ optimizer: 'sgd' })) };
    // A device with nothing but limits: creating any buffer would throw a TypeError instead.
    const pipelines = { device: { limits: kDefaults } } as unknown as RacePipelines;
    const data = syntheticRaceData(20, 10);
    expect(() => new GpuRaceBackend(pipelines, resolveRace(config), data)).toThrow(RaceTooLargeError);
    expect(() => new GpuRaceBackend(pipelines, resolveRace(config), data)).toThrow(/needs 200 MiB in one buffer .* use fewer racers or a smaller batch/);
  });
});
