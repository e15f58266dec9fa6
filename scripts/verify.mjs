#!/usr/bin/env node
// npm run verify: every check, in order, each an npm script: the format check, lint with zero
// warnings, the type check (TypeScript, then the AssemblyScript kernels), the build, the bundle size limit, publint, the
// packed-install smoke test, then the tests (vitest, which writes test-results/vitest.json; the type
// check is not run twice). A failed check does not stop the ones after it, except the build: what
// needs its output (publint, the smoke test, the tests) is then not run (the tests count as failed).
//
// The last line printed is always `N passed, M failed` (scripts/test-summary.mjs): the tests' counts,
// with each failed check before them counted as one failure. CI (bash .ci/run) runs this and reads
// that line. Exits 1 when M > 0.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readReport, summarize } from './test-summary.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const report = join(root, 'test-results', 'vitest.json');
const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts;

/** The checks before the tests, as npm scripts. `needsBuild`: not run when the build failed. */
const kChecks = [
  { name: 'format check', script: 'format:check' },
  { name: 'lint', script: 'lint' },
  { name: 'type check', script: 'typecheck' },
  // The AssemblyScript kernels (src/wasm/assembly), which tsc excludes.
  { name: 'type check (AssemblyScript)', script: 'typecheck:wasm' },
  { name: 'build', script: 'build' },
  // The library bundle and the demo's main chunk, each at most 120 KB gzipped.
  { name: 'bundle size', script: 'size', needsBuild: true },
  { name: 'publint', script: 'publint', needsBuild: true },
  { name: 'pack smoke', script: 'pack:smoke', needsBuild: true },
];
/** vitest with its JSON report (npm test is the type check and then this). */
const kTests = 'test:run';

/** `npm run SCRIPT`, through the npm that started this script (npm run verify) when there is one. */
function runScript(script) {
  process.stdout.write(`\nverify: npm run ${script}\n`);
  const npmCli = process.env.npm_execpath;
  const run = npmCli
    ? spawnSync(process.execPath, [npmCli, 'run', script], { cwd: root, stdio: 'inherit' })
    : spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', script], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  return run.status ?? 1;
}

const failedSteps = [];
let built = true;
for (const check of kChecks) {
  if (check.needsBuild && !built) {
    process.stdout.write(`\nverify: ${check.name} not run (the build failed)\n`);
    continue;
  }
  if (!(check.script in scripts)) {
    process.stdout.write(`\nverify: ${check.name}: package.json has no "${check.script}" script\n`);
    failedSteps.push(`${check.name} (no "${check.script}" script)`);
    continue;
  }
  if (runScript(check.script) !== 0) {
    failedSteps.push(check.name);
    if (check.script === 'build') built = false;
  }
}

// A stale report must not stand in for a run that never reached vitest.
rmSync(report, { force: true });
const testsCode = built ? runScript(kTests) : 1;
if (!built) process.stdout.write('\nverify: tests not run (the build failed)\n');
const { passed, failed, notes } = summarize(readReport(report), testsCode, failedSteps);
for (const note of notes) process.stderr.write(`verify: ${note}\n`);
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exitCode = failed > 0 ? 1 : 0;
