/**
 * `mnist` as a user runs it: the run's CLI build (test/fixtures/cli-bundle.ts) copied into a folder
 * of its own inside node_modules/, then `node cli.js mnist ...` on the embedded data (public/data/embedded/,
 * built on first use) or on small generated IDX folders.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mnistCommand } from '../src/cli/mnist';
import { mnistRacers } from '../src/cli/mnist-options';
import { float32Number } from '../src/cli/mnist-output';
import { encodeIdxImages, encodeIdxLabels } from '../src/data/idx';
import { fakeLabels, fakePixels, gzip, writeFakeMnistDir } from './fixtures/idx-fixtures';
import { testDevice } from './gpu';
import { copyBuiltCli } from './fixtures/cli-bundle';
import { runInProcess } from './fixtures/cli-in-process';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}
interface MnistJson {
  config: {
    sizes: number[];
    iterations: number;
    completedIterations: number;
    interrupted: boolean;
    batchSize: number;
    seed: number;
    evalEvery: number;
    backend: string;
    data: { source: string; description: string; trainCount: number; testCount: number; directory?: string };
  };
  racers: {
    name: string;
    optimizer: string;
    hyperparameters: Record<string, number>;
    losses: (number | null)[];
    accuracy: { iteration: number; test: number }[];
    diverged: number | null;
  }[];
  timing: { seconds: number; msPerIteration: number | null };
}

const kSeedNames = ['SGD', 'Momentum', 'AdaGrad', 'Adam', 'RMSprop', 'Nesterov'];

let outDir: string;
let work: string;
/** Resolves to whether WebGPU cases run; rejects (failing them) under CI=true without an adapter. */
let gpuProbe: Promise<boolean>;

beforeAll(() => {
  outDir = copyBuiltCli('cli-mnist-test');
  // After the build, which empties its folder.
  work = join(outDir, 'work');
  mkdirSync(work);
  writeFixtures();
  gpuProbe = testDevice().then((device) => {
    device?.destroy();
    return device !== undefined;
  });
  gpuProbe.catch(() => {}); // Reported by the GPU tests that await it.
});
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** Small IDX folders: a good one and broken ones. */
function writeFixtures(): void {
  writeFakeMnistDir(join(work, 'data-hyper'), 16, 10);
  // A folder lacking the test labels.
  writeFakeMnistDir(join(work, 'incomplete'), 16, 10);
  rmSync(join(work, 'incomplete', 't10k-labels-idx1-ubyte.gz'));
  // Training images with a wrong magic number, raw (it wins over nothing: the .gz is removed).
  writeFakeMnistDir(join(work, 'bad-magic'), 16, 10);
  rmSync(join(work, 'bad-magic', 'train-images-idx3-ubyte.gz'));
  writeFileSync(join(work, 'bad-magic', 'train-images-idx3-ubyte'), Uint8Array.from([0, 0, 8, 4, 0, 0, 0, 16]));
  // Truncated gzip.
  writeFakeMnistDir(join(work, 'truncated'), 16, 10);
  const gz = readFileSync(join(work, 'truncated', 't10k-images-idx3-ubyte.gz'));
  writeFileSync(join(work, 'truncated', 't10k-images-idx3-ubyte.gz'), gz.subarray(0, gz.length >> 1));
  // No test images at all; no training images at all.
  writeFakeMnistDir(join(work, 'empty-test'), 16, 0);
  writeFakeMnistDir(join(work, 'empty-train'), 0, 10);
  // A test label 10 (at index 4).
  writeFakeMnistDir(join(work, 'label-10'), 16, 10);
  const labels = fakeLabels(10);
  labels[4] = 10;
  writeFileSync(join(work, 'label-10', 't10k-labels-idx1-ubyte.gz'), gzip(encodeIdxLabels(labels)));
  // 32x32 training images.
  writeFakeMnistDir(join(work, 'size-32'), 16, 10);
  writeFileSync(join(work, 'size-32', 'train-images-idx3-ubyte.gz'), gzip(encodeIdxImages(fakePixels(16, 32, 32), 16, 32, 32)));
  // A gzip whose deflate data is damaged (its header intact).
  writeFakeMnistDir(join(work, 'corrupt-gz'), 16, 10);
  const damaged = readFileSync(join(work, 'corrupt-gz', 'train-labels-idx1-ubyte.gz'));
  damaged.fill(0x55, 12, damaged.length - 8);
  writeFileSync(join(work, 'corrupt-gz', 'train-labels-idx1-ubyte.gz'), damaged);
}

function cli(...args: string[]): Run {
  const run = spawnSync(process.execPath, [join(outDir, 'cli.js'), 'mnist', ...args], { encoding: 'utf8', timeout: 280_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Runs to completion and returns the JSON it wrote (and the run, for its output). */
function raceJson(name: string, ...args: string[]): { json: MnistJson; run: Run } {
  const file = join(work, `${name}.json`);
  const run = cli('--json', file, ...args);
  expect(run.stderr.split('\n').filter((l) => l.startsWith('error'))).toEqual([]);
  expect(run.code).toBe(0);
  return { json: JSON.parse(readFileSync(file, 'utf8')) as MnistJson, run };
}

/** max |a - b| / |b| over every racer's losses. */
function maxRelativeLossError(a: MnistJson, b: MnistJson): number {
  let worst = 0;
  a.racers.forEach((r, k) =>
    r.losses.forEach((loss, i) => {
      const expected = b.racers[k].losses[i] as number;
      worst = Math.max(worst, Math.abs((loss as number) - expected) / Math.abs(expected));
    }),
  );
  return worst;
}

/** A short race on the embedded set (checkpoints at 2, then the last iteration), run once on each backend for the tests below. */
const kShortRace = ['--iterations', '3', '--eval-every', '2', '--batch', '8'];
let gpuShortRace: ReturnType<typeof raceJson> | undefined;
const shortRaceOnGpu = () => (gpuShortRace ??= raceJson('gpu3', '--backend', 'webgpu', ...kShortRace));

// Runs on the embedded set take tens of seconds on lavapipe when the machine is shared (each
// evaluation is the whole 2,000-image test set): generous timeouts.
describe('mnist on the WebGPU backend, embedded data', () => {
  it("prints the seed's lines and writes every loss and checkpoint as JSON", { timeout: 300_000 }, async (ctx) => {
    if (!(await gpuProbe)) return ctx.skip();
    const { json, run } = shortRaceOnGpu();
    const lines = run.stdout.split('\n');
    const header = lines.indexOf('===========iteration:0===========');
    expect(header).toBeGreaterThan(-1);
    // The seed prints only every 100 iterations.
    expect(run.stdout.match(/={11}iteration:/g)).toHaveLength(1);
    const printed = lines.slice(header + 1, header + 7);
    expect(printed.map((l) => l.split(':')[0])).toEqual(kSeedNames);
    expect(run.stdout).toContain('embedded MNIST subset: 8,000 training / 2,000 test images');
    expect(run.stdout).toMatch(/ms per iteration/);
    for (const name of kSeedNames) expect(run.stdout).toMatch(new RegExp(`^  ${name} +\\d+\\.\\d\\d%$`, 'm'));

    expect(Object.keys(json)).toEqual(['config', 'racers', 'timing']);
    expect(json.config).toMatchObject({
      sizes: [784, 100, 100, 100, 100, 10],
      iterations: 3,
      completedIterations: 3,
      interrupted: false,
      batchSize: 8,
      seed: 1,
      evalEvery: 2,
      data: { source: 'embedded', trainCount: 8000, testCount: 2000 },
    });
    expect(json.config.backend).toMatch(/^webgpu/);
    expect(json.racers.map((r) => [r.name, r.optimizer])).toEqual(
      kSeedNames.map((name, k) => [name, ['sgd', 'momentum', 'adagrad', 'adam', 'rmsprop', 'nesterov'][k]]),
    );
    expect(json.racers[3].hyperparameters).toEqual({ lr: 0.001, beta1: 0.9, beta2: 0.999 });
    json.racers.forEach((r, k) => {
      expect(Object.keys(r)).toEqual(['name', 'optimizer', 'hyperparameters', 'init', 'activation', 'bn', 'dropout', 'l2', 'losses', 'accuracy', 'diverged']);
      expect(r.losses).toHaveLength(3);
      expect(r.losses.every((l) => typeof l === 'number' && l > 0)).toBe(true);
      expect(r.accuracy.map((a) => a.iteration)).toEqual([2, 3]);
      expect(r.accuracy.every((a) => a.test >= 0 && a.test <= 1)).toBe(true);
      expect(r.diverged).toBeNull();
      // The printed line is the loss recorded at iteration 0.
      expect(printed[k]).toBe(`${r.name}:${r.losses[0]}`);
    });
    expect(json.timing.seconds).toBeGreaterThan(0);
    expect(json.timing.msPerIteration).toBeCloseTo((json.timing.seconds * 1000) / 3, 6);
  });

  it("gives the CPU reference's losses within 1e-3 (relative) and its accuracies", { timeout: 300_000 }, async (ctx) => {
    if (!(await gpuProbe)) return ctx.skip();
    const gpu = shortRaceOnGpu().json;
    const cpu = raceJson('cpu3', '--backend', 'cpu', ...kShortRace).json;
    expect(cpu.config.backend).toMatch(/^cpu/);
    expect(cpu.racers.map((r) => r.losses.length)).toEqual(kSeedNames.map(() => 3));
    expect(maxRelativeLossError(gpu, cpu)).toBeLessThan(1e-3);
    gpu.racers.forEach((r, k) => {
      expect(r.accuracy.map((a) => a.iteration)).toEqual([2, 3]);
      r.accuracy.forEach((a, c) => expect(Math.abs(a.test - cpu.racers[k].accuracy[c].test)).toBeLessThanOrEqual(0.002));
    });
  });
});

describe('mnist --data DIR', () => {
  it.for(['cpu', 'webgpu'])('reads a folder of gz and raw IDX files on %s', async (backend, ctx) => {
    if (backend === 'webgpu' && !(await gpuProbe)) return ctx.skip();
    const dir = join(work, `data-${backend}`);
    writeFakeMnistDir(dir, 64, 20, (role) => role !== 'testImages' && role !== 'trainLabels');
    const { json, run } = raceJson(
      `data-${backend}`,
      '--data',
      dir,
      '--backend',
      backend,
      '--iterations',
      '3',
      '--batch',
      '8',
      '--eval-every',
      '1',
      '--optimizers',
      'sgd,adam',
    );
    expect(run.stdout).toContain('MNIST-format data: 64 training / 20 test images (28x28)');
    expect(json.config.data).toMatchObject({ source: 'custom', trainCount: 64, testCount: 20, directory: dir });
    expect(json.racers.map((r) => r.name)).toEqual(['SGD', 'Adam']);
    for (const r of json.racers) {
      expect(r.losses).toHaveLength(3);
      expect(r.accuracy.map((a) => a.iteration)).toEqual([1, 2, 3]);
      // 20 test images: accuracy is a multiple of 1/20.
      for (const a of r.accuracy) expect(Math.abs(a.test * 20 - Math.round(a.test * 20))).toBeLessThan(1e-9);
    }
  });
});

describe('mnist racers from the command line', () => {
  it('takes ids at their defaults and NAME:key=value racers, naming twins by their hyperparameters', () => {
    expect(mnistRacers(undefined, []).map((r) => r.optimizer)).toEqual(['sgd', 'momentum', 'adagrad', 'adam', 'rmsprop', 'nesterov']);
    expect(mnistRacers('sgd, Adam', [])).toEqual([
      { optimizer: 'sgd', hyperparameters: {} },
      { optimizer: 'adam', hyperparameters: {} },
    ]);
    expect(mnistRacers('adam', ['adam:lr=0.01,beta2=0.99'])).toEqual([
      { optimizer: 'adam', hyperparameters: {} },
      { optimizer: 'adam', hyperparameters: { lr: 0.01, beta2: 0.99 }, name: 'Adam (lr=0.01, beta2=0.99)' },
    ]);
  });

  it('races AdamW, Lion, AdaDelta and Adamax: mnist --optimizers adamw,lion,adadelta,adamax', () => {
    const json = join(work, 'modern.json');
    const run = cli(
      '--optimizers',
      'adamw,lion,adadelta,adamax',
      '--optimizer',
      'lion:lr=3e-4,weight_decay=0.1',
      '--iterations',
      '4',
      '--batch',
      '8',
      '--eval-every',
      '4',
      // A small folder: the rules are what is tested, not a 2,000-image evaluation.
      '--data',
      join(work, 'data-hyper'),
      '--json',
      json,
    );
    expect(run.code, run.stderr).toBe(0);
    const racers = (JSON.parse(readFileSync(json, 'utf8')) as { racers: { name: string; hyperparameters: Record<string, number>; losses: number[] }[] }).racers;
    expect(racers.map((r) => r.name)).toEqual(['AdamW', 'Lion', 'AdaDelta', 'Adamax', 'Lion (lr=0.0003, weight_decay=0.1)']);
    expect(racers[0].hyperparameters).toEqual({ lr: 0.001, beta1: 0.9, beta2: 0.999, weight_decay: 0.01 });
    expect(racers[2].hyperparameters).toEqual({ lr: 1, rho: 0.9 });
    for (const r of racers) expect(r.losses.every(Number.isFinite), r.name).toBe(true);
  });

  it('reports a diverging racer, with null losses from its divergence on, while the others go on', () => {
    // On the embedded digits SGD with lr 100 overflows within a few steps (at iteration 5 with seed 1).
    const { json, run } = raceJson('diverged', '--backend', 'cpu', '--iterations', '10', '--batch', '8', '--optimizers', 'adam', '--optimizer', 'sgd:lr=100');
    const [adam, sgd] = json.racers;
    expect(adam.diverged).toBeNull();
    expect(adam.losses.every((l) => typeof l === 'number')).toBe(true);
    expect(adam.accuracy.map((a) => a.iteration)).toEqual([10]);
    expect(sgd.diverged).toBeGreaterThan(0);
    expect(sgd.losses.slice(0, sgd.diverged!).every((l) => typeof l === 'number')).toBe(true);
    expect(sgd.losses.slice(sgd.diverged!).every((l) => l === null)).toBe(true);
    expect(run.stdout).toMatch(new RegExp(`^  SGD +diverged at iteration ${sgd.diverged}$`, 'm'));
    expect(run.stderr).toContain(`SGD diverged at iteration ${sgd.diverged}`);
  });

  it('writes float32 losses in their shortest exact form', () => {
    expect(float32Number(Math.fround(2.4003959))).toBe(2.4003959);
    expect(float32Number(Math.fround(0.1))).toBe(0.1);
    expect(Number.isNaN(float32Number(NaN))).toBe(true);
  });

  it("runs a racer with hyperparameters, printing the seed's lines every 100 iterations", () => {
    const { json, run } = raceJson(
      'hyper',
      '--backend',
      'cpu',
      '--iterations',
      '201',
      '--batch',
      '4',
      '--optimizer',
      'momentum:lr=0.05,momentum=0.5',
      '--data',
      join(work, 'data-hyper'),
    );
    expect(json.racers).toHaveLength(1);
    const [racer] = json.racers;
    expect(racer).toMatchObject({ name: 'Momentum', optimizer: 'momentum', hyperparameters: { lr: 0.05, momentum: 0.5 } });
    expect(racer.losses).toHaveLength(201);
    expect(racer.accuracy.map((a) => a.iteration)).toEqual([100, 200, 201]);
    expect([...run.stdout.matchAll(/^={11}iteration:(\d+)={11}\nMomentum:(.*)$/gm)].map((m) => [Number(m[1]), Number(m[2])])).toEqual(
      [0, 100, 200].map((i) => [i, racer.losses[i]]),
    );
    expect(run.stdout).toMatch(/ms per iteration \(one racer,/);
  });
});

describe('mnist stopped by Ctrl-C', () => {
  it('stops after the chunk in flight, prints the results so far and still writes the JSON', async () => {
    const file = join(work, 'interrupted.json');
    const child = spawn(process.execPath, [
      join(outDir, 'cli.js'),
      'mnist',
      '--backend',
      'cpu',
      '--batch',
      '4',
      '--iterations',
      '100000',
      '--optimizers',
      'sgd,adam',
      '--data',
      join(work, 'data-hyper'),
      '--json',
      file,
    ]);
    let stdout = '';
    let stderr = '';
    let signalled = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((done, fail) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        fail(new Error(`no exit after Ctrl-C:\n${stdout}\n${stderr}`));
      }, 90_000);
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        // Iteration 0 is printed once the first chunk is recorded: the race is running.
        if (!signalled && stdout.includes('===========iteration:0===========')) {
          signalled = true;
          child.kill('SIGINT');
        }
      });
      child.on('exit', (status) => {
        clearTimeout(timer);
        done(status);
      });
    });
    expect(signalled).toBe(true);
    expect(code).toBe(130);
    expect(stderr).toMatch(/Ctrl-C: stopping after the chunk in flight/);
    const json = JSON.parse(readFileSync(file, 'utf8')) as MnistJson;
    const done = json.config.completedIterations;
    expect(json.config.interrupted).toBe(true);
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(100000);
    for (const r of json.racers) expect(r.losses).toHaveLength(done);
    expect(stdout).toContain(`Test accuracy after ${done} of 100000 iterations (interrupted)`);
    expect(stdout).toContain(`(${done} of 100000 iterations)`);
  }, 120_000);
});

/** Bad command lines and data folders: the error each gives (UsageError: exit 2, else exit 1). */
const kBadInput = [
  { args: '--optimizers sgd,foo', code: 2, message: /Unknown optimizer 'foo'. Known optimizers: sgd, momentum, nesterov, adagrad, rmsprop, adam/ },
  { args: '--optimizers sgd,,adam', code: 2, message: /--optimizers takes comma-separated optimizer ids/ },
  { args: '--optimizers adam:lr=1', code: 2, message: /give hyperparameters with --optimizer NAME:key=value/ },
  { args: '--optimizer adam:gamma=1', code: 2, message: /Adam has no hyperparameter 'gamma'. Allowed: lr, beta1, beta2/ },
  { args: '--optimizer sgd:lr=-1', code: 2, message: /SGD: lr .* got -1/ },
  { args: '--iterations 0', code: 2, message: /iterations must be a whole number from 1 to 1000000, got 0/ },
  { args: '--iterations 2.5', code: 2, message: /iterations must be a whole number from 1 to 1000000, got 2.5/ },
  { args: '--iterations lots', code: 2, message: /--iterations must be a number, got 'lots'/ },
  { args: '--batch 0', code: 2, message: /batch size must be a whole number from 1 to 4096, got 0/ },
  { args: '--eval-every 0', code: 2, message: /evaluation interval must be a whole number from 1 to 1000000, got 0/ },
  { args: '--seed -1', code: 2, message: /seed must be a whole number from 0 to 4294967295, got -1/ },
  { args: '--backend tpu', code: 2, message: /Unknown backend 'tpu'. Allowed: webgpu, wasm, cpu, auto/ },
  { args: '--speed 3', code: 2, message: /Unknown option '--speed'. Options: --iterations, --batch, --optimizers, --optimizer, --data/ },
  { args: '--data /nonexistent/mnist', code: 2, message: /--data \/nonexistent\/mnist: no such folder/ },
  { args: '--json /nonexistent/out.json', code: 2, message: /--json \/nonexistent\/out.json: folder \/nonexistent does not exist/ },
  { args: '--data WORK/incomplete', code: 1, message: /incomplete lacks t10k-labels-idx1-ubyte\[\.gz\]; it needs the four standard files/ },
  { args: '--data WORK/bad-magic', code: 1, message: /train-images-idx3-ubyte: not an IDX image file: magic 2052, expected 2051/ },
  { args: '--data WORK/truncated', code: 1, message: /t10k-images-idx3-ubyte.gz: (corrupt gzip data|truncated)/ },
  { args: '--data WORK/empty-test', code: 1, message: /the test split is empty: .*empty-test\/t10k-images-idx3-ubyte\.gz has 0 images$/ },
  { args: '--data WORK/empty-train', code: 1, message: /the training split is empty: .*empty-train\/train-images-idx3-ubyte\.gz has 0 images$/ },
  { args: '--data WORK/label-10', code: 1, message: /label-10\/t10k-labels-idx1-ubyte\.gz: label 10 at index 4; MNIST labels are 0\.\.9$/ },
  { args: '--data WORK/size-32', code: 1, message: /size-32\/train-images-idx3-ubyte\.gz: images are 32x32; MNIST images are 28x28$/ },
  {
    args: '--data WORK/corrupt-gz',
    code: 1,
    message: /corrupt-gz\/train-labels-idx1-ubyte\.gz: corrupt gzip data: the file is damaged or truncated$/,
  },
];

describe('mnist rejects bad input with one line on stderr', () => {
  // In this process: the error each input gives, before any device is opened (runInProcess refuses one) or
  // anything is printed. How main.ts turns such an error into one stderr line and an exit code is
  // checked on the built command below, once per exit code.
  it.for(kBadInput)('`$args` fails with exit $code before touching the GPU', async ({ args, code, message }) => {
    const run = await runInProcess(mnistCommand, args.replace(/WORK/g, work).split(' '));
    expect(run).toMatchObject({ stdout: '', code });
    expect(run.touchedGpu).toBe(false);
    expect(run.line).toMatch(message);
  });

  it('(the refusal bites: a valid race in this process, on webgpu or auto, asks for an adapter)', async () => {
    for (const backend of ['webgpu', 'auto']) {
      const run = await runInProcess(mnistCommand, ['--backend', backend, '--data', join(work, 'data-hyper'), '--iterations', '1']);
      expect(run.touchedGpu, backend).toBe(true);
    }
  });

  it.for(['--optimizers sgd,foo', '--data WORK/label-10'])('the built command prints `%s` as one error line, nothing else', (args) => {
    const { code, message } = kBadInput.find((c) => c.args === args)!;
    const run = cli(...args.replace(/WORK/g, work).split(' '));
    expect(run.code).toBe(code);
    expect(run.stdout).toBe('');
    // Exactly one line: no Dawn adapter warnings either, so the input was checked before any device.
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: /);
    expect(lines[0]).toMatch(message);
  });

  // That `help` lists mnist is checked on the built command in cli.test.ts.
  it('shows its options', async () => {
    const run = await runInProcess(mnistCommand, ['--help']);
    expect(run.code).toBe(0);
    for (const option of [
      '--iterations N',
      '--batch N',
      '--optimizers ID,ID,...',
      '--optimizer NAME[:key=value,...]',
      '--data DIR',
      '--seed N',
      '--eval-every K',
      '--backend webgpu|wasm|cpu|auto',
      '--json FILE',
    ])
      expect(run.stdout).toContain(option);
    expect(run.stdout).toContain('else wasm, printing which and why (default: auto)');
  });
});
