/**
 * Where a CLI command computes: `webgpu` (the WGSL kernels through Dawn; the default of trajectory
 * and init-histograms) or `cpu` (the float64 TypeScript references); `mnist` also has `wasm` and,
 * its default, `auto` (chooseBackend's choice, printed with its reason). WebGPU missing is an error
 * that suggests `--backend cpu`: a backend asked for by name never falls back silently, so a number
 * always comes from the backend that was asked for (or that auto said it chose).
 */
import { kBackendKinds, type BackendKind } from '../gpu/backend-kind';
import { chooseBackend, type WebGpuProbe } from '../race/backend-choice';
import { requestGpuDevice, withValidation, WebGPUUnavailableError } from '../gpu/device';
import { DeviceLostError, type DeviceLostReport } from '../gpu/device-lost';
import { nodeGpu } from '../gpu/node-gpu';
import { parseChoice, type OptionSpec } from './args';
import { errorMessage } from '../util/error-message';

export const kBackendOption: OptionSpec = {
  type: 'value',
  valueName: 'webgpu|cpu',
  description: 'webgpu runs the WGSL kernels (Dawn in Node); cpu the TypeScript reference (default: webgpu)',
};

/** The backends of the commands that have no WebAssembly engine (trajectory, init-histograms). */
const kGpuOrCpu = kBackendKinds.filter((k) => k !== 'wasm');

export function parseBackend(text: string | undefined): BackendKind {
  return parseChoice(text ?? 'webgpu', kGpuOrCpu, 'backend');
}

/** The mnist command's choices: every backend, and `auto` (the default, as in <optimizer-race>). */
export type MnistBackendChoice = BackendKind | 'auto';
const kMnistBackends: readonly MnistBackendChoice[] = [...kBackendKinds, 'auto'];

export const kMnistBackendOption: OptionSpec = {
  type: 'value',
  valueName: 'webgpu|wasm|cpu|auto',
  description:
    'webgpu runs the WGSL kernels (Dawn in Node); wasm the float32 WebAssembly SIMD kernels; cpu the float64 TypeScript reference; ' +
    'auto: webgpu on a hardware adapter, else wasm, printing which and why (default: auto)',
};

export function parseMnistBackend(text: string | undefined): MnistBackendChoice {
  return parseChoice(text ?? 'auto', kMnistBackends, 'backend');
}

/** `auto`: webgpu when Node's WebGPU offers a hardware adapter, else wasm, with the reason (chooseBackend's). */
export async function chooseAutoBackend(): Promise<{ kind: 'webgpu' | 'wasm'; why: string }> {
  let webgpu: WebGpuProbe;
  try {
    const adapter = await (await nodeGpu()).requestAdapter({ powerPreference: 'high-performance' });
    webgpu = adapter ? { state: 'ready', adapter: adapter.info } : { state: 'unavailable', missing: 'adapter', message: 'no WebGPU adapter' };
  } catch (error) {
    webgpu = { state: 'unavailable', missing: 'device', message: errorMessage(error) };
  }
  // Node always runs WebAssembly SIMD, so auto never lands on the CPU reference here.
  const choice = chooseBackend({ preference: 'auto', webgpu, wasm: { state: 'ready' } });
  return { kind: choice.kind === 'webgpu' ? 'webgpu' : 'wasm', why: choice.reason };
}

/** A failed attempt to get a WebGPU device; main prints it as is. */
export class BackendUnavailableError extends Error {
  override name = 'BackendUnavailableError';
}

/** The device went away mid-run (driver reset, destroy()): main prints it as is, exit code 1. */
export class DeviceLostRunError extends Error {
  override name = 'DeviceLostRunError';
}

/** How long a failed run waits for the device's `lost` to say whether a loss caused the failure. */
const kLostGraceMs = 200;

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
    const reason = errorMessage(error).replace(/\.?\s*$/, '.');
    const what = error instanceof WebGPUUnavailableError ? reason : `Could not open a WebGPU device: ${reason}`;
    throw new BackendUnavailableError(`${what} Run with --backend cpu to use the TypeScript reference instead.`);
  }
  let lost: GPUDeviceLostInfo | null = null;
  const lostNow = device.lost.then((info) => {
    lost ??= info;
    return info;
  });
  const lostError = (info: DeviceLostReport): DeviceLostRunError =>
    new DeviceLostRunError(`${new DeviceLostError(info).message} The run stopped; run it again, or use --backend cpu for the TypeScript reference.`);
  try {
    const result = await withValidation(device, () => body(device));
    // Lost while the run was under way: its numbers may be garbage even when every read-back returned.
    if (lost) throw lostError(lost);
    return result;
  } catch (error) {
    if (error instanceof DeviceLostRunError) throw error;
    // A read-back the loss aborted fails before `lost` resolves: give it a moment to say so.
    if (!lost && !(error instanceof DeviceLostError)) await Promise.race([lostNow, new Promise((resolve) => setTimeout(resolve, kLostGraceMs))]);
    const info: DeviceLostReport | null = lost ?? (error instanceof DeviceLostError ? { reason: error.reason, message: error.detail } : null);
    if (info) throw lostError(info);
    throw error;
  } finally {
    device.destroy();
  }
}
