/**
 * Where a CLI command computes: `webgpu` (the WGSL kernels through Dawn, the default) or `cpu`
 * (the float64 TypeScript references). WebGPU missing is an error that suggests `--backend cpu`;
 * the CLI never falls back silently, so a number always comes from the backend that was asked for.
 */
import { kBackendKinds, type BackendKind } from '../gpu/backend-kind';
import { requestGpuDevice, withValidation, WebGPUUnavailableError } from '../gpu/device';
import { nodeGpu } from '../gpu/node-gpu';
import { parseChoice, type OptionSpec } from './args';

export const kBackendOption: OptionSpec = {
  type: 'value',
  valueName: 'webgpu|cpu',
  description: 'webgpu runs the WGSL kernels (Dawn in Node); cpu the TypeScript reference (default: webgpu)',
};

export function parseBackend(text: string | undefined): BackendKind {
  return parseChoice(text ?? 'webgpu', kBackendKinds, 'backend');
}

/** A failed attempt to get a WebGPU device; main prints it as is. */
export class BackendUnavailableError extends Error {
  override name = 'BackendUnavailableError';
}

/** Names the adapter, e.g. 'webgpu (llvmpipe: Mesa 25.0.7 ...)'. */
export function describeDevice(device: GPUDevice): string {
  const info = device.adapterInfo;
  const name = info?.description || [info?.vendor, info?.architecture, info?.device].filter(Boolean).join(' ');
  return name ? `webgpu (${name})` : 'webgpu';
}

/**
 * Opens a Node WebGPU device, runs `body` inside a validation error scope and destroys the device,
 * whatever happens: a run never leaves GPU work or a device behind.
 */
export async function withNodeDevice<T>(label: string, body: (device: GPUDevice) => Promise<T>): Promise<T> {
  let device: GPUDevice;
  try {
    device = await requestGpuDevice({ gpu: await nodeGpu(), label });
  } catch (error) {
    // WebGPUUnavailableError already says what to enable; anything else (requestDevice failing) gets a prefix.
    const reason = (error instanceof Error ? error.message : String(error)).replace(/\.?\s*$/, '.');
    const what = error instanceof WebGPUUnavailableError ? reason : `Could not open a WebGPU device: ${reason}`;
    throw new BackendUnavailableError(`${what} Run with --backend cpu to use the TypeScript reference instead.`);
  }
  try {
    return await withValidation(device, () => body(device));
  } finally {
    device.destroy();
  }
}
