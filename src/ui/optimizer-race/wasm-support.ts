/**
 * Whether this page can run the WebAssembly SIMD engine, asked once per page: the browser must
 * validate a 128-bit SIMD instruction, and the page's Content-Security-Policy must let it compile
 * WebAssembly (script-src 'wasm-unsafe-eval' where a policy is set). A one-instruction module is
 * compiled; a refusal by the policy becomes a message that says which source to allow.
 */
import { errorMessage } from '../../util/error-message';

/** (func (result v128) (i8x16.popcnt (i8x16.splat (i32.const 0)))) */
const kSimdProbe = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

let support: Promise<string | null> | undefined;

/** Says why a compile failed, in the words a page author acts on. */
export function wasmFailureReason(error: unknown): string {
  const text = errorMessage(error);
  if (/refused to compile|content security policy|unsafe-eval/i.test(text)) {
    return "this page's Content-Security-Policy does not allow WebAssembly (script-src needs 'wasm-unsafe-eval')";
  }
  return text;
}

/** null when WebAssembly SIMD runs here, else why not. */
export function wasmSimdSupport(): Promise<string | null> {
  support ??= (async () => {
    if (typeof WebAssembly !== 'object') return 'this browser has no WebAssembly';
    if (!WebAssembly.validate(kSimdProbe)) return 'this browser has no WebAssembly SIMD';
    try {
      await WebAssembly.compile(kSimdProbe);
      return null;
    } catch (error) {
      return wasmFailureReason(error);
    }
  })();
  return support;
}
