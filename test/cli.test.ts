/**
 * The CLI as a user runs it: built once per run with vite.cli.config.ts (test/setup/build-once.ts),
 * then `node cli.js ...` on a copy in its own folder, so a concurrent `npm run cli` cannot swap the
 * bundle under the test; that folder is inside node_modules/ so the bundle's external imports
 * (webgpu) resolve as from dist-cli/.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOptions, UsageError } from '../src/cli/args';
import { parseRacer, trajectoryCommand } from '../src/cli/trajectory';
import { testDevice } from './gpu';
import { copyBuiltCli } from './fixtures/cli-bundle';
import { runInProcess } from './fixtures/cli-in-process';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}
interface RaceJson {
  function: string;
  start: [number, number];
  steps: number;
  racers: { name: string; optimizer: string; hyperparameters: Record<string, number>; diverged: number | null; path: [number | null, number | null][] }[];
}

let outDir: string;
/** Resolves to whether WebGPU cases run; rejects (failing them) under CI=true without an adapter. */
let gpuProbe: Promise<boolean>;

beforeAll(() => {
  outDir = copyBuiltCli('cli-test');
  gpuProbe = testDevice().then((device) => {
    device?.destroy();
    return device !== undefined;
  });
  gpuProbe.catch(() => {}); // Reported by the GPU tests that await it.
});
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

function cli(...args: string[]): Run {
  const run = spawnSync(process.execPath, [join(outDir, 'cli.js'), ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function race(...args: string[]): RaceJson {
  const run = cli('trajectory', '--json', ...args);
  expect(run.stderr.split('\n').filter((l) => l.startsWith('error'))).toEqual([]);
  // Dawn's adapter warnings (lavapipe) are filtered out by the command (src/cli/bin.ts).
  expect(run.stderr).not.toContain('artificially reduced');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as RaceJson;
}

/** The command's own checks, run in this process (the built command runs the seed race above and on WebGPU below). */
async function runHere(...args: string[]): Promise<{ stdout: string }> {
  const run = await runInProcess(trajectoryCommand, args);
  expect(run.line).toBeUndefined();
  expect(run.code).toBe(0);
  return run;
}
const raceHere = async (...args: string[]): Promise<RaceJson> => JSON.parse((await runHere('--json', ...args)).stdout) as RaceJson;

/** The seed's first Adam exercise: f = xy from (1, 2), lr 1, betas 0.5: x2 = (-2√2/3, 1 - √3/3). */
const kAdamExercise = ['--optimizer', 'adam:lr=1,beta1=0.5,beta2=0.5', '--function', 'xy', '--start', '1,2', '--steps', '2'];

function expectSeedRace(result: RaceJson): void {
  expect(Object.keys(result)).toEqual(['function', 'start', 'steps', 'racers']);
  expect(result).toMatchObject({ function: 'seed', start: [-7, 2], steps: 30 });
  expect(result.racers.map((r) => [r.optimizer, r.hyperparameters.lr])).toEqual([
    ['sgd', 0.95],
    ['momentum', 0.1],
    ['adagrad', 1.5],
    ['adam', 0.3],
    ['rmsprop', 0.3],
    ['nesterov', 0.3],
  ]);
  for (const r of result.racers) {
    expect(r.path).toHaveLength(31);
    expect(r.path[0]).toEqual([-7, 2]);
    expect(r.diverged).toBeNull();
  }
  const [x, y] = result.racers[0].path[1] as [number, number];
  expect(Math.abs(x - (-7 + 0.95 * 0.7))).toBeLessThan(1e-5);
  expect(Math.abs(y - (2 - 0.95 * 4))).toBeLessThan(1e-5);
}

function expectAdamExercise(result: RaceJson): void {
  const [x, y] = result.racers[0].path[2] as [number, number];
  expect(Math.abs(x - (-2 * Math.SQRT2) / 3)).toBeLessThan(1e-5);
  expect(Math.abs(y - (1 - Math.sqrt(3) / 3))).toBeLessThan(1e-5);
}

describe('cli on the CPU backend', () => {
  it('lists its commands', () => {
    const run = cli('help');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/trajectory/);
    expect(run.stdout).toMatch(/^ {2}mnist +Race optimizers on MNIST/m);
  });

  it('shows the trajectory options', async () => {
    expect((await runHere('--help')).stdout).toMatch(/--optimizer NAME\[:key=value,\.\.\.\]/);
  });

  it('runs the seed race by default', () => expectSeedRace(race('--backend', 'cpu')));

  it('runs the first Adam exercise', async () => expectAdamExercise(await raceHere('--backend', 'cpu', ...kAdamExercise)));

  it('prints a table with every racer and the backend', async () => {
    const run = await runHere('--backend', 'cpu');
    for (const name of ['SGD', 'Momentum', 'AdaGrad', 'Adam', 'RMSprop', 'Nesterov']) expect(run.stdout).toContain(name);
    expect(run.stdout).toContain('backend: cpu');
  });

  it('reports a diverging racer as diverged, with null points in JSON', async () => {
    const result = await raceHere('--backend', 'cpu', '--optimizer', 'sgd:lr=5', '--steps', '40');
    expect(result.racers[0].diverged).toBeGreaterThan(0);
    expect(result.racers[0].path[40]).toEqual([null, null]);
    expect((await runHere('--backend', 'cpu', '--optimizer', 'sgd:lr=5', '--steps', '40')).stdout).toMatch(/at step \d+/);
  });

  const badInput = [
    { args: '--optimizer foo', message: /Unknown optimizer 'foo'. Known optimizers: sgd, momentum, nesterov, adagrad, rmsprop, adam/ },
    { args: '--optimizer adam:gamma=1', message: /Adam has no hyperparameter 'gamma'. Allowed: lr, beta1, beta2/ },
    { args: '--optimizer adam:lr=-1', message: /Adam: lr \(learning rate\) must be a finite number in \(0, ∞\), got -1/ },
    { args: '--optimizer adam:beta1=1', message: /Adam: beta1 .* in \[0, 1\), got 1/ },
    { args: '--optimizer sgd:lr=fast', message: /SGD lr must be a number, got 'fast'/ },
    { args: '--steps 0', message: /steps must be a whole number from 1 to 10000, got 0/ },
    { args: '--steps many', message: /--steps must be a number, got 'many'/ },
    { args: '--start 1,2,3', message: /--start must be two numbers X,Y/ },
    { args: '--function nope', message: /Unknown function 'nope'. Known functions: seed, xy, x2xy, rosenbrock, beale, himmelblau/ },
    { args: '--function x=1', message: /Unknown function 'x=1'.*'=' is not allowed.* at column 2 / },
    { args: '--function alert(1)', message: /unknown name 'alert'.* at column 1 / },
    { args: '--function 2x', message: /write \* between '2' and 'x'.* at column 2 / },
    { args: '--function sin(x,y)', message: /sin takes one argument, got 2 at column 1 / },
    { args: '--function constructor', message: /unknown name 'constructor'.* at column 1 / },
    { args: '--function __proto__', message: /unknown name '__proto__'.* at column 1 / },
    { args: '--function process.exit()', message: /unknown name 'process'.* at column 1 / },
    { args: '--function x^', message: /unexpected end of expression at column 3 / },
    { args: '--function (x', message: /'\(' is never closed at column 1 / },
    { args: '--function ', message: /type a function of x and y.* at column 1 / },
    { args: '--function this', message: /unknown name 'this'.* at column 1 / },
    { args: '--function x.constructor', message: /'\.' is not allowed.* at column 2 / },
    { args: '--function x;y', message: /';' is not allowed.* at column 2 / },
    { args: '--function [1,2]', message: /'\[' is not allowed.* at column 1 / },
    { args: '--function "str"', message: /'"' is not allowed.* at column 1 / },
    { args: '--backend tpu', message: /Unknown backend 'tpu'. Allowed: webgpu, cpu/ },
    { args: '--speed 3', message: /Unknown option '--speed'. Options: --function, --start, --steps, --optimizer, --backend, --json/ },
  ];
  // In this process: the usage error (exit 2) each gives, before any device is opened (the mock
  // above) or anything is printed; the built command below shows one as one stderr line.
  it.for(badInput)('rejects `$args` as a usage error, before touching the GPU', async ({ args, message }) => {
    const run = await runInProcess(trajectoryCommand, args.split(' '));
    expect(run).toMatchObject({ stdout: '', code: 2 });
    expect(run.touchedGpu).toBe(false);
    expect(run.line).toMatch(message);
  });

  it('rejects `--function x^` with one line on stderr and exit 2, printing nothing', () => {
    const { args, message } = badInput.find((c) => c.args === '--function x^')!;
    const run = cli('trajectory', ...args.split(' '));
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    // Exactly one line: also no Dawn adapter warnings, so the input was checked before any device.
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: /);
    expect(lines[0]).toMatch(message);
  });

  it('races a typed f(x, y) on the CPU path', async () => {
    const out = await raceHere('--backend', 'cpu', '--function', 'x^2 + 3*y^2', '--start', '1,1', '--steps', '1', '--optimizer', 'sgd:lr=0.1');
    expect(out.function).toBe('x^2 + 3*y^2');
    // One SGD step by hand: (1 - 0.1 * 2, 1 - 0.1 * 6).
    expect(out.racers[0].path[1][0]).toBeCloseTo(0.8, 12);
    expect(out.racers[0].path[1][1]).toBeCloseTo(0.4, 12);
  });

  it('rejects an unknown command, listing the commands', () => {
    const run = cli('race');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Unknown command 'race'. Commands: trajectory/);
  });
});

describe('cli on the WebGPU backend', () => {
  it('runs the seed race as the CPU backend does, within 1e-4', async (ctx) => {
    if (!(await gpuProbe)) return ctx.skip();
    const gpu = race();
    expectSeedRace(gpu);
    const cpu = race('--backend', 'cpu');
    gpu.racers.forEach((r, i) =>
      r.path.forEach((point, s) =>
        point.forEach((v, c) => {
          expect(Math.abs((v as number) - (cpu.racers[i].path[s][c] as number))).toBeLessThan(1e-4);
        }),
      ),
    );
  });

  it('runs the first Adam exercise', async (ctx) => {
    if (!(await gpuProbe)) return ctx.skip();
    expectAdamExercise(race(...kAdamExercise));
  });

  it('names the adapter in the table', async (ctx) => {
    if (!(await gpuProbe)) return ctx.skip();
    const run = cli('trajectory', '--steps', '3');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/backend: webgpu/);
    expect(run.stderr).toBe('');
  });
});

describe('cli without WebGPU', () => {
  // An empty Vulkan driver list hides every adapter from Dawn on Linux (elsewhere Dawn ignores it).
  it.runIf(process.platform === 'linux')('says so, suggests --backend cpu and does not fall back', () => {
    const run = spawnSync(process.execPath, [join(outDir, 'cli.js'), 'trajectory'], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, VK_ICD_FILENAMES: '/nonexistent/icd.json' },
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    const errors = run.stderr.split('\n').filter((l) => l.startsWith('error:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/no GPU adapter was found.*Run with --backend cpu/);
  });
});

describe('the optimizer-race command', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
    bin: Record<string, string>;
    files: string[];
    optionalDependencies?: Record<string, string>;
  };

  it("is the package's bin, shipped, and runs through its shebang", () => {
    const bin = pkg.bin['optimizer-race'];
    expect(bin).toBe('dist-cli/cli.js');
    expect(pkg.files).toContain('dist-cli');
    // outDir is this test's dist-cli/; npm makes the bin executable when it installs the package.
    const file = join(outDir, basename(bin));
    expect(readFileSync(file, 'utf8').split('\n', 1)[0]).toBe('#!/usr/bin/env node');
    chmodSync(file, 0o755);
    const run = spawnSync(file, ['help'], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/trajectory/);
    expect(run.stderr).toBe('');
  });

  it('keeps its runtime imports out of devDependencies', () => {
    // The bundle's bare imports (node_modules packages) must install with the package.
    const imports = [...readFileSync(join(outDir, 'main.js'), 'utf8').matchAll(/\bimport\((["'])([^"']+)\1\)|\bfrom\s+(["'])([^"']+)\3/g)]
      .map((m) => m[2] ?? m[4])
      .filter((s) => !s.startsWith('.') && !s.startsWith('node:'));
    expect(imports.length).toBeGreaterThan(0);
    for (const name of imports)
      expect(pkg.optionalDependencies?.[name] ?? (pkg as unknown as { dependencies: Record<string, string> }).dependencies[name]).toBeDefined();
  });

  it('passes the exit code and a signal through', async () => {
    expect(cli('trajectory', '--steps', '0').code).toBe(2);
    const child = spawn(process.execPath, [join(outDir, 'cli.js'), 'mnist', '--backend', 'cpu', '--batch', '4', '--iterations', '100000'], { stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGTERM'), 2_000);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done) => child.on('exit', (c, s) => done([c, s])));
    clearTimeout(timer);
    expect([code, signal]).toEqual([null, 'SIGTERM']); // forwarded to the CLI, which died of it, as did the command
  });
});

describe('argument parsing', () => {
  const specs = {
    start: { type: 'value', description: '' },
    optimizer: { type: 'value', multiple: true, description: '' },
    json: { type: 'flag', description: '' },
  } as const;

  it('takes --name value, --name=value, negative values, repeated options and flags', () => {
    expect(parseOptions(['--start', '-7,2', '--optimizer=sgd', '--optimizer', 'adam', '--json'], specs)).toEqual({
      start: '-7,2',
      optimizer: ['sgd', 'adam'],
      json: true,
    });
    expect(parseOptions([], specs)).toEqual({ start: undefined, optimizer: [], json: false });
  });

  it('rejects a missing value and a repeated single option', () => {
    expect(() => parseOptions(['--start'], specs)).toThrow(UsageError);
    expect(() => parseOptions(['--start', '--json'], specs)).toThrow(/--start needs a value/);
    expect(() => parseOptions(['--start', '1,2', '--start', '3,4'], specs)).toThrow(/given twice/);
  });

  it("gives an optimizer without lr the seed race's rate and keeps the given keys", () => {
    expect(parseRacer('sgd')).toEqual({ optimizer: 'sgd', hyperparameters: { lr: 0.95 } });
    expect(parseRacer('Adam:beta1=0.5')).toEqual({ optimizer: 'adam', hyperparameters: { lr: 0.3, beta1: 0.5 } });
    expect(() => parseRacer('adam:lr=1,lr=2')).toThrow(/'lr' is given twice/);
  });
});
