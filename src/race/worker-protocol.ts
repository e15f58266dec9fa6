/** Messages between the page and race-worker.ts (the CPU reference or the wasm engine, off the main thread). */
import type { ChunkRequest, ChunkResult } from './backend';
import type { RaceConfig } from './config';
import type { RaceData } from './dataset';

/** The engines the race worker runs. */
export type WorkerEngine = 'cpu' | 'wasm';

export type WorkerRequest =
  /** `threads`: how many the page would like (the wasm engine takes at most its maxThreads). */
  | { type: 'init'; id: number; engine: WorkerEngine; threads: number; config: RaceConfig; data: RaceData }
  | { type: 'run'; id: number; request: ChunkRequest }
  | { type: 'reset'; id: number }
  /** Whether the wasm engine could run in this worker (src/wasm/wasm-policy.ts): asked before any race. */
  | { type: 'probe'; id: number };

/** `threads`: after init, how many the engine runs on; `wasmProblem`: after a probe, why wasm cannot run (null: it can). */
export type WorkerReply =
  | { type: 'done'; id: number; result?: ChunkResult; threads?: number; wasmProblem?: string | null }
  | { type: 'failed'; id: number; message: string };
