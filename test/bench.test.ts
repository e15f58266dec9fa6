/**
 * The benchmark harness (bench/), smoke-tested: the FLOP count, the TF.js baseline against the
 * engine's CPU path (same weights, batches and rules), the table and its wasm ratios, and `npm run
 * bench` end to end with 2 iterations of every contender (ours and TF.js on wasm too) on a small network. Never asserts a time.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { raceFlopsPerIteration } from '../bench/flops';
import { formatReport, type BenchReport, type ContenderResult } from '../bench/report';
import { TfjsRace } from '../bench/tfjs-race';
import { loadEmbeddedMnistFromDisk } from '../src/data/node/mnist-dir';
import { kSeedRace, resolveRace } from '../src/race/config';
import { CpuRaceBackend } from '../src/race/cpu-backend';
import { kChromiumPath } from './setup/chromium';
import { testDevice } from './gpu';

const kRoot = fileURLToPath(new URL('..', import.meta.url));

describe('the benchmark', () => {
  it('counts the seed race at about 1 TFLOP', () => {
    // Per racer: 2*128*(3*784*100 + 4*(3*100*100 + 100*10)) multiply-adds x2.
    expect(raceFlopsPerIteration(kSeedRace.sizes, 128, 6)).toBe(6 * 2 * 128 * (3 * 78_400 + 4 * 31_000));
    expect((raceFlopsPerIteration(kSeedRace.sizes, 128, 6) * 2000) / 1e12).toBeCloseTo(1.1, 2);
  });

  it('TF.js races like the engine: same losses as the CPU path (TF.js on its CPU backend)', async () => {
    await tf.setBackend('cpu');
    const data = await loadEmbeddedMnistFromDisk({ publicDir: join(kRoot, 'public') });
    const config = { ...kSeedRace, sizes: [784, 24, 10], iterations: 2 };
    const race = new TfjsRace(config, data);
    const ours = await new CpuRaceBackend(resolveRace(config), data).run({ first: 0, count: 2, active: config.racers.map(() => true), evaluate: false });
    const theirs = await race.run(2);
    race.dispose();
    expect(race.names).toEqual(['SGD', 'Momentum', 'AdaGrad', 'Adam', 'RMSprop', 'Nesterov']);
    // Iteration 1, every racer: the rules agree up to where eps sits.
    for (let r = 0; r < 6; r++) expect(Math.abs(theirs[r] - ours.losses[r])).toBeLessThan(2e-3 * ours.losses[r]);
    // Iteration 2 of the racers whose rules are identical (RMSprop's sign-like first steps amplify float32 rounding).
    for (const r of [0, 1, 3, 5]) expect(Math.abs(theirs[6 + r] - ours.losses[6 + r])).toBeLessThan(2e-3 * ours.losses[6 + r]);
  });

  it('prints a row per contender and the ratios', () => {
    const contender = (id: ContenderResult['id'], label: string, ms: number, dispatches?: number): ContenderResult => ({
      id,
      label,
      iterations: 2,
      warmupIterations: 1,
      seconds: (2 * ms) / 1000,
      msPerIteration: ms,
      dispatchesPerIteration: dispatches,
      submitsPerIteration: dispatches === undefined ? undefined : 0.5,
      firstLosses: [2.3],
      lastLosses: [2.2],
    });
    const report: BenchReport = {
      date: 'today',
      argv: [],
      seedIterations: 2000,
      environments: [
        {
          environment: 'browser',
          runtime: 'Chromium',
          race: { sizes: [784, 10], batchSize: 128, racers: ['SGD'], flopsPerIteration: 6e8 },
          matmul: {
            shape: { rows: 256, inner: 512, cols: 512 },
            strategy: 'direct',
            kernel: "AffineForwardPass 'direct'",
            dispatchesPerRun: 1,
            runs: 5,
            bestGflops: 1.2,
            medianGflops: 1.1,
          },
          contenders: [
            contender('ours', 'ours (WebGPU)', 100, 28),
            contender('tfjs-webgpu', 'TF.js WebGPU', 600, 1400),
            contender('cpu', 'CPU path', 50),
            contender('ours-wasm', 'ours (wasm)', 20),
            contender('tfjs-wasm', 'TF.js wasm', 100),
          ],
        },
        {
          environment: 'node',
          runtime: 'Node',
          race: { sizes: [784, 10], batchSize: 128, racers: ['SGD'], flopsPerIteration: 6e8 },
          contenders: [
            contender('ours-wasm', 'ours (wasm)', 15),
            contender('numpy', 'numpy (OpenBLAS)', 10),
            contender('torch-cpu', 'PyTorch (CPU, eager)', 12),
          ],
        },
      ],
    };
    const text = formatReport(report);
    for (const label of ['ours (WebGPU)', 'TF.js WebGPU', 'CPU path']) expect(text).toContain(label);
    expect(text).toContain('ours vs TF.js WebGPU: 6.00x faster, 0.0200x its dispatches (targets: >= 5x faster MET, <= 0.1x dispatches MET)');
    expect(text).toContain('ours vs CPU path: 2.00x SLOWER');
    expect(text).toContain('ours (wasm) vs TF.js wasm: 5.00x faster (target: >= 6x faster NOT MET)');
    expect(text).toContain('ours (wasm) vs ours (WebGPU): 5.00x faster');
    expect(text).toContain('ours (wasm) vs CPU path: 2.50x faster');
    expect(text).toContain('83.3%'); // TF.js: 6e8 FLOP in 600 ms = 1 GFLOP/s, of the matmul's 1.2
    expect(text).not.toContain('2500.0%'); // ours (wasm) runs on the CPU: no share of the adapter's matmul
    expect(text).toContain('ours (wasm) vs numpy: 1.50x its time per iteration (target: <= 2x MET)');
    expect(text).toContain('ours (wasm, in the browser) vs numpy (in Node): 2.00x its time per iteration (target: <= 2x MET)');
    // PyTorch on the CPU, the peer a user would pick: its row and the same ratios, with no target of its own.
    expect(text).toMatch(/^PyTorch \(CPU, eager\) +2 +12\.0 /m);
    expect(text).toContain('ours (wasm) vs PyTorch (CPU, eager): 1.25x its time per iteration\n');
    expect(text).toContain('ours (wasm, in the browser) vs PyTorch (CPU, eager) (in Node): 1.67x its time per iteration');
  });

  it('npm run bench runs every contender in the browser and in Node (2 iterations, small network, 1 matmul run)', async (ctx) => {
    const nodeDevice = await testDevice();
    if (!nodeDevice || !existsSync(kChromiumPath)) return ctx.skip();
    nodeDevice.destroy();
    const dir = mkdtempSync(join(tmpdir(), 'bench-test-'));
    const json = join(dir, 'report.json');
    const args = [
      'scripts/bench.mjs',
      '--iterations',
      '2',
      '--tfjs-iterations',
      '2',
      '--cpu-iterations',
      '2',
      '--sizes',
      '784-16-10',
      '--racers',
      '12',
      '--matmul-runs',
      '1',
      '--json',
      json,
    ];
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
      const report = JSON.parse(readFileSync(json, 'utf8')) as BenchReport;
      const rows = Object.fromEntries(report.environments.map((e) => [e.environment, e.contenders.map((c) => c.id)]));
      expect(rows).toEqual({
        browser: ['ours', 'ours-sweep', 'tfjs-webgpu', 'tfjs-webgl', 'ours-wasm', 'tfjs-wasm', 'cpu'],
        node: ['ours', 'ours-sweep', 'ours-wasm', 'numpy', 'torch-cpu', 'cpu'],
      });
      for (const env of report.environments) {
        expect(env.error).toBeUndefined();
        expect(env.adapter?.emulated).toBeTypeOf('boolean');
        expect(env.matmul?.bestGflops).toBeGreaterThan(0);
        // --matmul-runs reaches both environments and both strategies.
        expect([env.matmul?.runs, env.otherMatmul?.runs]).toEqual([1, 1]);
        for (const c of env.contenders) {
          expect(c.error).toBeUndefined();
          expect(c.iterations).toBe(2);
          // numpy has its own weights and batches: only its last losses are reported.
          const losses = c.id === 'numpy' ? c.lastLosses : c.firstLosses;
          expect(losses).toHaveLength(c.id === 'ours-sweep' ? 12 : 6);
          expect(losses.every(Number.isFinite)).toBe(true);
        }
        const ours = env.contenders[0];
        // Whatever the times, every chunk is one submit, and the counted dispatches are the engine's own count.
        expect(ours.dispatchesPerIteration).toBe(ours.stats?.dispatchesPerIteration);
        expect(ours.submitsPerIteration).toBe(ours.stats?.submitsPerIteration);
        // --racers 12: the same six optimizers twice over cost the same dispatches per iteration.
        expect(env.contenders[1].racers).toBe(12);
        expect(env.contenders[1].dispatchesPerIteration).toBe(ours.dispatchesPerIteration);
      }
      for (const text of [
        'ours (WebGPU)',
        'TF.js WebGPU',
        'TF.js WebGL',
        'CPU path (TypeScript)',
        'ours (WebGPU, Dawn)',
        'ours vs TF.js WebGPU:',
        'ours vs TF.js WebGL:',
        'ours (wasm)',
        'TF.js wasm',
        'ours (wasm) vs TF.js wasm:',
        'numpy (OpenBLAS)',
        'ours (wasm) vs numpy:',
        'PyTorch (CPU, eager)',
        'ours (wasm) vs PyTorch (CPU, eager):',
        'ours (wasm, in the browser) vs numpy (in Node):',
        '12 racers vs 6:',
      ]) {
        expect(stdout).toContain(text);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);
});
