/**
 * The WebAssembly engine inside Chromium, against the float64 reference: single-threaded always,
 * and on two Web Workers sharing its memory where the test page is cross-origin isolated (the
 * browser project sends COOP/COEP, vite.config.ts).
 */
import { describe, expect, it } from 'vitest';
import { resolveRace, type RaceConfig } from '../src/race/config';
import { CpuRaceBackend } from '../src/race/cpu-backend';
import { WasmRaceBackend } from '../src/wasm/wasm-backend';
import { everyOptimizerRace, relativeError } from './fixtures/every-optimizer-race';
import { syntheticRaceData } from './fixtures/synthetic-race-data';

const data = syntheticRaceData(200, 29);
// Every optimizer of the registry, the hidden activations in turn: the Node test's race.
const config: RaceConfig = everyOptimizerRace();

async function runWasm(threads: number) {
  const race = resolveRace(config);
  const wasm = await WasmRaceBackend.create(race, data, { threads });
  try {
    expect(wasm.threads).toBe(threads);
    return await wasm.run({ first: 0, count: 5, active: race.racers.map(() => true), evaluate: true });
  } finally {
    wasm.destroy();
  }
}

describe('WasmRaceBackend in the browser', () => {
  it('matches the float64 reference on one thread, for every optimizer and hidden activation', async () => {
    const race = resolveRace(config);
    const cpu = await new CpuRaceBackend(race, data).run({ first: 0, count: 5, active: race.racers.map(() => true), evaluate: true });
    const wasm = await runWasm(1);
    expect(wasm.losses.every(Number.isFinite)).toBe(true);
    expect(relativeError(wasm.losses, cpu.losses)).toBeLessThan(2e-3);
    wasm.accuracy!.forEach((a, r) => expect(Math.abs(a - cpu.accuracy![r])).toBeLessThanOrEqual(2 / 29));
  });

  it('runs on two Web Workers with the numbers of one thread where the page is cross-origin isolated', async () => {
    expect(crossOriginIsolated).toBe(true);
    expect(WasmRaceBackend.maxThreads).toBeGreaterThanOrEqual(2);
    expect(await runWasm(2)).toEqual(await runWasm(1));
  });

  it('runs its threads as nested workers from inside a Web Worker (where the app races), blocking there', async () => {
    const worker = new Worker(new URL('./fixtures/wasm-race-worker.ts', import.meta.url), { type: 'module' });
    try {
      const reply = await new Promise<{ threads?: number; result?: unknown; error?: string }>((resolve, reject) => {
        worker.onmessage = (e) => resolve(e.data);
        worker.onerror = (e) => reject(new Error(e.message));
        worker.postMessage({ config, threads: 2 });
      });
      expect(reply.error).toBeUndefined();
      expect(reply.threads).toBe(2);
      expect(reply.result).toEqual(await runWasm(1));
    } finally {
      worker.terminate();
    }
  });
});
