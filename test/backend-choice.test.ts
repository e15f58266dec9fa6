/** The one owner of which engine an MNIST race runs on, the reason, and the badge that shows both. */
import { describe, expect, it } from 'vitest';
import { backendBadge } from '../src/ui/optimizer-race/backend-badge';
import { chooseBackend, parseBackendPreference, type ChoiceInputs, type WasmProbe, type WebGpuProbe } from '../src/race/backend-choice';

const hardware: WebGpuProbe = { state: 'ready', adapter: { vendor: 'nvidia', architecture: 'ampere', isFallbackAdapter: false } };
// What headless Chromium's SwiftShader reports (adapter.info, checked in the browser tests).
const swiftshader: WebGpuProbe = { state: 'ready', adapter: { vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true } };
const noApi: WebGpuProbe = { state: 'unavailable', missing: 'api', message: 'navigator.gpu is missing' };
const noAdapter: WebGpuProbe = { state: 'unavailable', missing: 'adapter', message: 'no GPU adapter was found' };
const lost: WebGpuProbe = { state: 'lost', adapter: hardware.adapter, message: 'The GPU device was lost (unknown)' };
const wasmOk: WasmProbe = { state: 'ready' };
const noWasm: WasmProbe = { state: 'unavailable', message: 'this browser has no WebAssembly SIMD' };

const choose = (inputs: Partial<ChoiceInputs>) => chooseBackend({ preference: 'auto', webgpu: hardware, wasm: wasmOk, ...inputs });

describe('chooseBackend', () => {
  it('auto: WebGPU on a hardware adapter, naming it', () => {
    expect(choose({})).toEqual({ kind: 'webgpu', reason: 'a hardware GPU adapter (nvidia ampere)', fellBack: false });
  });

  it('auto: WebAssembly SIMD without WebGPU, without an adapter, or on a software fallback', () => {
    expect(choose({ webgpu: noApi })).toEqual({ kind: 'wasm', reason: 'no WebGPU in this browser', fellBack: false });
    expect(choose({ webgpu: noAdapter })).toMatchObject({ kind: 'wasm', reason: 'WebGPU found no GPU adapter' });
    expect(choose({ webgpu: swiftshader })).toMatchObject({ kind: 'wasm', reason: 'the only WebGPU adapter is a software fallback (google swiftshader)' });
    expect(choose({ webgpu: { state: 'unavailable', missing: 'device', message: 'requestDevice failed' } })).toMatchObject({
      kind: 'wasm',
      reason: 'WebGPU could not start (requestDevice failed)',
    });
  });

  it('auto: waits for the WebGPU probe, but not for the wasm one', () => {
    expect(choose({ webgpu: { state: 'checking' } })).toMatchObject({ kind: null, waiting: true });
    expect(choose({ webgpu: noApi, wasm: { state: 'checking' } })).toMatchObject({ kind: 'wasm' });
  });

  it('auto: the CPU reference where neither WebGPU nor WebAssembly SIMD runs, saying both', () => {
    expect(choose({ webgpu: noApi, wasm: noWasm })).toEqual({
      kind: 'cpu',
      reason: 'no WebGPU in this browser, and WebAssembly SIMD is not available (this browser has no WebAssembly SIMD)',
      fellBack: true,
    });
  });

  it('auto: a lost hardware device blocks (the page offers a new device or the CPU); a lost software one keeps wasm', () => {
    expect(choose({ webgpu: lost })).toEqual({ kind: null, reason: 'The GPU device was lost (unknown)', waiting: false });
    expect(choose({ webgpu: { ...lost, adapter: swiftshader.adapter } })).toMatchObject({ kind: 'wasm' });
    expect(choose({ webgpu: lost, cpuAccepted: true })).toMatchObject({ kind: 'cpu', reason: 'the float64 reference, chosen after WebGPU failed' });
  });

  it('WebAssembly SIMD accepted after WebGPU failed (lost, or asked for and missing), while wasm is not known to fail', () => {
    expect(choose({ webgpu: lost, wasmAccepted: true })).toEqual({ kind: 'wasm', reason: 'chosen after WebGPU failed', fellBack: false });
    expect(choose({ preference: 'webgpu', webgpu: noAdapter, wasmAccepted: true })).toMatchObject({ kind: 'wasm' });
    expect(choose({ webgpu: lost, wasm: { state: 'checking' }, wasmAccepted: true })).toMatchObject({ kind: 'wasm' });
    // Found not to run: blocked again, so the page offers the CPU.
    expect(choose({ webgpu: lost, wasm: noWasm, wasmAccepted: true })).toMatchObject({ kind: null, waiting: false });
  });

  it('an engine asked for by name', () => {
    expect(choose({ preference: 'cpu', webgpu: noApi })).toMatchObject({ kind: 'cpu', reason: 'the float64 reference, chosen by backend="cpu"' });
    expect(choose({ preference: 'cpu', askedBy: 'force-cpu' })).toMatchObject({ kind: 'cpu', reason: 'the float64 reference, chosen by force-cpu' });
    expect(choose({ preference: 'wasm' })).toEqual({ kind: 'wasm', reason: 'chosen by backend="wasm"', fellBack: false });
    expect(choose({ preference: 'wasm', wasm: noWasm })).toEqual({
      kind: 'cpu',
      reason: 'WebAssembly SIMD is not available (this browser has no WebAssembly SIMD)',
      fellBack: true,
    });
    // WebGPU even on a software adapter; without WebGPU the page asks before using the CPU.
    expect(choose({ preference: 'webgpu', webgpu: swiftshader })).toMatchObject({ kind: 'webgpu', reason: 'chosen by backend="webgpu"' });
    expect(choose({ preference: 'webgpu', webgpu: { state: 'checking' } })).toMatchObject({ kind: 'webgpu' });
    expect(choose({ preference: 'webgpu', webgpu: noAdapter })).toEqual({ kind: null, reason: 'no GPU adapter was found', waiting: false });
    expect(choose({ preference: 'webgpu', webgpu: noAdapter, cpuAccepted: true })).toMatchObject({ kind: 'cpu' });
  });
});

describe('the inputs', () => {
  it('parseBackendPreference: the four names and auto, any case; null otherwise', () => {
    expect(['auto', 'webgpu', 'wasm', 'cpu', ' WASM '].map(parseBackendPreference)).toEqual(['auto', 'webgpu', 'wasm', 'cpu', 'wasm']);
    expect(parseBackendPreference(null)).toBe('auto');
    expect(parseBackendPreference('gpu')).toBeNull();
    expect(parseBackendPreference('force-cpu')).toBeNull();
  });
});

describe('the badge', () => {
  const wasm = chooseBackend({ preference: 'auto', webgpu: noApi, wasm: wasmOk });
  it('names the engine and why; the thread count once a wasm race runs on several', () => {
    expect(backendBadge(wasm, false, null, 1)).toEqual({ kind: 'wasm', label: 'WebAssembly SIMD', reason: 'no WebGPU in this browser' });
    expect(backendBadge(wasm, false, 'wasm', 4)).toMatchObject({ label: 'WebAssembly SIMD, 4 threads' });
  });
  it('while checking, when blocked, and for a race on another engine than the choice now', () => {
    expect(backendBadge(wasm, true, null, 1)).toEqual({ kind: 'none', label: 'checking WebGPU…', reason: '' });
    expect(backendBadge(choose({ preference: 'webgpu', webgpu: noAdapter }), false, null, 1)).toEqual({ kind: 'none', label: 'no WebGPU', reason: '' });
    expect(backendBadge(wasm, false, 'cpu', 1)).toEqual({ kind: 'cpu', label: 'CPU reference', reason: '' });
  });
});
