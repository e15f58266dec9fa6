#!/usr/bin/env node
// node scripts/test-times.mjs [REPORT.json] [--top N]: each test file's wall time from vitest's JSON
// report (`npm test` writes test-results/vitest.json), slowest first, then the files' sum and the
// run's span (first start to last end; files of the two projects may overlap, so the span can be
// less than the sum). Times are the report's own (startTime/endTime per file), in seconds.
import { relative } from 'node:path';
import { readReport } from './test-summary.mjs';

const args = process.argv.slice(2);
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : Infinity;
const path = args[0] ?? 'test-results/vitest.json';
const report = readReport(path);
if (!Array.isArray(report?.testResults)) {
  process.stderr.write(`test-times: no vitest JSON report at ${path}\n`);
  process.exit(1);
}
const files = report.testResults
  .map((f) => ({
    name: relative(process.cwd(), f.name ?? '?'),
    seconds: (f.endTime - f.startTime) / 1000,
    tests: f.assertionResults?.length ?? 0,
    status: f.status,
  }))
  .sort((a, b) => b.seconds - a.seconds);
const width = Math.max(...files.map((f) => f.name.length));
for (const f of files.slice(0, top))
  process.stdout.write(
    `${f.seconds.toFixed(1).padStart(7)} s  ${f.name.padEnd(width)}  ${String(f.tests).padStart(3)} tests${f.status === 'passed' ? '' : `  ${f.status}`}\n`,
  );
const sum = files.reduce((s, f) => s + f.seconds, 0);
const span = (Math.max(...report.testResults.map((f) => f.endTime)) - Math.min(...report.testResults.map((f) => f.startTime))) / 1000;
process.stdout.write(
  `${sum.toFixed(1).padStart(7)} s  sum over ${files.length} files; ${span.toFixed(1)} s from the first file's start to the last one's end\n`,
);
