#!/usr/bin/env node
// npm run bench [-- --iterations N ...]: the benchmark (bench/README.md). Starts ONE Vite server,
// which serves the browser page (bench/index.html) to headless Chromium and, through its SSR module
// runner, runs the Node side (bench/main.ts) so that TypeScript and `?raw` shader imports work.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const server = await createServer({
  root,
  configFile: `${root}vite.config.ts`,
  // Its own dependency cache, so that dev servers and test runs elsewhere do not race on it.
  cacheDir: `${root}node_modules/.vite-bench`,
  logLevel: 'warn',
  // Pre-bundled up front: discovering them while the page runs would make Vite reload it.
  optimizeDeps: { include: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-webgpu', '@tensorflow/tfjs-backend-wasm'] },
  // TF.js wasm's binaries are served from node_modules, which may be a link to another checkout.
  // The page is cross-origin isolated (vite.config.ts's COOP/COEP headers), so wasm engines may use threads.
  server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, open: false, fs: { allow: [root, realpathSync(`${root}node_modules`)] } },
});

let code = 1;
try {
  await server.listen();
  const { runBench } = await server.ssrLoadModule('/bench/main.ts');
  code = await runBench(process.argv.slice(2), { server, root, stdout: process.stdout, stderr: process.stderr });
} catch (error) {
  const usage = error?.name === 'UsageError';
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}${usage ? ' (see --help)' : ''}\n`);
  code = usage ? 2 : 1;
} finally {
  await server.close();
}
// Dawn may keep the event loop alive after its device is destroyed: exit once the output is flushed.
await Promise.all([process.stdout, process.stderr].map((s) => new Promise((done) => s.write('', done))));
process.exit(code);
