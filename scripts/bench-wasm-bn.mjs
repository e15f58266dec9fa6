#!/usr/bin/env node
// node scripts/bench-wasm-bn.mjs [ITERATIONS] [RACERS] [THREADS]: bench/wasm-bn-cost.ts (what batch
// norm costs a wasm racer) through Vite's SSR module runner, as scripts/bench-wasm.mjs does.
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
  const { runWasmBatchNormBench } = await server.ssrLoadModule('/bench/wasm-bn-cost.ts');
  const [iterations, racers, threads] = [30, 8, 1].map((fallback, i) => Number(process.argv[2 + i] ?? fallback));
  await runWasmBatchNormBench(iterations, racers, threads, root, (line) => process.stdout.write(`${line}\n`));
} finally {
  await server.close();
}
