/**
 * Schedules on the command line, as a user runs it: the run's CLI build (test/fixtures/cli-bundle.ts)
 * copied into a folder of its own inside node_modules/, then `mnist` (on the CPU, a small generated IDX folder) and `trajectory`
 * with `--optimizer NAME:schedule=...`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFakeMnistDir } from './fixtures/idx-fixtures';
import { copyBuiltCli } from './fixtures/cli-bundle';

let outDir: string;
let work: string;

beforeAll(() => {
  outDir = copyBuiltCli('cli-schedule-test');
  work = join(outDir, 'work');
  mkdirSync(work);
  writeFakeMnistDir(join(work, 'data'), 16, 10);
});
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const cli = (...args: string[]) => {
  const run = spawnSync(process.execPath, [join(outDir, 'cli.js'), ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
};

describe('schedule= on the command line', () => {
  it('mnist: the schedule is in the JSON, a constant racer has none', () => {
    const file = join(work, 'race.json');
    const run = cli(
      'mnist',
      ...['--data', join(work, 'data'), '--backend', 'cpu', '--iterations', '4', '--batch', '4', '--eval-every', '2'],
      ...['--optimizer', 'sgd:schedule=step:0.5:2', '--optimizer', 'adam:lr=0.01,schedule=warmup:2:1e-4', '--optimizer', 'momentum', '--json', file],
    );
    expect(run.stderr.split('\n').filter((l) => l.startsWith('error'))).toEqual([]);
    expect(run.code).toBe(0);
    const json = JSON.parse(readFileSync(file, 'utf8')) as { racers: { name: string; schedule?: unknown; losses: unknown[] }[] };
    expect(json.racers.map((r) => r.schedule)).toEqual([{ kind: 'step', factor: 0.5, every: 2 }, { kind: 'warmup', steps: 2, floor: 0.0001 }, undefined]);
    expect(json.racers[0].losses).toHaveLength(4);
  });

  it('mnist: a bad schedule exits 2 with one line', () => {
    for (const [arg, message] of [
      ['sgd:schedule=step:2:10', 'schedule step: factor must be in (0, 1], got 2'],
      ['sgd:schedule=linear', "schedule must be constant, step:FACTOR:EVERY, cosine:FLOOR, warmup:STEPS:FLOOR or range:MIN:MAX, got 'linear'"],
      ['sgd:lr=0.01,schedule=cosine:0.1', 'schedule cosine: floor must be in [0, lr] = [0, 0.01], got 0.1'],
    ]) {
      const run = cli('mnist', '--backend', 'cpu', '--optimizer', arg);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      const lines = run.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(message);
    }
  });

  it("trajectory: the schedule runs over --steps, checked against the seed race's lr", () => {
    // SGD's seed lr in this race is 0.95, so a floor of 0.5 is allowed (the registry default, 0.01, would not allow it).
    const run = cli('trajectory', '--backend', 'cpu', '--steps', '3', '--start', '0,1', '--optimizer', 'sgd:schedule=cosine:0.5', '--json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as { racers: { schedule?: unknown; path: [number, number][] }[] };
    expect(json.racers[0].schedule).toEqual({ kind: 'cosine', floor: 0.5 });
    // lr_t over 3 steps: 0.95, (0.95 + 0.5)/2, 0.5; y ← y − lr_t·2y on f = x²/20 + y².
    let y = 1;
    for (const lr of [0.95, 0.725, 0.5]) y -= lr * 2 * y;
    expect(json.racers[0].path[3][1]).toBeCloseTo(y, 6);
    const bad = cli('trajectory', '--optimizer', 'sgd:schedule=warmup:0:0');
    expect(bad.code).toBe(2);
    expect(bad.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('schedule warmup: steps must be a whole number ≥ 1, got 0');
  });
});
