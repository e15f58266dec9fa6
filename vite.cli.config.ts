/**
 * The CLI as Node ES modules in dist-cli/: cli.js, the `optimizer-race` command (package.json
 * "bin", with a shebang), runs main.js, the CLI itself (`npm run cli -- COMMAND`), filtering
 * Dawn's adapter warnings from its stderr (src/cli/bin.ts). Built by Vite so the engines' `?raw`
 * WGSL imports work as in the app; node_modules packages (webgpu: Dawn, a native addon) stay
 * external and load at run time, so they are runtime dependencies of the package.
 */
import { defineConfig } from 'vite';
import { raceWasmPlugin } from './src/wasm/asc-plugin.ts';
import { wgslMinifyPlugin } from './src/gpu/wgsl-minify-plugin.ts';

export default defineConfig({
  // public/ holds the app's static files (and the downloaded MNIST data): nothing the CLI needs.
  publicDir: false,
  // The WebAssembly kernels, compiled from src/wasm/assembly at build time.
  plugins: [raceWasmPlugin(), wgslMinifyPlugin()],
  build: {
    ssr: true,
    outDir: 'dist-cli',
    emptyOutDir: true,
    target: 'node20',
    rolldownOptions: {
      input: { cli: 'src/cli/bin.ts', main: 'src/cli/main.ts' },
      output: {
        format: 'es',
        entryFileNames: '[name].js',
        banner: (chunk) => (chunk.isEntry && chunk.name === 'cli' ? '#!/usr/bin/env node' : ''),
      },
    },
  },
});
