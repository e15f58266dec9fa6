/**
 * The one adapter classifier (src/gpu/adapter-kind.ts) on what real browsers report, and the
 * backend choice's words for each. The SwiftShader and Firefox rows were read from Chromium 156
 * (--use-webgpu-adapter=swiftshader) and Firefox ESR 153 (lavapipe through wgpu) on this machine;
 * Dawn's lavapipe row is also read from the live adapter below; the hardware rows are what
 * Chromium reports on those GPUs (vendor and architecture only; device and description are '').
 */
import { describe, expect, it } from 'vitest';
import { adapterName, classifyAdapter, isSoftwareAdapter, type AdapterSummary } from '../src/gpu/adapter-kind';
import { chooseBackend } from '../src/race/backend-choice';

const info = (vendor: string, architecture: string, isFallbackAdapter: boolean, device = '', description = ''): AdapterSummary => ({
  vendor,
  architecture,
  device,
  description,
  isFallbackAdapter,
});

const kSwiftShader = info('google', 'swiftshader', true);
const kDawnLavapipe = info('mesa', 'software', true, 'llvmpipe-llvm-15-0-6-256-bits-', 'llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6) 0.0.1');
const kFirefoxLavapipe = info('', '', true);
const kFirefoxUnflagged = info('', '', false);
const kNvidia = info('nvidia', 'ampere', false);
const kApple = info('apple', 'metal-3', false);
const kIntel = info('intel', 'gen-12lp', false);
const kWarp = info('microsoft', '', false, '', 'Microsoft Basic Render Driver');

const autoReason = (adapter: AdapterSummary): string =>
  chooseBackend({ preference: 'auto', webgpu: { state: 'ready', adapter }, wasm: { state: 'ready' } }).reason;

describe('classifyAdapter', () => {
  it('software: SwiftShader, lavapipe (by flag and by name), WARP; with the renderer named', () => {
    expect(classifyAdapter(kSwiftShader)).toEqual({ kind: 'software', renderer: 'SwiftShader', name: 'google swiftshader' });
    expect(classifyAdapter(kDawnLavapipe)).toMatchObject({ kind: 'software', renderer: 'llvmpipe' });
    expect(classifyAdapter({ ...kDawnLavapipe, isFallbackAdapter: false }).kind).toBe('software');
    expect(classifyAdapter({ description: 'lavapipe' })).toMatchObject({ kind: 'software', renderer: 'lavapipe' });
    expect(classifyAdapter(kWarp)).toMatchObject({ kind: 'software', renderer: 'WARP' });
    expect(classifyAdapter({ ...kNvidia, isFallbackAdapter: true })).toMatchObject({ kind: 'software', renderer: null });
  });

  it("Firefox's empty strings are no evidence either way: its fallback flag decides, and the name stays ''", () => {
    expect(classifyAdapter(kFirefoxLavapipe)).toEqual({ kind: 'software', renderer: null, name: '' });
    expect(classifyAdapter(kFirefoxUnflagged)).toEqual({ kind: 'hardware', renderer: null, name: '' });
    expect(classifyAdapter(undefined)).toEqual({ kind: 'hardware', renderer: null, name: '' });
  });

  it('hardware: NVIDIA, Apple, Intel as Chromium names them', () => {
    for (const adapter of [kNvidia, kApple, kIntel]) expect(classifyAdapter(adapter)).toEqual({ kind: 'hardware', renderer: null, name: adapterName(adapter) });
    expect(adapterName(kApple)).toBe('apple metal-3');
  });

  it("Dawn in Node: this machine's real adapter is classified by what it reports", async () => {
    const { nodeGpu } = await import('../src/gpu/node-gpu');
    const adapter = await (await nodeGpu()).requestAdapter();
    if (!adapter) {
      if (process.env.CI === 'true') throw new Error('no WebGPU adapter in Node (Dawn)');
      return;
    }
    const live = adapter.info;
    const kind = classifyAdapter(live);
    if (live.isFallbackAdapter) expect(kind.kind).toBe('software');
    if (/llvmpipe/i.test(live.description)) {
      // lavapipe, as in the table above: flagged, and named by every string but the vendor.
      expect(live).toMatchObject({ vendor: 'mesa', architecture: 'software', isFallbackAdapter: true });
      expect(kind).toMatchObject({ kind: 'software', renderer: 'llvmpipe' });
    }
    expect(isSoftwareAdapter(live)).toBe(kind.kind === 'software');
  });
});

describe("the backend choice's words for each", () => {
  it('names the software renderer it leaves, or says the browser did not name it', () => {
    expect(autoReason(kSwiftShader)).toBe('the only WebGPU adapter is a software fallback (google swiftshader)');
    expect(autoReason(kFirefoxLavapipe)).toBe('the only WebGPU adapter is a software fallback (the browser does not name it)');
  });

  it('calls an adapter hardware only when the browser names it', () => {
    expect(autoReason(kNvidia)).toBe('a hardware GPU adapter (nvidia ampere)');
    expect(autoReason(kFirefoxUnflagged)).toBe('an adapter the browser does not identify and does not mark as a software fallback');
    expect(chooseBackend({ preference: 'auto', webgpu: { state: 'ready', adapter: kFirefoxUnflagged }, wasm: { state: 'ready' } }).kind).toBe('webgpu');
  });
});
