/**
 * The headers that make a page cross-origin isolated (`crossOriginIsolated`), which lets the
 * WebAssembly engine share one memory across worker threads. The dev server, `vite preview` and
 * the benchmark page send them (vite.config.ts); embedders set the same on their pages (README).
 * With require-corp, cross-origin subresources need CORS or Cross-Origin-Resource-Policy.
 */
export const kCrossOriginIsolationHeaders: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};
