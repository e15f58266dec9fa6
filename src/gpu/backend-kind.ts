/**
 * Where a computation runs: `webgpu` (the WGSL kernels) or `cpu` (the float64 TypeScript
 * references). Every engine, component, event and CLI command names its backend with this type.
 */
export const kBackendKinds = ['webgpu', 'cpu'] as const;
export type BackendKind = (typeof kBackendKinds)[number];
