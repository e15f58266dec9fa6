/**
 * The real-GPU benchmark as one Node ES module, dist-gpubench/bench.js (bench/gpu/bench.ts), for a
 * machine without npm (bench/gpu/pack.sh packs it): everything is bundled, shaders inlined through
 * `?raw`, except the `webgpu` package (Dawn, a native addon), which the pack carries beside it.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  publicDir: false,
  ssr: { noExternal: true, external: ['webgpu'] },
  build: {
    ssr: true,
    outDir: 'dist-gpubench',
    emptyOutDir: true,
    target: 'node20',
    rolldownOptions: {
      input: { bench: 'bench/gpu/bench.ts' },
      output: { format: 'es', entryFileNames: '[name].js' },
    },
  },
});
