/**
 * scripts/verify.mjs (`npm run verify`, what CI runs): every check in order, a failed one not stopping
 * the next (a failed build skips what needs it), and the last line `N passed, M failed` counting each
 * failed check. Run in a scratch copy with a stand-in npm (npm_execpath, as npm sets it for a script)
 * that records which scripts ran, fails the ones it is told to, and writes a small vitest report.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'verify-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const kFakeNpm = `
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
const script = process.argv[3];
appendFileSync('ran.log', script + '\\n');
if (script === 'test:run') {
  mkdirSync('test-results', { recursive: true });
  const tests = (process.env.FAKE_TESTS ?? 'passed,passed').split(',').map((status, i) => ({ title: 't' + i, status }));
  const failed = tests.some((t) => t.status === 'failed');
  const file = { name: '/repo/test/a.test.ts', status: failed ? 'failed' : 'passed', assertionResults: tests };
  writeFileSync('test-results/vitest.json', JSON.stringify({ success: !failed, testResults: [file] }));
  process.exit(failed ? 1 : 0);
}
process.exit((process.env.FAKE_FAIL ?? '').split(',').includes(script) ? 1 : 0);
`;

const kScripts = ['format:check', 'lint', 'typecheck', 'typecheck:wasm', 'build', 'size', 'publint', 'pack:smoke', 'test:run'];

/** verify.mjs in a fresh copy whose package.json has `scripts`; returns its lines, the scripts run and its exit code. */
function verify(scripts: string[], env: Record<string, string> = {}): { last: string; stdout: string; stderr: string; ran: string[]; code: number | null } {
  const root = mkdtempSync(join(dir, 'repo-'));
  mkdirSync(join(root, 'scripts'));
  for (const name of ['verify.mjs', 'test-summary.mjs']) copyFileSync(join('scripts', name), join(root, 'scripts', name));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ type: 'module', scripts: Object.fromEntries(scripts.map((s) => [s, 'true'])) }));
  writeFileSync(join(root, 'fake-npm.mjs'), kFakeNpm);
  const run = spawnSync(process.execPath, ['scripts/verify.mjs'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env, npm_execpath: join(root, 'fake-npm.mjs') },
  });
  let ran: string[] = [];
  try {
    ran = readFileSync(join(root, 'ran.log'), 'utf8').trim().split('\n');
  } catch {
    // nothing ran
  }
  return { last: run.stdout.trimEnd().split('\n').at(-1) ?? '', stdout: run.stdout, stderr: run.stderr, ran, code: run.status };
}

describe('npm run verify', () => {
  it('runs every check, then the tests, and ends with their count', () => {
    const run = verify(kScripts);
    expect(run.ran).toEqual(kScripts);
    expect(run.last).toBe('2 passed, 0 failed');
    expect(run.code).toBe(0);
  });

  it('counts each failed check as a failure and still runs the rest', () => {
    const run = verify(kScripts, { FAKE_FAIL: 'format:check,publint', FAKE_TESTS: 'passed,failed,passed' });
    expect(run.ran).toEqual(kScripts);
    expect(run.last).toBe('2 passed, 3 failed');
    expect(run.stderr).toContain('format check failed');
    expect(run.code).toBe(1);
  });

  it('after a failed build runs nothing that needs it, and fails', () => {
    const run = verify(kScripts, { FAKE_FAIL: 'build' });
    expect(run.ran).toEqual(['format:check', 'lint', 'typecheck', 'typecheck:wasm', 'build']);
    expect(run.last).toBe('0 passed, 2 failed');
    expect(run.stdout).toContain('tests not run (the build failed)');
    expect(run.code).toBe(1);
  });

  it('fails on a missing check, saying which', () => {
    const missing = verify(kScripts.filter((s) => s !== 'typecheck:wasm'));
    expect(missing.stdout).toMatch(/no "typecheck:wasm" script/);
    expect(missing.last).toBe('2 passed, 1 failed');
  });
});
