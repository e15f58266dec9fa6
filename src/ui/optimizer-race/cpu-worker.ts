/**
 * A Web Worker running the float64 CPU race (src/race/cpu-backend.ts), so that the page stays
 * responsive while it computes (about a second per iteration for the seed's race). The engine
 * stays on the page and talks to this worker through WorkerRaceBackend (worker-backend.ts).
 */
import { resolveRace } from '../../race/config';
import { CpuRaceBackend } from '../../race/cpu-backend';
import type { WorkerReply, WorkerRequest } from './worker-protocol';

let backend: CpuRaceBackend | null = null;

/** The worker's global scope (the project's types are the DOM's, not the webworker lib's). */
const scope = self as unknown as { postMessage(message: WorkerReply, transfer: Transferable[]): void };

const reply = (message: WorkerReply, transfer: Transferable[] = []): void => scope.postMessage(message, transfer);

self.addEventListener('message', (event: MessageEvent<WorkerRequest>) => {
  const message = event.data;
  void handle(message).catch((error: unknown) => {
    reply({ type: 'failed', id: message.id, message: error instanceof Error ? error.message : String(error) });
  });
});

async function handle(message: WorkerRequest): Promise<void> {
  if (message.type === 'init') {
    // The worker has its own registry: it resolves the plain config again.
    backend = new CpuRaceBackend(resolveRace(message.config), message.data);
    reply({ type: 'done', id: message.id });
    return;
  }
  if (!backend) throw new Error('the CPU race worker was not initialised');
  if (message.type === 'reset') {
    await backend.reset();
    reply({ type: 'done', id: message.id });
    return;
  }
  // Runs are queued by the backend in the order they arrive, as on the page.
  const result = await backend.run(message.request);
  reply({ type: 'done', id: message.id, result }, [result.losses.buffer as ArrayBuffer]);
}
