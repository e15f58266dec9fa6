/**
 * A RaceBackend whose work happens in race-worker.ts: the engine (history, events) stays on the
 * page, the arithmetic (the float64 CPU reference or the WebAssembly SIMD engine) runs off the main
 * thread. Vite bundles the worker from the `new URL(…, import.meta.url)` below; `create` resolves
 * once the worker has built its engine, so a WebAssembly engine that cannot start (no SIMD, a
 * Content-Security-Policy without 'wasm-unsafe-eval') fails there, before the race begins.
 */
import type { ChunkRequest, ChunkResult, RaceBackend, RaceSnapshot } from './backend';
import type { ResolvedRace } from './config';
import type { RaceData } from './dataset';
import type { WorkerEngine, WorkerReply, WorkerRequest } from './worker-protocol';

type Done = Extract<WorkerReply, { type: 'done' }>;
type Pending = { resolve: (reply: Done) => void; reject: (error: Error) => void };

const kWorkerNames: Record<WorkerEngine, string> = { cpu: 'optimizer-race CPU reference', wasm: 'optimizer-race WebAssembly SIMD' };

/** The threads a wasm engine may use here: the cores where the page is cross-origin isolated, else one. */
export function wishedThreads(): number {
  return globalThis.crossOriginIsolated ? Math.max(1, navigator.hardwareConcurrency || 1) : 1;
}

/** A race worker (Vite bundles race-worker.ts from this `new Worker(new URL(…))`; keep it literal). */
function startRaceWorker(name: string): Worker {
  return new Worker(new URL('./race-worker.ts', import.meta.url), { type: 'module', name });
}

export class WorkerRaceBackend implements RaceBackend {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: Error | null = null;
  /** Threads the engine runs on (known once create() resolves). */
  threads = 1;

  private constructor(
    readonly kind: WorkerEngine,
    readonly race: ResolvedRace,
  ) {
    this.worker = startRaceWorker(kWorkerNames[kind]);
    this.worker.addEventListener('message', (event: MessageEvent<WorkerReply>) => this.receive(event.data));
    this.worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.fail(new Error(`the race worker failed: ${event.message || 'it could not be started'}`));
    });
  }

  /**
   * Why the wasm engine could not run in a race worker (null: it can), asked of a short-lived worker
   * under the worker script's own policy, so that the page itself never compiles WebAssembly (a
   * compile its policy refuses would be a violation). A worker that cannot start says why.
   */
  static probeWasm(): Promise<string | null> {
    const worker = startRaceWorker('optimizer-race WebAssembly probe');
    const request: WorkerRequest = { type: 'probe', id: 1 };
    return new Promise<string | null>((resolve) => {
      worker.addEventListener('message', ({ data }: MessageEvent<WorkerReply>) => resolve(data.type === 'done' ? (data.wasmProblem ?? null) : data.message));
      worker.addEventListener('error', (event) => {
        event.preventDefault();
        resolve(`the race worker failed: ${event.message || 'it could not be started'}`);
      });
      worker.postMessage(request);
    }).finally(() => worker.terminate());
  }

  /** A worker running `kind` for `race`; rejects (and ends the worker) when its engine cannot start. */
  static async create(kind: WorkerEngine, race: ResolvedRace, data: RaceData, threads = 1): Promise<WorkerRaceBackend> {
    const backend = new WorkerRaceBackend(kind, race);
    // Copies of the data: the page keeps its own for the digit grid and later races.
    const { trainImages, trainLabels, testImages, testLabels, trainCount, testCount } = data;
    try {
      const done = await backend.send({
        type: 'init',
        id: 0,
        engine: kind,
        threads,
        config: race.config,
        evaluations: race.evaluations,
        data: { trainImages, trainLabels, testImages, testLabels, trainCount, testCount },
      });
      backend.threads = done.threads ?? 1;
    } catch (error) {
      backend.destroy();
      throw error;
    }
    return backend;
  }

  async run(request: ChunkRequest): Promise<ChunkResult> {
    const { result } = await this.send({ type: 'run', id: 0, request });
    if (!result) throw new Error('the race worker returned no result');
    return result;
  }

  async reset(): Promise<void> {
    await this.send({ type: 'reset', id: 0 });
  }

  async snapshot(): Promise<RaceSnapshot> {
    const { snapshot } = await this.send({ type: 'snapshot', id: 0 });
    if (!snapshot) throw new Error('the race worker returned no weights');
    return snapshot;
  }

  async restore(snapshot: RaceSnapshot): Promise<void> {
    await this.send({ type: 'restore', id: 0, snapshot });
  }

  async testAccuracy(racers: readonly number[]): Promise<number[]> {
    const { test } = await this.send({ type: 'test', id: 0, racers: [...racers] });
    if (!test) throw new Error('the race worker returned no test accuracy');
    return test;
  }

  destroy(): void {
    this.worker.terminate();
    this.fail(new Error('this race was destroyed'));
  }

  private send(message: WorkerRequest): Promise<Done> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id });
    });
  }

  private receive(reply: WorkerReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if (reply.type === 'done') pending.resolve(reply);
    else pending.reject(new Error(reply.message));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const p of this.pending.values()) p.reject(this.failure);
    this.pending.clear();
  }
}
