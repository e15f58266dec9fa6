/**
 * The benchmark's chapter-6 stage (bench/chapter6*.ts, bench/numpy_chapter6.py), smoke-tested: the
 * cost races' racers and dispatch allowances, the report's ratios and verdicts, and `npm run bench
 * -- --chapter6` end to end on one experiment at one epoch and 2-iteration cost races on a small
 * network. Never asserts a time.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { costConfig, dispatchAllowance, kCostVariants, presetConfig, searchScalingConfig } from '../bench/chapter6';
import { formatChapter6Report, type Chapter6Report } from '../bench/chapter6-report';
import type { ContenderResult } from '../bench/report';
import { kChapter6Presets } from '../src/race/chapter6-presets';
import { resolveRace } from '../src/race/config';
import { kChromiumPath } from './setup/chromium';
import { testDevice } from './gpu';

const kRoot = fileURLToPath(new URL('..', import.meta.url));

const row = (label: string, ms: number, dispatches?: number): ContenderResult => ({
  id: 'ours',
  label,
  iterations: 2,
  warmupIterations: 1,
  seconds: (2 * ms) / 1000,
  msPerIteration: ms,
  dispatchesPerIteration: dispatches,
  firstLosses: [],
  lastLosses: [],
});

describe('the chapter-6 stage of the benchmark', () => {
  it('races the same 8 racers plain, with bn, l2, dropout and a mix', () => {
    for (const variant of kCostVariants) {
      const race = resolveRace(costConfig(variant, 3));
      expect(race.racers).toHaveLength(8);
      expect(race.config.batchSize).toBe(100);
      expect(race.config.sizes).toEqual([784, 100, 100, 100, 100, 100, 10]);
      expect(race.racers.map((r) => r.spec.id)).toEqual(resolveRace(costConfig('plain', 3)).racers.map((r) => r.spec.id));
      const uses = (key: 'bn' | 'l2' | 'dropout'): number => race.racers.filter((r) => Boolean(r[key])).length;
      expect([uses('bn'), uses('l2'), uses('dropout')]).toEqual(
        { plain: [0, 0, 0], bn: [8, 0, 0], l2: [0, 8, 0], dropout: [0, 0, 8], mixed: [4, 2, 2] }[variant],
      );
    }
    // Issue 20: three dispatches per hidden layer with bn, one with l2, none for dropout.
    expect(kCostVariants.map((v) => dispatchAllowance(v, 5))).toEqual([0, 15, 1, 0, 16]);
    expect(presetConfig('overfit')).toBe(kChapter6Presets.overfit);
    expect(resolveRace(presetConfig('overfit', 2), 8000).config.iterations).toBe(6);
  });

  it("prints the ratios to numpy, the accuracies beside numpy's, the bn cost and the dispatches with their verdicts", () => {
    const timing = (environment: 'node' | 'browser', seconds: number, final: { name: string; train?: number; test?: number }[]) =>
      ({ preset: 'overfit', environment, threads: 2, epochs: 201, iterations: 603, seconds, final }) as const;
    const report: Chapter6Report = {
      date: 'today',
      argv: [],
      errors: [],
      presets: [
        {
          id: 'overfit',
          numpy: {
            experiment: 'overfit',
            seconds: 10,
            iterations: 601,
            epochs: 201,
            threads: '1',
            networks: [
              { name: 'lambda = 0', seconds: 5, train: 1, test: 0.8, gap: 0.2 },
              { name: 'lambda = 0.1', seconds: 5, train: 0.9, test: 0.75, gap: 0.15 },
            ],
          },
          node: timing('node', 3, []),
          browser: timing('browser', 4, [
            { name: 'λ = 0', train: 1, test: 0.79 },
            { name: 'λ = 0.1', train: 0.92, test: 0.77 },
          ]),
        },
        {
          id: 'batchnorm',
          numpy: {
            experiment: 'batchnorm',
            seconds: 16,
            iterations: 191,
            epochs: 20,
            threads: '1',
            networks: [],
            scales: [{ scale: 1, bn: 0.41, plain: 0.1 }],
          },
          node: {
            ...timing('node', 20, [
              { name: 'W 1 BN', train: 0.45 },
              { name: 'W 1', train: 0.09 },
            ]),
            preset: 'batchnorm',
          },
        },
      ],
      cost: {
        sizes: [784, 100, 100, 100, 100, 100, 10],
        batchSize: 100,
        racers: 8,
        rows: [
          { variant: 'plain', wasm: row('plain', 10), gpu: row('plain', 100, 30) },
          { variant: 'bn', wasm: row('bn', 12), gpu: row('bn', 200, 45) },
          { variant: 'l2', wasm: row('l2', 10), gpu: row('l2', 100, 32) },
          { variant: 'dropout', wasm: row('dropout', 10), gpu: row('dropout', 100, 30) },
        ],
      },
    };
    const text = formatChapter6Report(report);
    expect(text).toMatch(/^overfit +201 +603\/601 +10\.0 s +3\.00 s \(2 thr\) +4\.00 s \(2 thr\) +0\.300x +0\.400x$/m);
    expect(text).toContain("overfit: ours (wasm, Chromium) 0.400x numpy's time (target: < 1x MET; aim: <= 0.5x MET)");
    expect(text).toContain("batchnorm: ours (wasm, Node) 1.25x numpy's time (target: < 1x NOT MET; aim: <= 0.5x NOT MET)");
    expect(text).toMatch(/^λ = 0 +1\.000 +0\.800 +0\.200 +1\.000 +0\.790 +0\.210$/m);
    expect(text).toMatch(/^1\.00 +0\.410 +0\.100 +0\.450 +0\.090$/m);
    expect(text).toContain('batch norm on ours (wasm): 1.20x the time per iteration (target: <= 1.5x MET)');
    expect(text).toContain('batch norm on ours (WebGPU): 2.00x the time per iteration (target: <= 1.5x NOT MET)');
    expect(text).toContain("dispatches with bn: 45.0 per iteration, +15.0 over plain's 30.0 (allowed: +15 MET)");
    expect(text).toContain("dispatches with l2: 32.0 per iteration, +2.00 over plain's 30.0 (allowed: +1 NOT MET)");
    expect(text).toContain("dispatches with dropout: 30.0 per iteration, +0 over plain's 30.0 (allowed: +0 MET)");
  });

  it("races the search's first 6 and 100 trials on the preset's network and prints the scaling and the best trials beside numpy's", () => {
    const [few, many] = [6, 100].map((trials) => resolveRace(searchScalingConfig(trials, 3), 8000));
    expect([few.racers.length, many.racers.length]).toEqual([6, 100]);
    expect(many.racers.slice(0, 6).map((r) => [r.name, r.hyper.lr, r.l2])).toEqual(few.racers.map((r) => [r.name, r.hyper.lr, r.l2]));
    expect([many.config.sizes, many.config.batchSize, many.trainSize, many.validationSize, many.config.iterations]).toEqual([
      [784, 100, 100, 100, 100, 100, 100, 10],
      100,
      400,
      100,
      3,
    ]);
    const trial = (name: string, lr: number, validation: number) => ({ name, train: validation, validation, values: { lr, l2: 1e-6 } });
    const report: Chapter6Report = {
      date: 'today',
      argv: [],
      errors: [],
      presets: [
        {
          id: 'hypersearch',
          numpy: {
            experiment: 'hypersearch',
            seconds: 50,
            iterations: 200,
            epochs: 50,
            threads: '1',
            networks: [
              { name: 'trial 1', seconds: 0.5, lr: 0.0097, l2: 6.5e-8, train: 0.9, validation: 0.81 },
              { name: 'trial 2', seconds: 0.5, lr: 1e-5, l2: 1e-6, train: 0.1, validation: 0.09 },
            ],
          },
          node: {
            preset: 'hypersearch',
            environment: 'node',
            threads: 2,
            epochs: 50,
            iterations: 200,
            seconds: 40,
            final: [trial('trial 1', 2e-6, 0.07), trial('trial 2', 0.007, 0.8), trial('trial 3', 0.004, 0.6)],
          },
        },
      ],
      searchScaling: {
        sizes: [784, 100, 10],
        rows: [
          { trials: 6, wasm: row('6', 10), gpu: row('6', 5, 40) },
          { trials: 100, wasm: row('100', 150), gpu: row('100', 20, 40) },
        ],
      },
    };
    const text = formatChapter6Report(report);
    expect(text).toMatch(/^Best-1 +0\.810 +0\.0097 +6\.5e-8 +0\.800 +0\.0070 +0\.0000010$/m);
    expect(text).toContain('numpy: 1 of 2 above 0.5 validation accuracy, lr 0.0097 to 0.0097');
    expect(text).toContain('ours: 2 of 3 above 0.5 validation accuracy, lr 0.0040 to 0.0070');
    expect(text).toContain('ours (wasm): 100 trials cost 15.0x the 6-trial race per iteration (target: <= 16.7x MET)');
    expect(text).toContain('ours (WebGPU): 100 trials cost 4.00x the 6-trial race per iteration (target: <= 16.7x MET)');
    expect(text).toContain('WebGPU dispatches per iteration: 40.0 with 6 trials, 40.0 with 100 (must not grow: MET)');
  });

  it('npm run bench -- --chapter6 runs numpy, ours (wasm) in Chromium and Node, and the cost races (1 epoch, 2 iterations)', async (ctx) => {
    const device = await testDevice();
    if (!device || !existsSync(kChromiumPath)) return ctx.skip();
    device.destroy();
    const dir = mkdtempSync(join(tmpdir(), 'bench-chapter6-'));
    const json = join(dir, 'report.json');
    const args = ['scripts/bench.mjs', '--chapter6', '--presets', 'overfit', '--epochs', '1', '--iterations', '2', '--sizes', '784-8-8-10', '--json', json];
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
      const child = spawn(process.execPath, args, { cwd: kRoot });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      child.on('close', (c) => done({ code: c, stdout: out, stderr: err }));
    });
    try {
      expect(code, `${stdout}\n${stderr}`).toBe(0);
      const report = JSON.parse(readFileSync(json, 'utf8')) as Chapter6Report;
      expect(report.errors).toEqual([]);
      expect(report.presets.map((p) => p.id)).toEqual(['overfit']);
      const [overfit] = report.presets;
      // numpy runs the book's loop (stops at the first record: 1 iteration); ours the preset's epoch (3 iterations).
      expect(overfit.numpy?.iterations).toBe(1);
      expect(overfit.numpy?.networks.map((n) => n.name)).toEqual(['lambda = 0', 'lambda = 0.1']);
      for (const ours of [overfit.node, overfit.browser]) {
        expect(ours?.error).toBeUndefined();
        expect(ours?.iterations).toBe(3);
        expect(ours?.final.map((f) => f.name)).toEqual(['λ = 0', 'λ = 0.1']);
        expect(ours?.final.every((f) => f.test !== undefined && f.test >= 0 && f.test <= 1)).toBe(true);
      }
      expect(report.cost?.sizes).toEqual([784, 8, 8, 10]);
      expect(report.cost?.rows.map((r) => r.variant)).toEqual(kCostVariants);
      for (const r of report.cost?.rows ?? []) {
        expect(r.wasm?.error).toBeUndefined();
        expect(r.gpu?.error).toBeUndefined();
        // The counted dispatches are the engine's own count.
        expect(r.gpu?.dispatchesPerIteration).toBe(r.gpu?.stats?.dispatchesPerIteration);
      }
      for (const text of [
        'overfit: ours (wasm, Chromium)',
        'batch norm on ours (wasm):',
        'batch norm on ours (WebGPU):',
        'dispatches with bn:',
        'dispatches with mixed:',
      ])
        expect(stdout).toContain(text);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);
});
