/**
 * Whether a WebGPU adapter is a GPU or a CPU emulating one: the one owner of that fact for the
 * matmul strategy (src/nn/affine-passes.ts), the backend choice (src/race/backend-choice.ts) and
 * the 3D view (gpu-surface.ts), so the three never disagree about one adapter.
 *
 * Evidence, strongest first: the adapter's own `isFallbackAdapter` (Chromium on SwiftShader, Dawn
 * in Node on lavapipe and Firefox on lavapipe through wgpu all set it), then a known software
 * renderer in its name. What browsers report, read from real adapters:
 *   Chromium, SwiftShader   vendor 'google', architecture 'swiftshader', fallback
 *   Dawn in Node, lavapipe  vendor 'mesa', architecture 'software', device 'llvmpipe-…',
 *                           description 'llvmpipe: Mesa …', fallback
 *   Firefox (153)           every string '' whatever the adapter; fallback on lavapipe
 *   Chromium, a real GPU    e.g. 'nvidia' 'ampere', 'apple' 'metal-3', 'intel' 'gen-12lp'
 * Empty strings say nothing about the adapter (Firefox withholds them): without the fallback flag
 * such an adapter counts as hardware, and `name` is '' so callers can say the browser did not name it.
 */

/** The part of GPUAdapterInfo that identifies an adapter (every field optional: older browsers lack some). */
export interface AdapterSummary {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

export interface AdapterKind {
  kind: 'hardware' | 'software';
  /** The software renderer the info names ('SwiftShader', 'lavapipe', 'llvmpipe', 'WARP'); null otherwise. */
  renderer: string | null;
  /** What the browser says the adapter is ('google swiftshader'); '' where it says nothing (Firefox). */
  name: string;
}

/** Software renderers by what their names contain, first match wins. */
const kSoftwareRenderers: readonly (readonly [RegExp, string])[] = [
  [/swiftshader/i, 'SwiftShader'],
  [/lavapipe/i, 'lavapipe'],
  [/llvmpipe/i, 'llvmpipe'],
  [/microsoft basic render/i, 'WARP'],
];

/** vendor, architecture, device and description, the empty ones left out. */
export function adapterName(info: AdapterSummary): string {
  return [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ');
}

/**
 * Hardware or software. Software: the adapter says it is a fallback, or its name is a known
 * software renderer or says 'software' (Mesa's architecture). No info at all (an old browser
 * without `adapterInfo`) counts as hardware with no name, as an empty one does.
 */
export function classifyAdapter(info: AdapterSummary | undefined): AdapterKind {
  const name = info ? adapterName(info) : '';
  const renderer = kSoftwareRenderers.find(([pattern]) => pattern.test(name))?.[1] ?? null;
  const software = info?.isFallbackAdapter === true || renderer !== null || /\bsoftware\b/i.test(name);
  return { kind: software ? 'software' : 'hardware', renderer, name };
}

export const isSoftwareAdapter = (info: AdapterSummary | undefined): boolean => classifyAdapter(info).kind === 'software';
