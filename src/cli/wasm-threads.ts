/**
 * `mnist --threads N` for the WebAssembly engine. Default: every core Node reports (capped by
 * WasmRaceBackend.maxThreads; the engine also runs no more threads than racers). The losses are
 * bit-identical on any number of threads, so the default changes only the speed, and like numpy's
 * OpenBLAS a CLI run on one's own machine is expected to use all of it; `--threads 1` keeps one core.
 */
import { availableParallelism } from 'node:os';
import { WasmRaceBackend } from '../wasm/wasm-backend';
import { parseNumber, UsageError, type OptionSpec } from './args';
import type { MnistBackendChoice } from './backend';

export const kThreadsOption: OptionSpec = {
  type: 'value',
  valueName: 'N',
  description: `threads of --backend wasm (and of auto when it picks wasm), 1 to ${WasmRaceBackend.maxThreads} (default: every core, here ${defaultThreads()})`,
};

function defaultThreads(): number {
  return WasmRaceBackend.threadsFor(availableParallelism());
}

/** The thread count asked for; a clear message for a bad one or one given to another backend. */
export function wasmThreads(text: string | undefined, choice: MnistBackendChoice): number {
  if (text === undefined) return defaultThreads();
  if (choice !== 'wasm' && choice !== 'auto') throw new UsageError(`--threads is for --backend wasm (or auto), not ${choice}`);
  const threads = parseNumber(text, '--threads');
  const max = WasmRaceBackend.maxThreads;
  if (!Number.isInteger(threads) || threads < 1 || threads > max) throw new UsageError(`--threads must be a whole number from 1 to ${max}, got ${text}`);
  return threads;
}

export const wasmBackendLabel = (threads: number): string => `wasm (float32 WebAssembly SIMD, ${threads} thread${threads === 1 ? '' : 's'})`;
