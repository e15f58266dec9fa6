/**
 * scripts/test-summary.mjs, the `N passed, M failed` line CI reads (bash .ci/run prints it last),
 * run as .ci/run runs it on small vitest JSON reports shaped like the real ones.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'test-summary-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Status = 'passed' | 'failed' | 'skipped' | 'pending' | 'todo';
const file = (name: string, status: 'passed' | 'failed', tests: Status[], message = '') => ({
  name: `/repo/test/${name}`,
  status,
  message,
  assertionResults: tests.map((s, i) => ({ title: `test ${i}`, fullName: `test ${i}`, status: s, failureMessages: [] })),
});
const report = (files: ReturnType<typeof file>[]) => ({
  numTotalTests: files.reduce((n, f) => n + f.assertionResults.length, 0),
  success: files.every((f) => f.status === 'passed'),
  testResults: files,
});

/** The script's output and exit code, for a report (undefined: no file) and the tests' exit code. */
function summary(content: unknown, exitCode: number, failedSteps: string[] = []): { lines: string[]; stderr: string; code: number | null } {
  const path = join(dir, `report-${Math.random().toString(36).slice(2)}.json`);
  if (content !== undefined) writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  const run = spawnSync(process.execPath, ['scripts/test-summary.mjs', path, String(exitCode), ...failedSteps], { encoding: 'utf8' });
  return { lines: run.stdout.trimEnd().split('\n'), stderr: run.stderr, code: run.status };
}

describe('the test summary line', () => {
  it('counts an all-green run, not counting skipped tests', () => {
    const run = summary(report([file('a.test.ts', 'passed', ['passed', 'passed']), file('b.test.ts', 'passed', ['passed', 'skipped', 'todo'])]), 0);
    expect(run.lines).toEqual(['3 passed, 0 failed']);
    expect(run.code).toBe(0);
  });

  it('counts one failed test', () => {
    const run = summary(report([file('a.test.ts', 'passed', ['passed']), file('b.test.ts', 'failed', ['passed', 'failed'])]), 1);
    expect(run.lines).toEqual(['2 passed, 1 failed']);
    expect(run.code).toBe(1);
  });

  it('counts a file that failed to load as a failure', () => {
    const broken = file('broken.test.ts', 'failed', [], "Cannot find module './nope'");
    const run = summary(report([file('a.test.ts', 'passed', ['passed', 'passed']), broken]), 1);
    expect(run.lines).toEqual(['2 passed, 1 failed']);
    expect(run.stderr).toContain('broken.test.ts failed to load');
    expect(run.code).toBe(1);
  });

  it('counts a file whose hook failed, though all its tests passed', () => {
    expect(summary(report([file('a.test.ts', 'failed', ['passed'])]), 1).lines).toEqual(['1 passed, 1 failed']);
  });

  it('counts a missing or unreadable report with a non-zero exit (e.g. the type check failed) as a failure', () => {
    for (const content of [undefined, '{ not json']) {
      const run = summary(content, 2);
      expect(run.lines).toEqual(['0 passed, 1 failed']);
      expect(run.code).toBe(1);
    }
  });

  it('counts a non-zero exit that no failed test explains as a failure', () => {
    expect(summary(report([file('a.test.ts', 'passed', ['passed'])]), 1).lines).toEqual(['1 passed, 1 failed']);
  });

  it('counts each check that failed before the tests (npm run verify) as one failure', () => {
    const green = report([file('a.test.ts', 'passed', ['passed', 'passed'])]);
    const run = summary(green, 0, ['lint', 'publint']);
    expect(run.lines).toEqual(['2 passed, 2 failed']);
    expect(run.stderr).toContain('lint failed');
    expect(run.code).toBe(1);
    // A failed test and a failed check; a run that never reached vitest (the build failed) is one more.
    expect(summary(report([file('b.test.ts', 'failed', ['passed', 'failed'])]), 1, ['format check']).lines).toEqual(['1 passed, 2 failed']);
    expect(summary(undefined, 1, ['build']).lines).toEqual(['0 passed, 2 failed']);
  });

  it('never reports a run with no test as green', () => {
    for (const content of [undefined, report([])]) {
      const run = summary(content, 0);
      expect(run.lines).toEqual(['0 passed, 1 failed']);
      expect(run.code).toBe(1);
    }
  });
});
