/**
 * `mnist --sweep` and `mnist --lr-finder`: the option parsing (studyRacers, mnistRace) as unit
 * tests, then the built CLI (test/fixtures/cli-bundle.ts) on a tiny generated IDX folder, float64
 * CPU backend, a few iterations.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../src/cli/args';
import { mnistRace } from '../src/cli/mnist-options';
import { studyRacers } from '../src/cli/mnist-sweep';
import { kRaceLimits } from '../src/race/limits';
import { copyBuiltCli } from './fixtures/cli-bundle';
import { writeFakeMnistDir } from './fixtures/idx-fixtures';

describe('--sweep and --lr-finder options', () => {
  it('adds COUNT ordinary racers per optimizer of --optimizers', () => {
    const { config, study } = mnistRace({ sweep: 'lr=1e-3..1e-1:3', optimizers: 'sgd,adam', optimizer: [] });
    expect(study).toEqual({ kind: 'sweep', sweep: { key: 'lr', min: 1e-3, max: 0.1, count: 3 } });
    expect(config.racers.map((r) => [r.name, r.optimizer, r.hyperparameters])).toEqual([
      ['SGD lr=0.001', 'sgd', { lr: 0.001 }],
      ['SGD lr=0.01', 'sgd', { lr: 0.01 }],
      ['SGD lr=0.1', 'sgd', { lr: 0.1 }],
      ['Adam lr=0.001', 'adam', { lr: 0.001 }],
      ['Adam lr=0.01', 'adam', { lr: 0.01 }],
      ['Adam lr=0.1', 'adam', { lr: 0.1 }],
    ]);
  });

  it("sweeps the seed's six optimizers when --optimizers is left out", () => {
    expect(studyRacers({ sweep: 'lr=1e-3..1:2', optimizer: [] })?.racers).toHaveLength(12);
    expect(studyRacers({ optimizer: [] })).toBeUndefined();
  });

  it('gives one racer per optimizer for the LR range test', () => {
    const { config, study } = mnistRace({ 'lr-finder': '1e-6..10', optimizers: 'sgd,adam', optimizer: [] });
    expect(study).toEqual({ kind: 'lr-finder', min: 1e-6, max: 10 });
    expect(config.racers.map((r) => r.schedule)).toEqual([
      { kind: 'range', min: 1e-6, max: 10 },
      { kind: 'range', min: 1e-6, max: 10 },
    ]);
  });

  it.each([
    [{ sweep: 'lr=1e-4..1', optimizer: [] }, /a sweep is KEY=MIN\.\.MAX:COUNT/],
    [{ sweep: 'momentum=0.5..0.9:3', optimizers: 'sgd', optimizer: [] }, /SGD has no hyperparameter 'momentum' to sweep/],
    [{ sweep: 'lr=1e-4..1:8', optimizers: 'sgd,bogus', optimizer: [] }, /Unknown optimizer 'bogus'/],
    [{ sweep: 'lr=1e-4..1:8', optimizer: ['adam'] }, /--sweep takes its optimizers from --optimizers/],
    [{ sweep: 'lr=1e-4..1:8', 'lr-finder': '1e-6..1', optimizer: [] }, /give --sweep or --lr-finder, not both/],
    [{ 'lr-finder': '1e-6', optimizer: [] }, /LR range must be MIN\.\.MAX/],
    [{ sweep: `lr=1e-4..1:${kRaceLimits.racers.max + 1}`, optimizer: [] }, new RegExp(`COUNT must be a whole number from 2 to ${kRaceLimits.racers.max}`)],
  ])('refuses %j', (options, message) => {
    expect(() => mnistRace(options)).toThrow(UsageError);
    expect(() => mnistRace(options)).toThrow(message);
  });

  it('refuses a sweep over the racer limit with the limit', () => {
    const count = Math.floor(kRaceLimits.racers.max / 2) + 1;
    expect(() => mnistRace({ sweep: `lr=1e-4..1:${count}`, optimizers: 'sgd,adam', optimizer: [] })).toThrow(
      `at most ${kRaceLimits.racers.max} racers, got ${2 * count}`,
    );
  });
});

interface StudyJson {
  racers: { name: string; optimizer: string; hyperparameters: Record<string, number>; schedule?: unknown; losses: (number | null)[] }[];
  sweep?: { key: string; min: number; max: number; count: number; scale: string };
  sensitivity?: { key: string; curves: { optimizer: string; bestValue: number | null; points: { name: string; value: number; best: boolean }[] }[] };
  lrFinder?: { min: number; max: number; racers: { name: string; steepestLr: number | null; divergenceLr: number | null }[] };
}

describe('mnist --sweep and --lr-finder, built', () => {
  let outDir: string;
  let data: string;
  beforeAll(() => {
    outDir = copyBuiltCli('cli-sweep-test');
    data = join(outDir, 'data');
    writeFakeMnistDir(data, 16, 10);
  });
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));
  const cli = (...args: string[]) => spawnSync(process.execPath, [join(outDir, 'cli.js'), 'mnist', ...args], { encoding: 'utf8', timeout: 120_000 });
  const tiny = () => ['--backend', 'cpu', '--iterations', '4', '--batch', '4', '--eval-every', '4', '--data', data];

  it('lists the swept racers with their hyperparameters, the sensitivity, and prints its table', { timeout: 120_000 }, () => {
    const file = join(outDir, 'sweep.json');
    const run = cli(...tiny(), '--sweep', 'lr=1e-3..1e-1:3', '--optimizers', 'sgd,adam', '--json', file);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const json = JSON.parse(readFileSync(file, 'utf8')) as StudyJson;
    expect(json.racers.map((r) => [r.name, r.hyperparameters])).toEqual([
      ['SGD lr=0.001', { lr: 0.001 }],
      ['SGD lr=0.01', { lr: 0.01 }],
      ['SGD lr=0.1', { lr: 0.1 }],
      ['Adam lr=0.001', { lr: 0.001, beta1: 0.9, beta2: 0.999 }],
      ['Adam lr=0.01', { lr: 0.01, beta1: 0.9, beta2: 0.999 }],
      ['Adam lr=0.1', { lr: 0.1, beta1: 0.9, beta2: 0.999 }],
    ]);
    expect(json.sweep).toEqual({ key: 'lr', min: 0.001, max: 0.1, count: 3, scale: 'log' });
    expect(json.sensitivity?.curves.map((c) => c.optimizer)).toEqual(['sgd', 'adam']);
    for (const curve of json.sensitivity?.curves ?? []) {
      expect(curve.points.map((p) => p.value)).toEqual([0.001, 0.01, 0.1]);
      expect(curve.points.filter((p) => p.best).map((p) => p.value)).toEqual([curve.bestValue]);
    }
    expect(run.stdout).toMatch(/^Sensitivity to lr \(final loss: mean of the last 10% of the iterations/m);
    expect(run.stdout).toMatch(/^ {2}SGD lr=0\.001 +0\.001 +\d\.\d{4} +\d+\.\d\d%/m);
    expect(run.stdout.match(/\* best$/gm)).toHaveLength(2);
    expect(run.stdout).toMatch(/^Best lr: SGD [\d.e-]+, Adam [\d.e-]+$/m);
  });

  it('runs the LR range test and reports the steepest-descent and divergence lr', { timeout: 120_000 }, () => {
    const file = join(outDir, 'finder.json');
    const run = cli(...tiny(), '--lr-finder', '1e-3..10', '--optimizers', 'sgd', '--json', file);
    expect(run.status).toBe(0);
    const json = JSON.parse(readFileSync(file, 'utf8')) as StudyJson;
    expect(json.racers[0]).toMatchObject({ name: 'SGD LR range', schedule: { kind: 'range', min: 0.001, max: 10 } });
    expect(json.lrFinder).toMatchObject({ min: 0.001, max: 10, racers: [{ name: 'SGD LR range' }] });
    expect(Object.keys(json.lrFinder?.racers[0] ?? {})).toEqual(['name', 'optimizer', 'steepestLr', 'minimumLr', 'divergenceLr']);
    expect(run.stdout).toMatch(/^LR range test, lr 0\.001 → 10 exponentially over 4 iterations/m);
    expect(run.stdout).toMatch(/^ {2}racer +steepest descent lr +lowest loss lr +divergence lr$/m);
  });

  it.each([
    ['--sweep lr=1e-4..1', /^error: a sweep is KEY=MIN\.\.MAX:COUNT/],
    ['--sweep lr=0..1:4', /^error: sweep lr: MIN must be in lr's range \(0, ∞\), got 0 \(see --help\)$/],
    ['--sweep momentum=0.5..0.9:3 --optimizers sgd', /^error: SGD has no hyperparameter 'momentum' to sweep/],
    ['--lr-finder 10..1', /^error: LR range: MAX must be above MIN = 10, got 1 \(see --help\)$/],
  ])('`%s` exits 2 with one line', (args, message) => {
    const run = cli(...args.split(' '));
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });
});
