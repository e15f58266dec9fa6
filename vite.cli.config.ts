/**
 * The CLI as one Node ES module, dist-cli/cli.js (`npm run cli -- COMMAND`). Built by Vite so the
 * engines' `?raw` WGSL imports work as in the app; node_modules packages (webgpu: Dawn, a native
 * addon) stay external and load at run time.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  // public/ holds the app's static files (and the downloaded MNIST data): nothing the CLI needs.
  publicDir: false,
  build: {
    ssr: 'src/cli/main.ts',
    outDir: 'dist-cli',
    emptyOutDir: true,
    target: 'node20',
    rolldownOptions: { output: { format: 'es', entryFileNames: 'cli.js' } },
  },
});
