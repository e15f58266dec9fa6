/**
 * A GPUDevice for tests, in Node (Dawn) or the browser (Chromium). Under CI=true a missing
 * adapter fails the test; elsewhere GPU tests are skipped with the reason printed.
 */
import { readFloat32 } from '../src/gpu/buffers';
import { requestGpuDevice, withValidation } from '../src/gpu/device';

const kInBrowser = typeof window !== 'undefined';
const kCI = (kInBrowser ? import.meta.env.VITE_CI : process.env.CI) === 'true';

export async function testDevice(): Promise<GPUDevice | undefined> {
  try {
    const gpu = kInBrowser ? undefined : await (await import('../src/gpu/node-gpu')).nodeGpu();
    return await requestGpuDevice({ gpu, label: 'test' });
  } catch (error) {
    if (kCI) throw error;
    console.warn(`GPU tests skipped: ${String(error)}`);
    return undefined;
  }
}

export { withValidation } from '../src/gpu/device';
export { seededRandom } from '../src/util/random';

/**
 * Relative error in the infinity norm: max |actual - expected| / max(|expected|, minScale). Elementwise
 * ratios are meaningless for elements that cross zero, where float32 rounding dominates.
 */
export function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>, minScale = 0): number {
  let worst = 0;
  let scale = minScale;
  for (let i = 0; i < expected.length; i++) {
    const diff = Math.abs(actual[i] - expected[i]);
    worst = Number.isNaN(diff) ? Infinity : Math.max(worst, diff);
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return scale === 0 ? worst : worst / scale;
}

/** Records one compute pass, submits it inside a validation error scope (fails on any validation error). */
export async function run(gpu: GPUDevice, record: (pass: GPUComputePassEncoder) => void): Promise<void> {
  await withValidation(gpu, () => {
    const encoder = gpu.createCommandEncoder({ label: 'test.encoder' });
    const pass = encoder.beginComputePass({ label: 'test.pass' });
    record(pass);
    pass.end();
    gpu.queue.submit([encoder.finish()]);
  });
}

export async function readU32(gpu: GPUDevice, buffer: GPUBuffer): Promise<Uint32Array> {
  return new Uint32Array((await readFloat32(gpu, buffer)).buffer);
}

/** Passes (pipelines) built once per key and file: compiling dominates on emulated adapters. */
const passCache = new Map<string, unknown>();
export function cached<T>(key: string, make: () => T): T {
  if (!passCache.has(key)) passCache.set(key, make());
  return passCache.get(key) as T;
}
