/**
 * Helper threads for the WebAssembly engine: each instantiates the shared-memory race module on the
 * same WebAssembly.Memory and sleeps in Atomics.wait on the plan's generation word; a step bumps
 * it, the calling thread works too, and every thread claims whole racers from the plan's atomic
 * counter (src/wasm/assembly/race-step.ts `work`). Web Workers (module workers, bundled beside the
 * script) or Node's worker_threads (from thread-helper.ts's source text); the compiled module and
 * the memory arrive by postMessage.
 */
import { kPlanDone, kPlanFailed, kPlanGeneration } from './assembly/plan-layout';
import { type HelperStart, runHelper } from './thread-helper';

/** How long a step may wait for a helper without any of them finishing. */
const kStallMs = 60_000;

interface Helper {
  ready: Promise<void>;
  terminate(): void;
}

// Node runs the helper from its source text: no worker file to find in Vitest, the CLI bundle or a checkout.
const kNodeHelper = `const runHelper = ${runHelper.toString()};
const { parentPort } = require('node:worker_threads');
parentPort.once('message', (m) => { runHelper(m, (x) => parentPort.postMessage(x)); parentPort.close(); });`;

async function startHelper(message: HelperStart): Promise<Helper> {
  if (typeof globalThis.Worker === 'function') {
    const worker = new Worker(new URL('./thread-helper-worker.ts', import.meta.url), { type: 'module', name: 'optimizer-race wasm thread' });
    const ready = new Promise<void>((resolve, reject) => {
      worker.onmessage = () => resolve();
      worker.onerror = (e) => reject(new Error(`a WebAssembly helper thread failed to start: ${e.message}`));
    });
    worker.postMessage(message);
    return { ready, terminate: () => worker.terminate() };
  }
  // Node (the CLI, benchmarks, tests): a variable specifier keeps browser bundles from resolving it.
  const specifier = 'node:worker_threads';
  const { Worker: NodeWorker } = (await import(/* @vite-ignore */ specifier)) as typeof import('node:worker_threads');
  const worker = new NodeWorker(kNodeHelper, { eval: true });
  worker.unref(); // a forgotten destroy() never keeps the process alive
  const ready = new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', (e) => reject(new Error(`a WebAssembly helper thread failed to start: ${e.message}`)));
  });
  worker.postMessage(message);
  return { ready, terminate: () => void worker.terminate() };
}

/** Whether this thread may block in Atomics.wait (not a page's main thread). */
function canBlock(words: Int32Array, index: number): boolean {
  try {
    Atomics.wait(words, index, Atomics.load(words, index) + 1, 0);
    return true;
  } catch {
    return false;
  }
}

export class ThreadPool {
  private readonly words: Int32Array;
  private readonly blocking: boolean;
  private disposed = false;

  private constructor(
    memory: WebAssembly.Memory,
    private readonly plan: number,
    private readonly helpers: Helper[],
  ) {
    this.words = new Int32Array(memory.buffer);
    this.blocking = canBlock(this.words, this.index(kPlanDone));
  }

  /** `count` helpers on `memory` (shared), running `work(plan)` of `module`'s instances. */
  static async create(module: WebAssembly.Module, memory: WebAssembly.Memory, plan: number, count: number): Promise<ThreadPool> {
    const message: HelperStart = {
      module,
      memory,
      plan,
      generation: (plan + kPlanGeneration) / 4,
      done: (plan + kPlanDone) / 4,
      failed: (plan + kPlanFailed) / 4,
    };
    const started = await Promise.allSettled(Array.from({ length: count }, () => startHelper(message)));
    const helpers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const pool = new ThreadPool(memory, plan, helpers);
    const failure = started.find((s) => s.status === 'rejected');
    try {
      if (failure) throw failure.reason;
      await Promise.all(helpers.map((h) => h.ready));
    } catch (error) {
      pool.dispose();
      throw error;
    }
    return pool;
  }

  private index(field: number): number {
    return (this.plan + field) / 4;
  }

  /** Wakes the helpers, runs `work` on this thread too, and returns once every helper is done. */
  run(work: () => void): void {
    if (this.disposed) throw new Error('the WebAssembly thread pool was disposed');
    const { words } = this;
    const done = this.index(kPlanDone);
    const failed = this.index(kPlanFailed);
    const generation = this.index(kPlanGeneration);
    Atomics.store(words, done, 0);
    Atomics.store(words, failed, 0);
    Atomics.store(words, generation, (Atomics.load(words, generation) + 1) & 0x3fffffff);
    Atomics.notify(words, generation);
    work();
    // A helper that never reports (killed from outside) is an error, not a hang.
    let seen = -1;
    let since = performance.now();
    for (;;) {
      const finished = Atomics.load(words, done);
      if (finished >= this.helpers.length) break;
      if (finished !== seen) {
        seen = finished;
        since = performance.now();
      } else if (performance.now() - since > kStallMs) throw new Error(`a WebAssembly helper thread did not finish its step in ${kStallMs / 1000} s`);
      if (this.blocking) Atomics.wait(words, done, finished, 1000);
    }
    if (Atomics.load(words, failed)) throw new Error('a WebAssembly helper thread failed in a step');
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    Atomics.store(this.words, this.index(kPlanGeneration), -1);
    Atomics.notify(this.words, this.index(kPlanGeneration));
    for (const h of this.helpers) h.terminate();
  }
}
