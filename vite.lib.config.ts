/**
 * The library bundle for embedding: dist/lib/optimizer-race.js (ESM) registers every element; the
 * embedded MNIST subset is copied beside it (public/ -> dist/lib/), and the CPU worker is a chunk.
 */
import { defineConfig } from 'vite';
import { embeddedMnistPlugin } from './src/data/embedded-mnist-plugin.ts';

export default defineConfig({
  plugins: [embeddedMnistPlugin()],
  build: {
    target: 'es2022',
    outDir: 'dist/lib',
    emptyOutDir: true,
    lib: { entry: 'src/lib.ts', formats: ['es'], fileName: () => 'optimizer-race.js' },
    // Self-contained: lit, uplot and d3-contour are bundled so one script tag is all a page needs.
    rollupOptions: { external: [] },
  },
  worker: { format: 'es' },
});
