#!/usr/bin/env node
// npm run typecheck:wasm (after `tsc -p src/wasm/assembly`, which checks every file against
// assemblyscript's std types, unreachable code and unused names included): asc's own check of
// src/wasm/assembly, AssemblyScript's stricter types, with the optimizer dispatch generated as the
// build generates it. Fails on any warning or error. asc-plugin.ts is TypeScript, so it is loaded
// through Vite's module runner.
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const { module } = await runnerImport(`${root}src/wasm/asc-plugin.ts`, { root, configFile: false, logLevel: 'warn' });
try {
  for (const shared of [false, true]) await module.compileRaceWasm({ root, shared, noEmit: true });
  console.log('AssemblyScript: no errors, no warnings (plain and shared memory)');
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
