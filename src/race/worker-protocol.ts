/** Messages between the page and race-worker.ts (the CPU reference or the wasm engine, off the main thread). */
import type { ChunkRequest, ChunkResult, RaceSnapshot } from './backend';
import { resolveRace, type RaceConfig, type ResolvedRace } from './config';
import type { RaceData } from './dataset';

/** The engines the race worker runs. */
export type WorkerEngine = 'cpu' | 'wasm';

export type WorkerRequest =
  /**
   * `threads`: how many the page would like (the wasm engine takes at most its maxThreads);
   * `config`: the page's resolved race's config, `evaluations` its evaluation points (resolveWorkerRace).
   */
  | { type: 'init'; id: number; engine: WorkerEngine; threads: number; config: RaceConfig; evaluations: readonly number[]; data: RaceData }
  | { type: 'run'; id: number; request: ChunkRequest }
  | { type: 'reset'; id: number }
  /** Every racer's numbers (weights out, checkpoints), and putting them back (weights in, resume). */
  | { type: 'snapshot'; id: number }
  | { type: 'restore'; id: number; snapshot: RaceSnapshot }
  /** The listed racers' test accuracy ("Test the best"), after the runs queued before it. */
  | { type: 'test'; id: number; racers: number[] }
  /** Whether the wasm engine could run in this worker (src/wasm/wasm-policy.ts): asked before any race. */
  | { type: 'probe'; id: number };

/**
 * The worker's own resolution of the page's race (its racers hold the worker's registry entries),
 * for the data's training set, checked to run the iterations and evaluate where the page's engine
 * expects: a chunk result (losses, test and training accuracy) then means the same on both sides.
 */
export function resolveWorkerRace(message: Pick<Extract<WorkerRequest, { type: 'init' }>, 'config' | 'evaluations' | 'data'>): ResolvedRace {
  const race = resolveRace(message.config, message.data.trainCount);
  const page = `${message.config.iterations} iterations, evaluated after ${message.evaluations.join(', ')}`;
  const worker = `${race.config.iterations} iterations, evaluated after ${race.evaluations.join(', ')}`;
  if (page !== worker) throw new Error(`the race worker resolved the race to ${worker}; the page to ${page}`);
  return race;
}

/** `threads`: after init, how many the engine runs on; `wasmProblem`: after a probe, why wasm cannot run (null: it can). */
export type WorkerReply =
  | { type: 'done'; id: number; result?: ChunkResult; threads?: number; wasmProblem?: string | null; snapshot?: RaceSnapshot; test?: number[] }
  | { type: 'failed'; id: number; message: string };
