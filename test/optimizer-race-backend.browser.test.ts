/**
 * <optimizer-race backend="…"> in Chromium: which engine races and what the badge says. `auto` is
 * checked against what this browser's adapter really reports (SwiftShader here: a fallback adapter,
 * so WebAssembly SIMD); `wasm` and `cpu` race in the race worker and agree with each other;
 * `force-cpu` is `cpu`. (`wasm` where WebAssembly cannot start: embed-csp.test.ts, under a policy
 * that forbids it.)
 */
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { decodeSafetensors } from '../src/data/safetensors';
import { $$, badge, kTiny, mountSmall, race, text, useOptimizerRaceHarness } from './optimizer-race-harness';
import { until } from './fixtures/element-probes';

useOptimizerRaceHarness();

/** What the adapter says of itself, through the adapter and through a device (the element reads the device's). */
async function adapterReport(): Promise<{ fallback: boolean; deviceFallback: boolean; name: string } | null> {
  const adapter = await navigator.gpu?.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return null;
  const device = await adapter.requestDevice();
  const report = {
    fallback: adapter.info.isFallbackAdapter,
    deviceFallback: device.adapterInfo.isFallbackAdapter,
    name: [adapter.info.vendor, adapter.info.architecture].filter(Boolean).join(' '),
  };
  device.destroy();
  return report;
}

describe('<optimizer-race backend>', () => {
  it('auto races where the adapter says it should, and the badge says why', async () => {
    const adapter = await adapterReport();
    if (import.meta.env.VITE_CI) expect(adapter, 'CI runs Chromium with SwiftShader').toMatchObject({ fallback: true, name: 'google swiftshader' });
    const el = await mountSmall({ ...kTiny, backend: 'auto' });
    expect(el.backend).toBe('auto');
    await race(el);
    if (adapter) expect(adapter.deviceFallback).toBe(adapter.fallback);
    if (!adapter) {
      expect(el.activeBackend).toBe('wasm');
      expect(badge(el)).toBe('WebAssembly SIMD — WebGPU found no GPU adapter');
    } else if (adapter.fallback) {
      expect(el.activeBackend).toBe('wasm');
      expect(badge(el)).toBe(`WebAssembly SIMD — the only WebGPU adapter is a software fallback (${adapter.name})`);
    } else {
      expect(el.activeBackend).toBe('webgpu');
      expect(badge(el)).toMatch(/^WebGPU — a hardware GPU adapter/);
    }
    expect(el.history.every((h) => h.losses.length === 3)).toBe(true);
    expect(text(el, '.notice')).toBe('');
  });

  it('wasm and cpu race in the worker and agree (float32 against the float64 reference)', async () => {
    const wasm = await mountSmall({ ...kTiny, backend: 'wasm' });
    expect(badge(wasm)).toBe('WebAssembly SIMD — chosen by backend="wasm"');
    await race(wasm);
    expect(wasm.activeBackend).toBe('wasm');
    const cpu = await mountSmall({ ...kTiny, backend: 'cpu' });
    expect(badge(cpu)).toBe('CPU reference — the float64 reference, chosen by backend="cpu"');
    await race(cpu);
    expect(cpu.activeBackend).toBe('cpu');
    for (const [r, h] of wasm.history.entries()) {
      const reference = cpu.history[r];
      expect(h.losses).toHaveLength(3);
      h.losses.forEach((loss, i) => expect(Math.abs(loss - reference.losses[i])).toBeLessThan(1e-3 * reference.losses[i]));
      expect(h.accuracy.map((a) => a.iteration)).toEqual(reference.accuracy.map((a) => a.iteration));
    }
    // Weights out of the worker's engines (issue 22): one racer's file, and every racer's in one zip.
    expect($$(wasm, '[data-weights]').map((b) => [b.textContent, (b as HTMLButtonElement).disabled])).toEqual([
      ['Adam', false],
      ['Momentum', false],
      ['All racers (zip)', false],
    ]);
    const momentum = decodeSafetensors(await wasm.saveWeights(1));
    expect(momentum.metadata).toMatchObject({ optimizer: 'momentum', iteration: '3', sizes: '784-100-100-100-100-10', seed: '1' });
    expect([...momentum.tensors.keys()].sort()).toEqual([
      '0.bias',
      '0.weight',
      '2.bias',
      '2.weight',
      '4.bias',
      '4.weight',
      '6.bias',
      '6.weight',
      '8.bias',
      '8.weight',
    ]);
    expect(momentum.tensors.get('0.weight')?.shape).toEqual([100, 784]);
    const zip = unzipSync(await cpu.saveWeights());
    expect(Object.keys(zip)).toEqual(['1-Adam.safetensors', '2-Momentum.safetensors']);
    // The float64 reference's weights, rounded to float32, near the wasm engine's after 3 steps.
    const cpuWeight = decodeSafetensors(zip['2-Momentum.safetensors']).tensors.get('8.weight')?.data as Float32Array;
    const wasmWeight = momentum.tensors.get('8.weight')?.data as Float32Array;
    wasmWeight.forEach((w, k) => expect(Math.abs(w - cpuWeight[k])).toBeLessThan(1e-4));
    await expect(wasm.saveWeights(2)).rejects.toThrow('racer 2 is not a racer of this race (0 to 1)');
    // A checkpoint after one step, loaded into another element, continues to the straight race's numbers.
    const stepped = await mountSmall({ ...kTiny, backend: 'wasm' });
    await until('a backend', () => !/checking/.test(badge(stepped)));
    await stepped.step();
    const checkpoint = await stepped.checkpoint();
    const resumed = await mountSmall({ ...kTiny, backend: 'wasm' });
    await until('a backend', () => !/checking/.test(badge(resumed)));
    await resumed.loadCheckpoint(checkpoint);
    expect([resumed.status, resumed.history[0].losses.length]).toEqual(['paused', 1]);
    await resumed.start();
    expect(resumed.history.map((h) => [h.losses, h.accuracy])).toEqual(wasm.history.map((h) => [h.losses, h.accuracy]));
    // Weights in through the racers attribute ("init": {"weights": URL}): an SGD racer at lr 1e-30 keeps
    // what it loaded through one step, so the weights read back are the file's.
    const url = URL.createObjectURL(new Blob([zip['2-Momentum.safetensors'] as BlobPart]));
    const loaded = await mountSmall({
      ...kTiny,
      backend: 'wasm',
      racers: JSON.stringify([{ optimizer: 'sgd', hyperparameters: { lr: 1e-30 }, init: { weights: url } }]),
    });
    await until('a backend', () => !/checking/.test(badge(loaded)));
    await loaded.step();
    const readBack = decodeSafetensors(await loaded.saveWeights(0)).tensors;
    for (const [name, tensor] of decodeSafetensors(zip['2-Momentum.safetensors']).tensors) {
      const back = readBack.get(name)?.data as Float32Array;
      (tensor.data as Float32Array).forEach((w, k) => expect(Math.abs(back[k] - w)).toBeLessThan(1e-12));
    }
    // A file that is not a weights file: one message naming the racer, and no race.
    const zipUrl = URL.createObjectURL(new Blob([(await cpu.saveWeights()) as BlobPart]));
    const refused = await mountSmall({ ...kTiny, backend: 'wasm', racers: JSON.stringify([{ optimizer: 'adam', init: { weights: zipUrl } }]) });
    await until('a backend', () => !/checking/.test(badge(refused)));
    await refused.step();
    expect(text(refused, '[part="message"]')).toMatch(/^\s*Could not load a racer's weights: racer 1 \(Adam\): weights blob:\S+: /);
    expect(refused.history).toEqual([]);
    // The editor's "Load weights…" (keyboard reachable, labelled): a bad file is refused on the card and the init stays.
    const choose = async (bytes: Uint8Array, name: string) => {
      const input = $$<HTMLInputElement>(refused, 'input[data-field="weights-file"]')[0];
      const files = new DataTransfer();
      files.items.add(new File([bytes as BlobPart], name));
      input.files = files.files;
      input.dispatchEvent(new Event('change'));
    };
    const input = $$<HTMLInputElement>(refused, 'input[data-field="weights-file"]')[0];
    expect([input.getAttribute('aria-label'), input.tabIndex]).toEqual(['Adam: load weights (.safetensors)', 0]);
    await choose(zip['1-Adam.safetensors'].subarray(0, 100), 'short.safetensors');
    await until('the refusal', () => /Could not load weights: short\.safetensors: /.test(text(refused, '.racer-card')));
    expect(refused.racers[0].initWeights).toBe(zipUrl);
    await choose(zip['2-Momentum.safetensors'], '2-Momentum.safetensors');
    await until('the file read', () => refused.racers[0].initWeights !== zipUrl);
    expect(refused.racers[0].initWeights).toMatch(/^blob:/);
    expect(text(refused, '[data-field="weights-from"]')).toContain('starts from 2-Momentum.safetensors');
    expect(text(refused, '.racer-card')).not.toContain('Could not load weights');
    await refused.step();
    expect(refused.history[0].losses).toHaveLength(1);
    // The JSON export names the file read (a blob: URL means nothing outside this page); a URL given stays as it is.
    const exported = refused.json()!;
    expect([exported.racers[0].init, exported.config.racers[0].initWeights]).toEqual([{ weights: '2-Momentum.safetensors' }, '2-Momentum.safetensors']);
    expect(loaded.json()!.racers[0].init).toEqual({ weights: url });
    // A weights file is no checkpoint: refused, and the race stays as it was.
    await expect(cpu.loadCheckpoint(zip['1-Adam.safetensors'])).rejects.toThrow('not a race checkpoint');
    expect([cpu.status, cpu.history[0].losses.length]).toEqual(['finished', 3]);
  });

  it('force-cpu is backend="cpu", whatever backend says', async () => {
    const el = await mountSmall({ ...kTiny, 'force-cpu': '', backend: 'wasm' });
    expect(badge(el)).toBe('CPU reference — the float64 reference, chosen by force-cpu');
    await race(el);
    expect(el.activeBackend).toBe('cpu');
  });

  it('a backend set later applies to the next race; an unknown name is noted and read as auto', async () => {
    const el = await mountSmall({ ...kTiny, backend: 'cpu' });
    el.backend = 'wasm';
    await el.updateComplete;
    await until('the wasm badge', () => badge(el).startsWith('WebAssembly SIMD — chosen by backend="wasm"'));
    el.setAttribute('backend', 'gpu');
    await el.updateComplete;
    expect(text(el, '.notice')).toContain('backend: "gpu" is not one of auto, webgpu, wasm, cpu; using auto.');
    await race(el);
    expect(el.activeBackend).not.toBe('cpu');
  });
});
