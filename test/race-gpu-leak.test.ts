/**
 * Resetting <optimizer-race> mid-run destroys its engine while two chunks are in flight (their
 * read-back buffers still mapping) and builds a new one: the GPU memory must come back. Node on
 * Dawn, small synthetic data; the element's own test is optimizer-race-leak.browser.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kSeedRace, type RaceConfig } from '../src/race/config';
import { RaceEngine } from '../src/race/engine';
import { GpuRaceBackend, RacePipelines } from '../src/race/gpu-backend';
import { syntheticRaceData } from './fixtures/synthetic-race-data';
import { collectGarbage } from './gc';
import { testDevice } from './gpu';
import { countLiveBuffers, type LiveBuffers } from './live-buffers';

let device: GPUDevice | undefined;
let live: LiveBuffers;
let pipelines: RacePipelines;
beforeAll(async () => {
  device = await testDevice();
  if (!device) return;
  // Counted from before the shared pipelines exist, so anything they keep shows up too.
  live = countLiveBuffers(device);
  pipelines = new RacePipelines(device);
});
afterAll(() => {
  live?.restore();
  device?.destroy();
});

const data = syntheticRaceData(300, 60);
const config: RaceConfig = {
  ...kSeedRace,
  sizes: [784, 16, 10],
  iterations: 400,
  batchSize: 8,
  evalEvery: 100,
  // Chapter 6's buffers too: batch norm's, the dropout and L2 tables, the training images' evaluation.
  trainLimit: 200,
  trainAccuracy: true,
  racers: [{ optimizer: 'sgd' }, { optimizer: 'adam' }, { optimizer: 'adam', bn: true, dropout: 0.2, l2: 0.1 }],
};

/** What the element's reset does mid-run: the engine destroyed with chunks in flight. */
async function raceAndResetMidRun(): Promise<void> {
  const engine = RaceEngine.create(config, (race) => new GpuRaceBackend(pipelines, race, data));
  const progressed = new Promise<void>((resolve) => engine.subscribe({ progress: () => resolve() }));
  const run = engine.start().catch(() => undefined);
  await progressed;
  // After the first chunk the engine has queued the next: two in flight, mapping.
  expect(engine.status).toBe('running');
  expect(engine.finished).toBe(false);
  engine.destroy();
  await run;
  await device!.queue.onSubmittedWorkDone();
}

describe('resetting a WebGPU race mid-run', () => {
  it('frees every GPU buffer: as many live after 20 resets as after the first', async (ctx) => {
    if (!device) return ctx.skip();
    const before = live.count();
    await raceAndResetMidRun();
    const afterFirst = live.count();
    for (let i = 0; i < 20; i++) await raceAndResetMidRun();
    const afterTwenty = live.count();
    console.info(`live GPU buffers: ${before} before, ${afterFirst} after the first race, ${afterTwenty} after 20 more`, live.labels());
    expect(afterTwenty, live.labels().join(', ')).toBe(afterFirst);
    // The shared pipelines keep no buffers of their own: nothing of a race survives it.
    expect(afterFirst, live.labels().join(', ')).toBe(before);
  });
});

/** One iteration on a new engine, then destroy(): a weak reference to its backend. */
async function stepAndDestroy(): Promise<WeakRef<GpuRaceBackend>> {
  let ref: WeakRef<GpuRaceBackend> | undefined;
  const engine = RaceEngine.create(config, (race) => {
    const backend = new GpuRaceBackend(pipelines, race, data);
    ref = new WeakRef(backend);
    return backend;
  });
  await engine.step();
  engine.destroy();
  return ref!;
}

describe('a destroyed WebGPU race backend', () => {
  it('is not kept alive by the device (its device-lost watch holds no reference to it)', async (ctx) => {
    if (!device) return ctx.skip();
    const refs: WeakRef<GpuRaceBackend>[] = [];
    for (let i = 0; i < 3; i++) refs.push(await stepAndDestroy());
    await device.queue.onSubmittedWorkDone();
    await collectGarbage();
    expect(refs.filter((r) => r.deref() !== undefined)).toHaveLength(0);
  });
});
