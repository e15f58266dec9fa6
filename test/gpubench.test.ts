/**
 * The real-GPU benchmark (bench/gpu/), tested on this machine's adapter: pack.sh packs, run.sh
 * unpacks and runs a tiny version of every stage (matmul grid, seed race, 48-racer race) and writes
 * the JSON report; torch_race.py compiles, and its port of our minibatch hash picks the very images
 * batchIndices picks (PyTorch itself is not needed: the port is plain Python). Never asserts a time.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { batchIndices } from '../src/nn/batch';
import { kSeedRace } from '../src/race/config';
import { kBuiltCliDir } from './fixtures/cli-bundle';

const kRoot = fileURLToPath(new URL('..', import.meta.url));
const kScripts = join(kRoot, 'bench/gpu');
const work = mkdtempSync(join(tmpdir(), 'gpubench-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(command: string, args: string[], cwd = kRoot): { status: number | null; out: string } {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, out: `${result.stdout}\n${result.stderr}` };
}

describe('bench/gpu', () => {
  it('torch_race.py compiles and its batch indices are batchIndices', () => {
    expect(run('python3', ['-m', 'py_compile', join(kScripts, 'torch_race.py')]).status).toBe(0);
    const cases: [number, number, number, number][] = [
      [1, 0, 128, 8000],
      [1, 1999, 128, 8000],
      [7, 123, 5, 60000],
      [0xffffffff, 0xfffffffe, 3, 1],
    ];
    const script = `import json, sys; sys.path.insert(0, ${JSON.stringify(kScripts)}); import torch_race as t; print(json.dumps([t.batch_indices(*c) for c in ${JSON.stringify(cases)}]))`;
    const { status, out } = run('python3', ['-c', script]);
    expect(status, out).toBe(0);
    expect(JSON.parse(out.trim().split('\n')[0])).toEqual(cases.map((c) => Array.from(batchIndices(...c))));
  });

  // The pack holds the run's CLI build (the global setup's) and is gzip'd at -1: if that is under
  // 64 MiB, so is pack.sh's default (-6).
  it('packs under 64 MiB, and run.sh runs every stage on this adapter and writes the report', { timeout: 300_000 }, () => {
    const pack = join(work, 'pack.tar.gz');
    const packed = run('bash', [join(kScripts, 'pack.sh'), '--cli', kBuiltCliDir, '--fast', pack]);
    expect(packed.status, packed.out).toBe(0);
    expect(packed.out).toMatch(/limit 64 MiB/);

    const results = join(work, 'results');
    const ran = run(
      'bash',
      [
        join(kScripts, 'run.sh'),
        pack,
        '--results',
        results,
        '--iterations',
        '2',
        '--wide-iterations',
        '1',
        '--warmup',
        '1',
        '--matmul-runs',
        '1',
        '--grid',
        'small',
        '--no-torch',
      ],
      work,
    );
    expect(ran.status, ran.out).toBe(0);
    const report = JSON.parse(readFileSync(join(results, 'ours.json'), 'utf8'));
    expect(report.adapter).toBeTruthy();
    expect(report.matmul.length).toBeGreaterThanOrEqual(4);
    for (const m of report.matmul) expect(m.error, JSON.stringify(m)).toBeUndefined();
    expect(new Set(report.matmul.map((m: { kernel: string }) => m.kernel.match(/'(\w+)'/)?.[1]))).toEqual(new Set(['direct', 'shared']));
    expect(report.seedRace).toMatchObject({ racers: kSeedRace.racers.length, iterations: 2, warmupIterations: 1 });
    expect(report.seedRace.error).toBeUndefined();
    expect(report.seedRace.msPerIteration).toBeGreaterThan(0);
    expect(report.seedRace.dispatchesPerIteration).toBeGreaterThan(0);
    expect(report.wideRace).toMatchObject({ racers: 48, iterations: 1, warmupIterations: 1 });
    expect(report.wideRace.error).toBeUndefined();
    // The printed summary reads the same report.
    expect(ran.out).toMatch(/seedRace: 6 racers, 2 iters, [\d.]+ ms\/iter/);
    // torch_race.py's --init file: one racer's initial weights, P floats.
    expect(readFileSync(join(results, 'init-params.f32')).byteLength).toBe(4 * report.initParams.paramsPerRacer);
  });
});
