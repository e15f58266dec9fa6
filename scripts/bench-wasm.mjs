#!/usr/bin/env node
// node scripts/bench-wasm.mjs [ITERATIONS]: bench/wasm-node.ts through Vite's SSR module runner
// (so the ?raw shaders and the AssemblyScript module, virtual:race-wasm, are built as in the app).
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const server = await createServer({
  root,
  configFile: `${root}vite.config.ts`,
  cacheDir: `${root}node_modules/.vite-bench-wasm`,
  logLevel: 'warn',
  server: { middlewareMode: true, hmr: false },
});
try {
  const { runWasmNodeBench } = await server.ssrLoadModule('/bench/wasm-node.ts');
  await runWasmNodeBench(Number(process.argv[2] ?? 30), root, (line) => process.stdout.write(`${line}\n`));
} finally {
  await server.close();
}
