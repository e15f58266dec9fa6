#!/usr/bin/env node
// node scripts/test-summary.mjs REPORT.json EXIT_CODE [FAILED_STEP...]: prints ONE line, `N passed,
// M failed`, from vitest's JSON report (`npm test` writes test-results/vitest.json) and the exit code
// of the run that wrote it; exits 1 when M > 0. CI reads that line (bash .ci/run prints it last,
// through `npm run verify`, scripts/verify.mjs). Each FAILED_STEP (a check that failed before the
// tests, e.g. "lint") counts as one failure.
//
// A test file that failed to load (or whose hooks failed) counts as a failure, so does a non-zero
// exit that no failed test explains (e.g. the type check failed, so vitest never ran), and so does
// a run that executed no test at all: `0 passed, 0 failed` would look green.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/**
 * @param {unknown} report vitest's JSON report, or undefined when there is none
 * @param {number} exitCode the exit code of the command that ran the tests
 * @param {string[]} failedSteps the checks that failed before the tests (one failure each)
 * @returns {{ passed: number, failed: number, notes: string[] }}
 */
export function summarize(report, exitCode, failedSteps = []) {
  const notes = failedSteps.map((step) => `${step} failed`);
  let passed = 0;
  let failed = failedSteps.length;
  const files = Array.isArray(report?.testResults) ? report.testResults : [];
  if (report === undefined) notes.push('no test report');
  for (const file of files) {
    const tests = Array.isArray(file.assertionResults) ? file.assertionResults : [];
    const failedTests = tests.filter((t) => t.status === 'failed').length;
    passed += tests.filter((t) => t.status === 'passed').length;
    failed += failedTests;
    // Failed, yet no test in it failed: it did not load, or a hook failed. One failure for the file.
    if (file.status === 'failed' && failedTests === 0) {
      failed += 1;
      notes.push(`${file.name ?? 'a test file'} failed${tests.length === 0 ? ' to load' : ''}${file.message ? `: ${firstLine(file.message)}` : ''}`);
    }
  }
  const testFailures = () => failed - failedSteps.length;
  if (report !== undefined && report.success === false && testFailures() === 0) {
    failed += 1;
    notes.push('the report says the run failed (e.g. an unhandled error)');
  }
  if (exitCode !== 0 && testFailures() === 0) {
    failed += 1;
    notes.push(`the tests exited with code ${exitCode}`);
  }
  if (passed === 0 && testFailures() === 0) {
    failed += 1;
    notes.push('no test ran');
  }
  return { passed, failed, notes };
}

const firstLine = (text) => String(text).split('\n', 1)[0].slice(0, 200);

/** The report, or undefined when the file is missing or is not JSON. */
export function readReport(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [path = 'test-results/vitest.json', codeText = '0', ...failedSteps] = process.argv.slice(2);
  const exitCode = Number.parseInt(codeText, 10);
  const { passed, failed, notes } = summarize(readReport(path), Number.isNaN(exitCode) ? 1 : exitCode, failedSteps);
  for (const note of notes) process.stderr.write(`test-summary: ${note}\n`);
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  process.exitCode = failed > 0 ? 1 : 0;
}
