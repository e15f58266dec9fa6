/**
 * <optimizer-race> reset mid-run (two chunks in flight, their read-back buffers mapping) gives back
 * every GPU buffer of the page's shared device. Counted by wrapping that device's createBuffer and
 * each buffer's destroy: live = created - destroyed. The count after the first race (which also
 * compiles the shared pipelines, once per device) is the baseline; each further race reset mid-run
 * must leave it where it was. The leak this guards against kept 2 read-back buffers per reset, so
 * a per-reset check on a few resets shows it; the engine-level test (20 resets, no DOM) is
 * race-gpu-leak.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { sharedGpuDevice } from '../src/gpu/device';
import type { OptimizerRace } from '../src/ui/optimizer-race/optimizer-race';
import { countLiveBuffers } from './live-buffers';
import { hasWebGPU, mountSmall, useOptimizerRaceHarness } from './optimizer-race-harness';
import { until } from './fixtures/element-probes';

useOptimizerRaceHarness();

/** Starts a race, resets it after its first chunk (the next two in flight) and waits for the abandoned chunks to settle. */
async function raceAndResetMidRun(el: OptimizerRace): Promise<void> {
  const progressed = new Promise<void>((resolve) => el.addEventListener('race-progress', () => resolve(), { once: true }));
  const running = el.start();
  await progressed;
  expect(el.status).toBe('running');
  await el.reset();
  expect(el.status).toBe('idle');
  // start() resolves once the engine's loop has stopped: the chunks in flight have been read back.
  await running;
}

describe('<optimizer-race> reset mid-run', () => {
  it('leaves no GPU buffers behind: each of 3 resets gives back all it took', async (ctx) => {
    if (!hasWebGPU()) return ctx.skip();
    const racers = [{ optimizer: 'sgd' }, { optimizer: 'adam' }];
    const el = await mountSmall({ iterations: '2000', 'batch-size': '8', 'eval-every': '1000', racers: JSON.stringify(racers) });
    const device = await sharedGpuDevice();
    const live = countLiveBuffers(device);
    try {
      await raceAndResetMidRun(el);
      await device.queue.onSubmittedWorkDone();
      const afterFirst = live.count();
      const afterEach: number[] = [];
      for (let i = 0; i < 3; i++) {
        await raceAndResetMidRun(el);
        await device.queue.onSubmittedWorkDone();
        // Nothing is left mapping once start() has resolved; a short wait only guards a slow settle.
        await until('the buffers to be freed', () => live.count() <= afterFirst, 2_000).catch(() => undefined);
        afterEach.push(live.count());
        expect(afterEach.at(-1), `after reset ${i + 1}: ${live.labels().join(', ')}`).toBe(afterFirst);
      }
      console.info(`live GPU buffers on the shared device: ${afterFirst} after the first race, ${afterEach.join(', ')} after each of 3 more`);
      // The shared pipelines keep no buffers: not even the first race leaves one.
      expect(afterFirst, live.labels().join(', ')).toBe(0);
    } finally {
      live.restore();
    }
  }, 240_000);
});
