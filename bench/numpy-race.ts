/**
 * numpy: an independent implementation of the seed race in numpy (bench/numpy_race.py, OpenBLAS on
 * every core), run as a child process in the same run as ours: the CPU baseline of issue 9 (ours on
 * wasm at most 2x its time per iteration). Its weights and batches are its own, so its losses are
 * reported but not compared. Where python3 or numpy is missing the row says so.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { RaceConfig } from '../src/race/config';
import { failed, type ContenderResult } from './report';

const kWarmup = 5;

interface NumpyOutput {
  msPerIteration: number;
  iterations: number;
  threads: string;
  losses: number[];
}

export function timeNumpyRace(config: RaceConfig, root: string): Promise<ContenderResult> {
  const label = 'numpy (OpenBLAS)';
  const args = [
    join(root, 'bench', 'numpy_race.py'),
    ...['--iterations', String(config.iterations), '--warmup', String(kWarmup)],
    ...['--sizes', config.sizes.join('-'), '--batch', String(config.batchSize), '--data', join(root, 'public', 'data', 'embedded')],
  ];
  return new Promise((resolve) => {
    execFile('python3', args, { timeout: 600_000 }, (error, stdout, stderr) => {
      if (error) {
        const missing = /No module named 'numpy'|ENOENT/.test(`${stderr} ${error.message}`);
        resolve(failed('numpy', label, missing ? new Error('python3 with numpy is not installed') : new Error(stderr.trim() || error.message)));
        return;
      }
      const out = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as NumpyOutput;
      resolve({
        id: 'numpy',
        label,
        iterations: out.iterations,
        warmupIterations: kWarmup,
        seconds: (out.msPerIteration * out.iterations) / 1000,
        msPerIteration: out.msPerIteration,
        firstLosses: [],
        lastLosses: out.losses,
        ranOn: `${out.threads} BLAS thread(s), its own weights and batches`,
      });
    });
  });
}
