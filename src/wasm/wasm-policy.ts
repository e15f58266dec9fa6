/**
 * Whether WebAssembly SIMD may run here, found without tripping a Content-Security-Policy.
 *
 * A compile that a policy refuses is, by the CSP spec, a violation: the browser fires
 * `securitypolicyviolation` and sends the policy's report. So the support check never compiles
 * where it can read the policy instead: `WebAssembly.validate` (not subject to a policy) says
 * whether SIMD exists, and the policy's text, read from the response header of the script that
 * would compile (the race worker's own, which obeys that header and no other), says whether
 * compiling is allowed. Only where the header cannot be read (a cross-origin script, a failed
 * request) is a compile tried, and its refusal is then the worker's, not the page's. No DOM.
 */
import { errorMessage } from '../util/error-message';

/** (func (result v128) (i8x16.popcnt (i8x16.splat (i32.const 0)))): one 128-bit SIMD instruction. */
export const kSimdProbe = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

/** Source keywords that let a script compile WebAssembly (CSP3; 'unsafe-eval' allows it too). */
const kWasmKeywords = new Set(["'wasm-unsafe-eval'", "'unsafe-eval'"]);

/**
 * The policy (of a `Content-Security-Policy` header's value: one or more policies, comma-joined)
 * that refuses to compile WebAssembly, or null when every one allows it. As CSP3 checks a
 * compile: each policy's script-src, or default-src where it has none, must list 'unsafe-eval' or
 * 'wasm-unsafe-eval'; a policy with neither directive allows it; a repeated directive counts once.
 */
export function policyRefusingWasm(header: string): string | null {
  for (const policy of header.split(',')) {
    const directives = new Map<string, string[]>();
    for (const directive of policy.split(';')) {
      const [name, ...sources] = directive.trim().toLowerCase().split(/\s+/);
      if (name && !directives.has(name)) directives.set(name, sources);
    }
    const sources = directives.get('script-src') ?? directives.get('default-src');
    if (sources && !sources.some((s) => kWasmKeywords.has(s))) return policy.trim();
  }
  return null;
}

/** The refusal, worded as the browsers word a refused compile (the UI turns either into one message). */
export function wasmRefusal(policy: string): string {
  return `Refused to compile WebAssembly: the Content Security Policy "${policy}" does not allow 'wasm-unsafe-eval'`;
}

/**
 * In the script that would compile (a worker): null when WebAssembly SIMD can run there, else why
 * not. `ownUrl` is that script's URL; its response header is read with a HEAD request.
 */
export async function wasmSimdProblem(ownUrl: string): Promise<string | null> {
  if (typeof WebAssembly !== 'object') return 'this browser has no WebAssembly';
  if (!WebAssembly.validate(kSimdProbe)) return 'this browser has no WebAssembly SIMD';
  const header = await ownPolicy(ownUrl);
  if (header === null) return null;
  if (header !== undefined) {
    const refusing = policyRefusingWasm(header);
    return refusing === null ? null : wasmRefusal(refusing);
  }
  try {
    await WebAssembly.compile(kSimdProbe);
    return null;
  } catch (error) {
    return errorMessage(error);
  }
}

/** The policy header of `url`'s response; null where it has none; undefined where that cannot be known. */
async function ownPolicy(url: string): Promise<string | null | undefined> {
  try {
    const response = await fetch(url, { method: 'HEAD' });
    // Only a same-origin ('basic') response shows every header: a cross-origin one may hide the policy.
    if (!response.ok || response.type !== 'basic') return undefined;
    return response.headers.get('content-security-policy');
  } catch {
    return undefined;
  }
}
