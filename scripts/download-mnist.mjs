#!/usr/bin/env node
// npm run data:mnist [-- --from DIR | --mirror URL ...]: full MNIST into public/data/mnist/.
// The code is TypeScript (src/data/node/download-cli.ts); Node 20 cannot run .ts, so Vite's module
// runner loads it. Run from anywhere: paths are resolved against the working directory.
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const { module } = await runnerImport(`${root}src/data/node/download-cli.ts`, { configFile: false, root, logLevel: 'error' });
process.exitCode = await module.runDownloadCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
