/**
 * <optimizer-race backend="wasm"> where WebAssembly SIMD cannot start (the probe mocked): the race
 * falls back to the CPU reference with a notice. Its own file, for the module mock: the browser
 * project shares its modules between files, so this runs in the isolated `browser-mocks` project.
 */
import { describe, expect, it, vi } from 'vitest';
import * as wasmSupport from '../src/ui/optimizer-race/wasm-support';
import { $$, badge, kTiny, mountSmall, race, useOptimizerRaceHarness } from './optimizer-race-harness';

vi.mock('../src/ui/optimizer-race/wasm-support', { spy: true });
useOptimizerRaceHarness();

describe('<optimizer-race backend="wasm"> without WebAssembly SIMD', () => {
  it('without WebAssembly SIMD, backend="wasm" falls back to the CPU reference with a notice', async () => {
    const why = 'this browser has no WebAssembly SIMD';
    vi.mocked(wasmSupport.wasmSimdSupport).mockResolvedValue(why);
    const el = await mountSmall({ ...kTiny, backend: 'wasm' });
    await race(el);
    expect(el.activeBackend).toBe('cpu');
    expect(badge(el)).toBe(`CPU reference — WebAssembly SIMD is not available (${why})`);
    const notices = $$(el, '.notice.info').map((n) => (n.textContent ?? '').replace(/\s+/g, ' '));
    expect(notices.join(' ')).toContain(`Racing on the CPU reference: WebAssembly SIMD is not available (${why}).`);
    expect(el.history.every((h) => h.losses.length === 3)).toBe(true);
  });
});
