/**
 * Global setup of the node test projects (node, then e2e), before any test file runs: the demo
 * (dist/), the library bundle (dist/lib/) and the CLI (dist-cli/) are built ONCE per run from the
 * current source (the second project's setup finds them fresh), and a static server serves the
 * built demo to the files that open it in a browser.
 *
 * Builds are skipped when they are fresh: `npm run build` ends by stamping dist/ with a hash of its
 * inputs (scripts/build-stamp.mjs), so right after it (as `npm run verify` and CI run it) nothing is
 * rebuilt. After a source edit, or with OPTIMIZER_RACE_REBUILD=1, the three bundles are built here
 * as `npm run build` builds them (the demo first, as it empties dist/, then the library and the CLI
 * side by side), but not the library's type declarations and element manifest, which no test reads
 * (`npm run build` makes those). The builds run without vitest's NODE_ENV=test, as a user runs them,
 * so the tests see the bundles users get.
 *
 * Tests read the outputs through test/fixtures/built.ts and the server's URL with inject('demoUrl').
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { kCrossOriginIsolationHeaders } from '../../src/isolation-headers';
import { startStaticServer } from '../fixtures/static-server';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The built demo (dist/) on a static server with the cross-origin isolation headers, e.g. http://127.0.0.1:43210/ */
    demoUrl: string;
  }
}

const kRoot = fileURLToPath(new URL('../..', import.meta.url));

function staleness(): string | undefined {
  const check = spawnSync(process.execPath, [join(kRoot, 'scripts', 'build-stamp.mjs'), 'check'], { cwd: kRoot, encoding: 'utf8' });
  return check.status === 0 ? undefined : check.stdout.trim() || check.stderr.trim();
}

/** `vite build` with a config (undefined: vite.config.ts), as the package.json build scripts run it. */
function viteBuild(config: string | undefined): Promise<void> {
  const { NODE_ENV: _, ...env } = process.env;
  const args = [join(kRoot, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', ...(config ? ['--config', config] : []), '--logLevel', 'warn'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: kRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`vite build ${config ?? ''} failed (exit ${code}):\n${output}`))));
  });
}

async function buildOnce(): Promise<void> {
  const why = process.env.OPTIMIZER_RACE_REBUILD === '1' ? 'OPTIMIZER_RACE_REBUILD=1' : staleness();
  if (why === undefined) {
    process.stderr.write('build-once: dist/ and dist-cli/ are fresh (stamped by the last build); not rebuilding\n');
    return;
  }
  process.stderr.write(`build-once: ${why}; building the demo, the library and the CLI\n`);
  const started = performance.now();
  await viteBuild(undefined);
  await Promise.all([viteBuild('vite.lib.config.ts'), viteBuild('vite.cli.config.ts')]);
  spawnSync(process.execPath, [join(kRoot, 'scripts', 'build-stamp.mjs'), 'write'], { cwd: kRoot });
  const after = staleness();
  if (after !== undefined) throw new Error(`the builds left the outputs ${after}`);
  process.stderr.write(`build-once: built in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await buildOnce();
  const demo = await startStaticServer(join(kRoot, 'dist'), { ...kCrossOriginIsolationHeaders });
  project.provide('demoUrl', `${demo.origin}/`);
  return () => demo.close();
}
