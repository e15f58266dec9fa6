/**
 * Global setup of the node test project, before any test file runs: the demo (dist/), the library
 * bundle (dist/lib/) and the CLI (dist-cli/) are built ONCE per run from the current source, and one
 * static server serves the built demo to the files that open it in a browser.
 *
 * Builds are skipped when they are fresh: `npm run build` ends by stamping dist/ with a hash of its
 * inputs (scripts/build-stamp.mjs), so right after it (as `npm run verify` and CI run it) nothing is
 * rebuilt; after a source edit, or with OPTIMIZER_RACE_REBUILD=1, `npm run build` runs here. It
 * runs without vitest's NODE_ENV=test, as a user runs it, so the tests see the bundles users get.
 *
 * Tests read the outputs through test/fixtures/built.ts and the server's URL with inject('demoUrl').
 */
import { spawnSync } from 'node:child_process';
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

function buildOnce(): void {
  const why = process.env.OPTIMIZER_RACE_REBUILD === '1' ? 'OPTIMIZER_RACE_REBUILD=1' : staleness();
  if (why === undefined) {
    process.stderr.write('build-once: dist/ and dist-cli/ are fresh (stamped by `npm run build`); not rebuilding\n');
    return;
  }
  process.stderr.write(`build-once: ${why}; running \`npm run build\`\n`);
  const started = performance.now();
  const { NODE_ENV: _, ...env } = process.env;
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const build = spawnSync(npm, ['run', 'build', '--silent'], { cwd: kRoot, env, encoding: 'utf8', shell: process.platform === 'win32' });
  if (build.status !== 0) throw new Error(`npm run build failed (exit ${build.status ?? build.signal}):\n${build.stdout}\n${build.stderr}`);
  const after = staleness();
  if (after !== undefined) throw new Error(`npm run build left the outputs ${after}`);
  process.stderr.write(`build-once: built in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  buildOnce();
  const demo = await startStaticServer(join(kRoot, 'dist'), { ...kCrossOriginIsolationHeaders });
  project.provide('demoUrl', `${demo.origin}/`);
  return () => demo.close();
}
