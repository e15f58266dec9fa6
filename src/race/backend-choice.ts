/**
 * Which engine an MNIST race runs on, and why: the one owner of that choice for the page's
 * <optimizer-race> and the CLI's `--backend auto`. Pure: the callers probe WebGPU and WebAssembly
 * and pass what they found; this decides, and words the reason a badge or a log line shows.
 *
 * `auto` takes WebGPU on a hardware adapter, and WebAssembly SIMD where WebGPU is missing or its
 * only adapter runs on the CPU (a fallback adapter: SwiftShader, lavapipe, llvmpipe), because the
 * wasm engine uses that CPU better. Where WebAssembly SIMD cannot run either (an old browser, a
 * Content-Security-Policy without 'wasm-unsafe-eval'), the float64 CPU reference.
 */
import { classifyAdapter, type AdapterSummary } from '../gpu/adapter-kind';
import { kBackendKinds, type BackendKind } from '../gpu/backend-kind';

/** What a page or a command asks for: an engine, or `auto`. */
export type BackendPreference = BackendKind | 'auto';
export const kBackendPreferences: readonly BackendPreference[] = ['auto', ...kBackendKinds];

/** The display names of the engines (badges, logs). */
export const kBackendLabels: Record<BackendKind, string> = {
  webgpu: 'WebGPU',
  wasm: 'WebAssembly SIMD',
  cpu: 'CPU reference',
};

/** What WebGPU gave: `api` and `adapter` name what was missing; `lost`, a device that went away. */
export type WebGpuProbe =
  | { state: 'checking' }
  | { state: 'ready'; adapter: AdapterSummary }
  | { state: 'unavailable'; missing: 'api' | 'adapter' | 'device'; message: string }
  | { state: 'lost'; adapter: AdapterSummary | null; message: string };

/** Whether the WebAssembly SIMD engine can run here (checked before a race, or failed in one). */
export type WasmProbe = { state: 'checking' } | { state: 'ready' } | { state: 'unavailable'; message: string };

export interface ChoiceInputs {
  preference: BackendPreference;
  /** The attribute the preference came from, for the reason ("backend=\"cpu\"" or "force-cpu"). */
  askedBy?: string;
  webgpu: WebGpuProbe;
  wasm: WasmProbe;
  /** The user accepted the CPU reference after WebGPU failed. */
  cpuAccepted?: boolean;
  /** The user accepted WebAssembly SIMD after WebGPU failed (it stands while wasm is not known to be unavailable). */
  wasmAccepted?: boolean;
}

/**
 * An engine and why; or `kind: null` while the choice waits for a probe (`waiting`) or needs the
 * user (WebGPU was asked for, or was in use, and failed: the page offers the CPU).
 */
export type BackendChoice = { kind: BackendKind; reason: string; fellBack: boolean } | { kind: null; reason: string; waiting: boolean };

/** Reads a `backend` attribute: null for anything but the four names. */
export function parseBackendPreference(text: string | null | undefined): BackendPreference | null {
  const value = (text ?? 'auto').trim().toLowerCase();
  return (kBackendPreferences as readonly string[]).includes(value) ? (value as BackendPreference) : null;
}

function whyNoGpu(webgpu: WebGpuProbe): string | null {
  if (webgpu.state === 'unavailable') {
    if (webgpu.missing === 'api') return 'no WebGPU in this browser';
    if (webgpu.missing === 'adapter') return 'WebGPU found no GPU adapter';
    return `WebGPU could not start (${webgpu.message})`;
  }
  const adapter = webgpu.state === 'ready' ? webgpu.adapter : webgpu.state === 'lost' ? webgpu.adapter : null;
  const kind = adapter && classifyAdapter(adapter);
  if (kind && kind.kind === 'software') {
    return `the only WebGPU adapter is a software fallback (${kind.name || 'the browser does not name it'})`;
  }
  return null;
}

/** WebAssembly SIMD if it can run, else the CPU reference; `why` says why not WebGPU. */
function wasmOrCpu(wasm: WasmProbe, why: string): BackendChoice {
  if (wasm.state !== 'unavailable') return { kind: 'wasm', reason: why, fellBack: false };
  return { kind: 'cpu', reason: `${why}, and WebAssembly SIMD is not available (${wasm.message})`, fellBack: true };
}

export function chooseBackend(inputs: ChoiceInputs): BackendChoice {
  const { preference, webgpu, wasm } = inputs;
  const asked = `chosen by ${inputs.askedBy ?? `backend="${preference}"`}`;
  if (preference === 'cpu') return { kind: 'cpu', reason: `the float64 reference, ${asked}`, fellBack: false };
  if (inputs.cpuAccepted) return { kind: 'cpu', reason: 'the float64 reference, chosen after WebGPU failed', fellBack: false };
  if (inputs.wasmAccepted && wasm.state !== 'unavailable') return { kind: 'wasm', reason: 'chosen after WebGPU failed', fellBack: false };
  if (preference === 'wasm') {
    if (wasm.state !== 'unavailable') return { kind: 'wasm', reason: asked, fellBack: false };
    return { kind: 'cpu', reason: `WebAssembly SIMD is not available (${wasm.message})`, fellBack: true };
  }
  if (preference === 'webgpu') {
    if (webgpu.state === 'ready' || webgpu.state === 'checking') return { kind: 'webgpu', reason: asked, fellBack: false };
    return { kind: null, reason: webgpu.message, waiting: false };
  }
  // auto
  if (webgpu.state === 'checking') return { kind: null, reason: 'checking WebGPU', waiting: true };
  const noGpu = whyNoGpu(webgpu);
  if (noGpu) return wasmOrCpu(wasm, noGpu);
  if (webgpu.state === 'ready') {
    // Firefox names no adapter: WebGPU, since it does not say it is a fallback, but not called hardware.
    const { name } = classifyAdapter(webgpu.adapter);
    const reason = name ? `a hardware GPU adapter (${name})` : 'an adapter the browser does not identify and does not mark as a software fallback';
    return { kind: 'webgpu', reason, fellBack: false };
  }
  // A hardware device was lost: the page offers a new device, WebAssembly SIMD or the CPU.
  return { kind: null, reason: webgpu.state === 'lost' ? webgpu.message : '', waiting: false };
}
