/**
 * PyTorch (CPU, eager): the seed race in PyTorch (bench/gpu/torch_race.py, the peer a user who
 * outgrows the browser picks), run as a child process in the same run as ours, from OUR race's
 * initial weights and minibatches, so that its losses compare with ours (the Δloss@1 column).
 * The same script times CUDA graphs and torch.compile on a lent GPU (bench/gpu/run.sh).
 * Where python3 or torch is missing the row says so.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kEmbeddedMnistPath } from '../src/data/mnist-files';
import { batchIndices } from '../src/nn/batch';
import { networkLayout } from '../src/nn/layout';
import { initParams } from '../src/nn/model';
import { resolveRace, type RaceConfig } from '../src/race/config';
import { initSeed } from '../src/race/dataset';
import { failed, type ContenderResult } from './report';

/** Iterations of the warm-up race before the reset and the timed race from iteration 0. */
const kTorchWarmup = 5;

const kTorchScript = join('bench', 'gpu', 'torch_race.py');

/** One mode's figures in torch_race.py's report. */
export interface TorchModeResult {
  msPerIteration: number;
  iterations: number;
  warmupIterations: number;
  firstLosses: number[];
  lastLosses: number[];
  /** Every racer's loss at the first (up to 5) timed iterations, iteration-major. */
  headLosses: number[][];
  error?: string;
}

export interface TorchReport {
  torch: string;
  device: string;
  threads: number;
  race: { racers: string[]; batchesMatchPort: boolean };
  modes: Record<string, TorchModeResult>;
}

/** A .npy (format 1.0) of uint32 rows: numpy.load reads it. */
export function npyUint32(rows: readonly Uint32Array[]): Uint8Array {
  const columns = rows[0]?.length ?? 0;
  let header = `{'descr': '<u4', 'fortran_order': False, 'shape': (${rows.length}, ${columns}), }`;
  // Magic (6) + version (2) + length (2) + header + '\n', padded to a multiple of 64.
  header = `${header.padEnd(Math.ceil((10 + header.length + 1) / 64) * 64 - 10 - 1, ' ')}\n`;
  const bytes = new Uint8Array(10 + header.length + 4 * rows.length * columns);
  bytes.set([0x93, ...new TextEncoder().encode('NUMPY'), 1, 0, header.length & 0xff, header.length >> 8]);
  bytes.set(new TextEncoder().encode(header), 10);
  const body = new Uint32Array(bytes.buffer, 10 + header.length, rows.length * columns);
  rows.forEach((row, i) => body.set(row, i * columns));
  return bytes;
}

/**
 * Writes what torch_race.py starts from: every racer's initParams block (init-params.f32, our
 * layout) and the minibatch indices of `iterations` iterations (batches.npy), both as our CPU
 * reference engine draws them.
 */
export async function writeTorchInputs(config: RaceConfig, trainCount: number, iterations: number, dir: string): Promise<{ init: string; batches: string }> {
  const layout = networkLayout(config.sizes);
  const racers = resolveRace(config).racers;
  const params = new Float32Array(racers.length * layout.paramsPerRacer);
  racers.forEach((r, i) => params.set(initParams(layout, r.init, initSeed(config.seed)), i * layout.paramsPerRacer));
  const init = join(dir, 'init-params.f32');
  const batches = join(dir, 'batches.npy');
  await writeFile(init, new Uint8Array(params.buffer));
  const rows = Array.from({ length: iterations }, (_, i) => batchIndices(config.seed, i, config.batchSize, trainCount));
  await writeFile(batches, npyUint32(rows));
  return { init, batches };
}

/** The racers as torch_race.py's --racers JSON: every hyperparameter as the registry resolved it. */
export function torchRacers(config: RaceConfig): string {
  return JSON.stringify(resolveRace(config).racers.map((r) => ({ optimizer: r.spec.id, name: r.name, hyperparameters: r.hyper })));
}

/** Runs torch_race.py eager on the CPU from our weights and batches; rejects with the script's stderr. */
export async function runTorchRace(
  config: RaceConfig,
  trainCount: number,
  options: { root: string; dataDir: string; warmup: number; threads?: number },
): Promise<TorchReport> {
  const racers = resolveRace(config).racers;
  if (racers.some((r) => r.activation !== 'relu' || r.schedule.kind !== 'constant')) {
    throw new Error('torch_race.py races ReLU networks at constant hyperparameters only');
  }
  const dir = await mkdtemp(join(tmpdir(), 'torch-race-'));
  try {
    const { init, batches } = await writeTorchInputs(config, trainCount, Math.max(config.iterations, options.warmup), dir);
    const args = [
      join(options.root, kTorchScript),
      ...['--data', options.dataDir, '--out', '-', '--init', init, '--batches', batches, '--device', 'cpu', '--modes', 'eager'],
      ...['--iterations', String(config.iterations), '--warmup', String(options.warmup), '--racers', torchRacers(config)],
      ...['--sizes', config.sizes.join('-'), '--batch', String(config.batchSize), '--seed', String(config.seed)],
      ...(options.threads === undefined ? [] : ['--threads', String(options.threads)]),
    ];
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile('python3', args, { timeout: 600_000, maxBuffer: 64 * 1024 * 1024 }, (error, out, err) => {
        if (!error) return resolve(out);
        const missing = /No module named 'torch'|ENOENT/.test(`${err} ${error.message}`);
        reject(new Error(missing ? 'python3 with torch is not installed (.ci/install-system installs it)' : err.trim() || error.message));
      });
    });
    return JSON.parse(stdout) as TorchReport;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `threads`: torch's CPU threads (torch.set_num_threads). */
export async function timeTorchRace(config: RaceConfig, trainCount: number, root: string, threads: number): Promise<ContenderResult> {
  const label = 'PyTorch (CPU, eager)';
  try {
    const report = await runTorchRace(config, trainCount, { root, dataDir: join(root, 'public', kEmbeddedMnistPath), warmup: kTorchWarmup, threads });
    const eager = report.modes.eager;
    if (eager.error) throw new Error(eager.error);
    return {
      id: 'torch-cpu',
      label,
      iterations: eager.iterations,
      warmupIterations: eager.warmupIterations,
      seconds: (eager.msPerIteration * eager.iterations) / 1000,
      msPerIteration: eager.msPerIteration,
      firstLosses: eager.firstLosses,
      lastLosses: eager.lastLosses,
      ranOn: `torch ${report.torch}, ${report.threads} thread(s), our weights and batches`,
    };
  } catch (error) {
    return failed('torch-cpu', label, error);
  }
}
