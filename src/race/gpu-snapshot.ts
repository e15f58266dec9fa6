/**
 * The WebGPU race's numbers read back and written (weights out and in, checkpoints), apart from
 * gpu-backend.ts so that they load only when first used. `buffers`: params, stateA, stateB, then
 * the running statistics when the race has batch norm (GpuRaceBackend's order).
 */
import { mapForReading } from '../gpu/map-pump';
import type { NetworkLayout } from '../nn/layout';
import type { RaceSnapshot } from './backend';
import { checkSnapshot } from './engine-restore';

/** Every buffer copied into one mappable buffer after the commands submitted so far, then split. */
export async function readGpuSnapshot(
  device: GPUDevice,
  buffers: readonly GPUBuffer[],
  racers: number,
  layout: NetworkLayout,
): Promise<Omit<RaceSnapshot, 'steps'>> {
  const size = buffers.reduce((n, b) => n + b.size, 0);
  const staging = device.createBuffer({ label: 'Race.snapshot', size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  try {
    const encoder = device.createCommandEncoder({ label: 'Race.snapshot' });
    let at = 0;
    for (const b of buffers) {
      encoder.copyBufferToBuffer(b, 0, staging, at, b.size);
      at += b.size;
    }
    device.queue.submit([encoder.finish()]);
    await mapForReading(device, staging);
    const all = new Float32Array(staging.getMappedRange().slice(0));
    const n = racers * layout.paramsPerRacer;
    return {
      params: all.slice(0, n),
      state: [all.slice(n, 2 * n), all.slice(2 * n, 3 * n)],
      stats: all.slice(3 * n, 3 * n + racers * layout.statsPerRacer),
    };
  } finally {
    staging.destroy();
  }
}

/** The snapshot's numbers (checked against the race's sizes) into the buffers (float32; a CPU checkpoint's float64 rounded). */
export function writeGpuSnapshot(queue: GPUQueue, buffers: readonly GPUBuffer[], snapshot: RaceSnapshot, racers: number, layout: NetworkLayout): void {
  checkSnapshot(snapshot, racers, layout.paramsPerRacer, layout.statsPerRacer);
  // A copy of its own (not a view into shared memory): what writeBuffer takes.
  const f32 = (a: Float32Array | Float64Array): Float32Array<ArrayBuffer> => Float32Array.from(a);
  const [params, stateA, stateB, running] = buffers;
  queue.writeBuffer(params, 0, f32(snapshot.params));
  queue.writeBuffer(stateA, 0, f32(snapshot.state[0]));
  queue.writeBuffer(stateB, 0, f32(snapshot.state[1]));
  if (running) queue.writeBuffer(running, 0, f32(snapshot.stats));
}
