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
  | { type: 'reset'; id: number };

/** `threads`: after init, how many the engine runs on. */
export type WorkerReply = { type: 'done'; id: number; result?: ChunkResult; threads?: number } | { type: 'failed'; id: number; message: string };
