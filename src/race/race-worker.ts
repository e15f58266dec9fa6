/**
 * The Web Worker that runs an <optimizer-race>'s race off the page's main thread: the float64 CPU
 * reference (src/race/cpu-backend.ts, about a second per iteration for the seed's race) or the
 * float32 WebAssembly SIMD engine (src/wasm). The engine (history, events) stays on the page and
 * talks to this worker through WorkerRaceBackend (worker-backend.ts).
 */
import type { RaceBackend } from './backend';
import { CpuRaceBackend } from './cpu-backend';
import { WasmRaceBackend } from '../wasm/wasm-backend';
import { wasmSimdProblem } from '../wasm/wasm-policy';
import { resolveWorkerRace, type WorkerReply, type WorkerRequest } from './worker-protocol';
import { errorMessage } from '../util/error-message';

let backend: RaceBackend | null = null;

/** The worker's global scope (the project's types are the DOM's, not the webworker lib's). */
const scope = self as unknown as { postMessage(message: WorkerReply, transfer: Transferable[]): void };

const reply = (message: WorkerReply, transfer: Transferable[] = []): void => scope.postMessage(message, transfer);

self.addEventListener('message', (event: MessageEvent<WorkerRequest>) => {
  const message = event.data;
  void handle(message).catch((error: unknown) => {
    reply({ type: 'failed', id: message.id, message: errorMessage(error) });
  });
});

async function handle(message: WorkerRequest): Promise<void> {
  if (message.type === 'probe') {
    // Under this worker's own policy (its script's header), read rather than tried where it can be: no violation.
    reply({ type: 'done', id: message.id, wasmProblem: await wasmSimdProblem(self.location.href) });
    return;
  }
  if (message.type === 'init') {
    // The worker has its own registry: it resolves the plain config again, for the data it was sent.
    const race = resolveWorkerRace(message);
    if (message.engine === 'wasm') {
      const wasm = await WasmRaceBackend.create(race, message.data, { threads: WasmRaceBackend.threadsFor(message.threads) });
      backend = wasm;
      // The engine runs no more threads than racers: the badge reports the ones that run.
      reply({ type: 'done', id: message.id, threads: wasm.threads });
    } else {
      backend = new CpuRaceBackend(race, message.data);
      reply({ type: 'done', id: message.id, threads: 1 });
    }
    return;
  }
  if (!backend) throw new Error('the race worker was not initialised');
  if (message.type === 'reset') {
    await backend.reset();
    reply({ type: 'done', id: message.id });
    return;
  }
  if (message.type === 'snapshot') {
    if (!backend.snapshot) throw new Error('this engine cannot read its weights back');
    const snapshot = await backend.snapshot();
    reply({ type: 'done', id: message.id, snapshot }, [
      snapshot.params.buffer,
      snapshot.stats.buffer,
      ...snapshot.state.map((s) => s.buffer),
    ] as Transferable[]);
    return;
  }
  if (message.type === 'restore') {
    if (!backend.restore) throw new Error('this engine cannot load weights');
    await backend.restore(message.snapshot);
    reply({ type: 'done', id: message.id });
    return;
  }
  if (message.type === 'test') {
    reply({ type: 'done', id: message.id, test: await backend.testAccuracy(message.racers) });
    return;
  }
  // Runs are queued by the backend in the order they arrive, as on the page.
  const result = await backend.run(message.request);
  // The whole result (training accuracy included) is cloned to the page; the losses' own buffer moves there, never a view into an engine's (WebAssembly) memory.
  const { buffer } = result.losses;
  const own = buffer instanceof ArrayBuffer && buffer.byteLength === result.losses.byteLength;
  reply({ type: 'done', id: message.id, result }, own ? [buffer] : []);
}
