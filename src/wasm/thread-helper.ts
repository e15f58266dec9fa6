/**
 * The body of a WebAssembly helper thread (src/wasm/thread-pool.ts): instantiate the shared-memory
 * race module, say ready, then one `work(plan)` per generation until the generation goes negative.
 * Self-contained (globals only): Node runs its source text in a worker_thread, the browser imports
 * it in a module worker (thread-helper-worker.ts), so no eval is needed under a strict CSP.
 */
export interface HelperStart {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  plan: number;
  /** Word indices (byte offset / 4) of the plan's pool words. */
  generation: number;
  done: number;
  failed: number;
}

export function runHelper(message: HelperStart, post: (text: string) => void): void {
  const { module, memory, plan, generation, done, failed } = message;
  const abort = (): never => {
    throw new Error('WebAssembly kernel aborted');
  };
  const race = new WebAssembly.Instance(module, { env: { memory, abort } }).exports as { work(plan: number): void };
  const words = new Int32Array(memory.buffer);
  let seen = Atomics.load(words, generation);
  post('ready');
  for (;;) {
    Atomics.wait(words, generation, seen);
    const now = Atomics.load(words, generation);
    if (now < 0) return;
    if (now === seen) continue;
    seen = now;
    try {
      race.work(plan);
    } catch {
      Atomics.store(words, failed, 1);
    }
    Atomics.add(words, done, 1);
    Atomics.notify(words, done);
  }
}
