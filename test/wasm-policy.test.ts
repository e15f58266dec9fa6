/**
 * Reading whether a Content-Security-Policy lets a script compile WebAssembly (src/wasm/wasm-policy.ts),
 * by CSP3's rule: script-src, else default-src, must list 'wasm-unsafe-eval' or 'unsafe-eval'.
 */
import { describe, expect, it } from 'vitest';
import { kSimdProbe, policyRefusingWasm, wasmRefusal } from '../src/wasm/wasm-policy';
import { wasmFailureReason } from '../src/ui/optimizer-race/wasm-support';

describe('policyRefusingWasm', () => {
  it.for([
    ["default-src 'self'", "default-src 'self'"],
    ["default-src 'self'; script-src 'self' 'wasm-unsafe-eval'", null],
    ["default-src 'self'; script-src 'self' 'unsafe-eval'", null],
    ["default-src 'self' 'wasm-unsafe-eval'", null],
    // script-src replaces default-src for a compile, in both directions.
    ["default-src 'wasm-unsafe-eval'; script-src 'self'", "default-src 'wasm-unsafe-eval'; script-src 'self'"],
    ["script-src 'self'; default-src 'none'", "script-src 'self'; default-src 'none'"],
    // Directives that do not govern a compile.
    ["img-src 'none'; connect-src 'self'", null],
    ["script-src-elem 'self'; worker-src 'self'", null],
    // Names and keywords are case-insensitive; spaces and empty directives are allowed.
    ["  SCRIPT-SRC 'self' 'WASM-UNSAFE-EVAL' ;; ", null],
    // The first of a repeated directive counts.
    ["script-src 'self'; script-src 'wasm-unsafe-eval'", "script-src 'self'; script-src 'wasm-unsafe-eval'"],
    // Several policies (headers joined by commas): each must allow it.
    ["script-src 'wasm-unsafe-eval', default-src 'self'", "default-src 'self'"],
    ["script-src 'wasm-unsafe-eval', img-src 'none'", null],
    ['', null],
  ] as const)('%s → %s', ([header, refusing]) => {
    expect(policyRefusingWasm(header)).toBe(refusing);
  });

  it("words a refusal, ours or a browser's, so that the page's message names the source to allow", () => {
    const why = "this page's Content-Security-Policy does not allow WebAssembly (script-src needs 'wasm-unsafe-eval')";
    expect(wasmFailureReason(new Error(wasmRefusal("default-src 'self'")))).toBe(why);
    // Chromium's and Firefox's own words for a refused compile (where the worker had to try).
    expect(
      wasmFailureReason(
        new Error(
          "WebAssembly.compile(): Compiling or instantiating WebAssembly module violates the following Content Security policy directive because 'unsafe-eval' is not an allowed source",
        ),
      ),
    ).toBe(why);
    expect(wasmFailureReason(new Error('CompileError: call to WebAssembly.compile() blocked by CSP'))).toBe(why);
    expect(wasmFailureReason(new Error('out of memory'))).toBe('out of memory');
  });

  it('the SIMD probe is one valid module with a 128-bit instruction', () => {
    expect(WebAssembly.validate(kSimdProbe)).toBe(true);
  });
});
