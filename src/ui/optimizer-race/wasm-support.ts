/**
 * Whether this page can run the WebAssembly SIMD engine, asked once per page and only where the
 * choice would be wasm. The engine runs in the race worker, under that worker script's own
 * Content-Security-Policy (script-src 'wasm-unsafe-eval' where a policy is set), so the question is
 * the worker's (src/wasm/wasm-policy.ts): it reads its policy instead of compiling where it can,
 * and the page never compiles WebAssembly itself, so a policy without 'wasm-unsafe-eval' sees no
 * violation. A refusal becomes a message that says which source to allow.
 */
import { errorMessage } from '../../util/error-message';
import { WorkerRaceBackend } from '../../race/worker-backend';

let support: Promise<string | null> | undefined;

/** Says why a compile failed, in the words a page author acts on (Chromium's and Firefox's refusals alike). */
export function wasmFailureReason(error: unknown): string {
  const text = errorMessage(error);
  if (/refused to compile|content security policy|unsafe-eval|blocked by csp/i.test(text)) {
    return "this page's Content-Security-Policy does not allow WebAssembly (script-src needs 'wasm-unsafe-eval')";
  }
  return text;
}

/** null when WebAssembly SIMD runs here, else why not. */
export function wasmSimdSupport(): Promise<string | null> {
  support ??= WorkerRaceBackend.probeWasm().then((problem) => (problem === null ? null : wasmFailureReason(problem)));
  return support;
}
