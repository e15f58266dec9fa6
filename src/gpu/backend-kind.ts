/**
 * Where a computation runs: `webgpu` (the WGSL kernels), `wasm` (float32 WebAssembly SIMD kernels,
 * src/wasm) or `cpu` (the float64 TypeScript references). Every engine, component, event and CLI
 * command names its backend with this type.
 */
export const kBackendKinds = ['webgpu', 'wasm', 'cpu'] as const;
export type BackendKind = (typeof kBackendKinds)[number];
