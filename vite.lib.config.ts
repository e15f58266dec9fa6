/**
 * The library bundle for embedding: dist/lib/optimizer-race.js (ESM) registers every element; the
 * embedded MNIST subset is copied beside it (public/ -> dist/lib/), the race worker (CPU reference,
 * WebAssembly SIMD) is a chunk in assets/, and the views loaded on first use are chunks in chunks/.
 */
import { defaultClientConditions, defineConfig } from 'vite';
import { embeddedMnistPlugin } from './src/data/embedded-mnist-plugin.ts';
import { raceWasmPlugin } from './src/wasm/asc-plugin.ts';
import { wgslMinifyPlugin } from './src/gpu/wgsl-minify-plugin.ts';
import { literalMinifyPlugin } from './src/ui/literal-minify-plugin.ts';

export default defineConfig({
  plugins: [embeddedMnistPlugin(), raceWasmPlugin(), wgslMinifyPlugin(), literalMinifyPlugin()],
  // Relative: the worker chunk's URL is emitted as new URL('assets/race-worker-….js', import.meta.url),
  // found beside the bundle wherever a page serves it (an absolute base gives '/assets/…' off the site root).
  base: './',
  // Always Lit's production build. Vite's default 'development|production' condition follows NODE_ENV,
  // so a build under Vitest (NODE_ENV=test) or a development shell would ship Lit's dev mode.
  resolve: { conditions: defaultClientConditions.map((c) => (c === 'development|production' ? 'production' : c)) },
  build: {
    target: 'es2022',
    outDir: 'dist/lib',
    emptyOutDir: true,
    lib: { entry: 'src/lib.ts', formats: ['es'], fileName: () => 'optimizer-race.js' },
    // Self-contained: lit, uplot and d3-contour are bundled so one script tag is all a page needs; what
    // only one view shows (the 3D view, the charts) is in chunks/, imported by the bundle the first time
    // it is shown. 'allow-extension' lets most of the code they share stay in the bundle instead of in
    // chunks of its own (scripts/bundle-size.mjs counts the bundle with the chunks it imports at once). Minified whitespace too (Vite keeps it in ES libraries for the pure annotations of
    // tree-shaking, which a bundle with side effects, loaded whole by its script tag, never gets).
    rollupOptions: {
      external: [],
      preserveEntrySignatures: 'allow-extension',
      output: { minify: true, chunkFileNames: 'chunks/[name]-[hash].js' },
    },
  },
  // The race worker is its own bundle and imports the wasm engine's virtual module.
  worker: { format: 'es', plugins: () => [raceWasmPlugin()] },
});
