/**
 * ours (wasm): the race on the WebAssembly SIMD engine (src/wasm), timed as the other engines are
 * (timeEngine: a warm-up race, a reset, then the timed race from iteration 0, loss after the
 * update, no test evaluation). `wish` is how many threads the environment offers (the cores where a
 * page is cross-origin isolated); the engine takes at most its maxThreads.
 */
import { resolveRace, type RaceConfig } from '../src/race/config';
import type { RaceData } from '../src/race/dataset';
import { WasmRaceBackend } from '../src/wasm/wasm-backend';
import { timeEngine } from './measure';
import { failed, type ContenderResult } from './report';

/** At most this many timed iterations (about 100 ms each for the seed race on one core). */
export const kWasmMaxIterations = 200;

/** Iterations run before timing (the kernels compiled, the memory touched). */
const kWasmWarmup = 2;

export async function timeWasmRace(config: RaceConfig, data: RaceData, wish: number): Promise<ContenderResult> {
  const threads = WasmRaceBackend.threadsFor(wish);
  const label = 'ours (wasm)';
  let backend: WasmRaceBackend | undefined;
  try {
    backend = await WasmRaceBackend.create(resolveRace(config), data, { threads });
    const timed = await timeEngine(backend, kWasmWarmup, () => undefined);
    const n = config.iterations;
    return {
      id: 'ours-wasm',
      label,
      iterations: n,
      warmupIterations: kWasmWarmup,
      seconds: timed.seconds,
      msPerIteration: (1000 * timed.seconds) / n,
      firstLosses: timed.firstLosses,
      lastLosses: timed.lastLosses,
      ranOn: `${threads} thread${threads === 1 ? '' : 's'} (${wish} offered, maxThreads ${WasmRaceBackend.maxThreads})`,
    };
  } catch (error) {
    return failed('ours-wasm', label, error);
  } finally {
    backend?.destroy();
  }
}
