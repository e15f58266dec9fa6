/**
 * A RaceBackend whose work happens in cpu-worker.ts: the engine (history, events) stays on the
 * page, the float64 arithmetic runs off the main thread. Vite bundles the worker from the
 * `new URL(…, import.meta.url)` below.
 */
import type { ChunkRequest, ChunkResult, RaceBackend } from '../../race/backend';
import type { ResolvedRace } from '../../race/config';
import type { RaceData } from '../../race/dataset';
import type { WorkerReply, WorkerRequest } from './worker-protocol';

type Pending = { resolve: (result: ChunkResult | undefined) => void; reject: (error: Error) => void };

export class WorkerRaceBackend implements RaceBackend {
  readonly kind = 'cpu' as const;
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: Error | null = null;
  private readonly ready: Promise<unknown>;

  constructor(
    readonly race: ResolvedRace,
    data: RaceData,
  ) {
    this.worker = new Worker(new URL('./cpu-worker.ts', import.meta.url), { type: 'module', name: 'optimizer-race CPU reference' });
    this.worker.addEventListener('message', (event: MessageEvent<WorkerReply>) => this.receive(event.data));
    this.worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.fail(new Error(`the CPU race worker failed: ${event.message || 'it could not be started'}`));
    });
    // Copies of the data: the page keeps its own for the digit grid and later races.
    const { trainImages, trainLabels, testImages, testLabels, trainCount, testCount } = data;
    this.ready = this.send({ type: 'init', id: 0, config: race.config, data: { trainImages, trainLabels, testImages, testLabels, trainCount, testCount } });
    this.ready.catch(() => undefined);
  }

  async run(request: ChunkRequest): Promise<ChunkResult> {
    await this.ready;
    const result = await this.send({ type: 'run', id: 0, request });
    if (!result) throw new Error('the CPU race worker returned no result');
    return result;
  }

  async reset(): Promise<void> {
    await this.ready;
    await this.send({ type: 'reset', id: 0 });
  }

  destroy(): void {
    this.worker.terminate();
    this.fail(new Error('this race was destroyed'));
  }

  private send(message: WorkerRequest): Promise<ChunkResult | undefined> {
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
    if (reply.type === 'done') pending.resolve(reply.result);
    else pending.reject(new Error(reply.message));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const p of this.pending.values()) p.reject(this.failure);
    this.pending.clear();
  }
}
