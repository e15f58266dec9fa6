/** DeviceLostError: what gpu-backend throws once its device is gone, and that the engine hands on the same instance. */
import { describe, expect, it } from 'vitest';
import { DeviceLostError } from '../src/gpu/device-lost';
import type { ChunkResult, RaceBackend } from '../src/race/backend';
import { kSeedRace, resolveRace } from '../src/race/config';
import { RaceEngine } from '../src/race/engine';

describe('DeviceLostError', () => {
  it('keeps the reason and says what happened', () => {
    const error = new DeviceLostError({ reason: 'unknown', message: 'driver reset' });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('DeviceLostError');
    expect(error.reason).toBe('unknown');
    expect(error.detail).toBe('driver reset');
    expect(error.message).toBe('The GPU device was lost (unknown): driver reset.');
    expect(new DeviceLostError({ reason: 'destroyed', message: '' }).message).toMatch(/\(destroyed\): no reason given\./);
  });

  it("reaches the engine's listeners and rejection as the same instance", async () => {
    const lost = new DeviceLostError({ reason: 'destroyed', message: 'test' });
    const race = resolveRace({ ...kSeedRace, iterations: 10 });
    const backend: RaceBackend = {
      kind: 'webgpu',
      race,
      run: async (): Promise<ChunkResult> => {
        throw lost;
      },
      reset: async () => undefined,
      testAccuracy: async () => [],
      destroy: () => undefined,
    };
    const engine = new RaceEngine(race, backend);
    const seen: Error[] = [];
    engine.subscribe({ error: (e) => seen.push(e) });
    await expect(engine.start()).rejects.toBe(lost);
    expect(seen).toEqual([lost]);
    expect(engine.error).toBe(lost);
  });
});
