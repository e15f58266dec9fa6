/**
 * `mnist`: the seed's MNIST race (optimizer_compare_mnist.py) headless, on the WGSL kernels through
 * Dawn or on the float64 reference. Prints what the seed's script prints (every 100 iterations
 * `===========iteration:N===========` and `NAME:loss` per racer), then the test accuracies and the
 * time per iteration; `--json FILE` keeps every loss. Ctrl-C stops after the chunk in flight and
 * still prints and writes what was done.
 */
import type { BackendKind } from '../gpu/backend-kind';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeDataset, type MnistDataset } from '../data/dataset';
import { detectDatasetOnDisk } from '../data/node/mnist-dir';
import { writeFileAtomic } from '../data/node/files';
import { kEmbeddedMnistPath } from '../data/mnist-files';
import { optimizerIds, optimizerSpec } from '../optim/registry';
import { CpuRaceBackend } from '../race/cpu-backend';
import { kSeedRace, resolveRace, type RaceConfig, type RacerConfig } from '../race/config';
import { RaceEngine, type RacerHistory } from '../race/engine';
import { GpuRaceBackend, RacePipelines } from '../race/gpu-backend';
import { kScheduleForms } from '../optim/schedule';
import { asUsage, parseNumber, racerFromArgument, UsageError } from './args';
import { formatStudy, studyJson, studyRacers, type Study } from './mnist-sweep';
import { chooseAutoBackend, describeDevice, kMnistBackendOption, parseMnistBackend, withNodeDevice } from './backend';
import { WasmRaceBackend } from '../wasm/wasm-backend';
import { kThreadsOption, wasmBackendLabel, wasmThreads } from './wasm-threads';
import { defineCommand } from './command';
import { roundSignificant } from '../util/short-number';

/** The seed prints the losses every this many iterations. */
export const kPrintEvery = 100;
/** Exit code after Ctrl-C (128 + SIGINT), as shells report it. */
export const kInterruptedExitCode = 130;

/**
 * `NAME[:key=value,...]`, e.g. `adam:lr=0.01,beta2=0.99,init=xavier`; keys left out take the
 * optimizer's defaults (the seed's MNIST race runs every optimizer at its defaults).
 */
export function parseMnistRacer(text: string): RacerConfig {
  return asUsage(() => racerFromArgument(text, ['name', 'init', 'activation', 'schedule']));
}

/** `--optimizers a,b,c` (ids at their defaults) followed by each `--optimizer NAME[:key=value,...]`. */
export function mnistRacers(optimizers: string | undefined, optimizer: readonly string[]): RacerConfig[] {
  const listed =
    optimizers === undefined
      ? []
      : optimizers.split(',').map((id) => {
          if (id.trim() === '' || id.includes(':') || id.includes('=')) {
            throw new UsageError(
              `--optimizers takes comma-separated optimizer ids (${optimizerIds().join(', ')}), got '${optimizers}'; ` +
                'give hyperparameters with --optimizer NAME:key=value,...',
            );
          }
          return parseMnistRacer(id.trim());
        });
  const racers = [...listed, ...optimizer.map(parseMnistRacer)];
  if (racers.length === 0) return kSeedRace.racers.map((r) => ({ ...r }));
  // One optimizer twice: its hyperparameters tell the racers apart (resolveRace numbers exact twins).
  return racers.map((r) => {
    const twice = racers.filter((other) => other.optimizer === r.optimizer).length > 1;
    const given = Object.entries(r.hyperparameters ?? {})
      .map(([key, value]) => `${key}=${value}`)
      .join(', ');
    return twice && given ? { ...r, name: `${optimizerSpec(r.optimizer).label} (${given})` } : r;
  });
}

export interface MnistOptions {
  iterations?: string;
  batch?: string;
  optimizers?: string;
  optimizer: string[];
  seed?: string;
  'eval-every'?: string;
  sweep?: string;
  'lr-finder'?: string;
}

/** The race the options describe, validated; no options = the seed's experiment. */
export function mnistConfig(options: MnistOptions): RaceConfig {
  return mnistRace(options).config;
}

/** The race and the study (--sweep, --lr-finder) the options describe, validated. */
export function mnistRace(options: MnistOptions): { config: RaceConfig; study?: Study } {
  const studied = studyRacers(options);
  const number = (text: string | undefined, what: string, fallback: number): number => (text === undefined ? fallback : parseNumber(text, what));
  const config: RaceConfig = {
    sizes: [...kSeedRace.sizes],
    iterations: number(options.iterations, '--iterations', kSeedRace.iterations),
    batchSize: number(options.batch, '--batch', kSeedRace.batchSize),
    seed: number(options.seed, '--seed', kSeedRace.seed),
    evalEvery: number(options['eval-every'], '--eval-every', kSeedRace.evalEvery),
    racers: studied?.racers ?? mnistRacers(options.optimizers, options.optimizer),
  };
  asUsage(() => resolveRace(config));
  return { config, ...(studied ? { study: studied.study } : {}) };
}

const kPackageName = 'optimizer-race';

/** The repository folder: the first ancestor of `starts` holding this project's package.json. */
export function findProjectRoot(starts: readonly string[]): string | undefined {
  for (const start of starts) {
    for (let dir = resolve(start); ; dir = dirname(dir)) {
      const manifest = join(dir, 'package.json');
      try {
        if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === kPackageName) return dir;
      } catch {
        // An unreadable package.json is not ours: keep looking upwards.
      }
      if (dirname(dir) === dir) break;
    }
  }
  return undefined;
}

/**
 * `--data DIR`, else full MNIST in public/data/mnist/, else the embedded subset (built on first use)
 * in public/data/embedded/. public/ is found from the working directory or, failing that, from the
 * bundle's own location, so the CLI works from any folder inside the repository.
 */
export async function loadRaceData(dataDir: string | undefined): Promise<MnistDataset> {
  if (dataDir !== undefined) {
    const dir = resolve(dataDir);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--data ${dataDir}: no such folder (${dir})`);
    // An empty split, labels above 9, images that are not 28x28: rejected by the loader's shared check (validateMnistParts).
    return detectDatasetOnDisk({ dataDir: dir });
  }
  const root = findProjectRoot([process.cwd(), dirname(fileURLToPath(import.meta.url))]);
  if (root === undefined) {
    throw new Error(
      `cannot find the ${kPackageName} repository (its public/data/) from ${process.cwd()}: ` +
        'run the CLI inside the repository (npm run cli -- mnist) or pass --data DIR',
    );
  }
  // An installed package (npx optimizer-race) has no public/, but ships the embedded subset beside the library bundle.
  const shipped = join(root, 'dist', 'lib');
  const installed = !existsSync(join(root, 'public')) && existsSync(join(shipped, kEmbeddedMnistPath));
  return detectDatasetOnDisk({ publicDir: installed ? shipped : join(root, 'public') });
}

/** The shortest decimal that reads back as the same float32 (losses are float32 on both backends). */
export function float32Number(x: number): number {
  if (!Number.isFinite(x)) return x;
  const target = Math.fround(x);
  for (let digits = 1; digits < 9; digits++) {
    const y = roundSignificant(x, digits);
    if (Math.fround(y) === target) return y;
  }
  return roundSignificant(x, 9);
}

/** The seed's lines for iteration `i` (0-based): the loss each racer recorded there. */
export function formatSeedLines(history: readonly RacerHistory[], i: number): string {
  return [`===========iteration:${i}===========`, ...history.map((h) => `${h.name}:${String(float32Number(h.losses[i]))}`)].join('\n');
}

export interface RaceRun {
  config: RaceConfig;
  data: MnistDataset;
  dataDir?: string;
  backend: string;
  /** Which engine ran, and for WebGPU its compute dispatches per iteration. */
  backendKind: BackendKind;
  dispatchesPerIteration?: number;
  history: RacerHistory[];
  completed: number;
  interrupted: boolean;
  seconds: number;
}

const msPerIteration = (run: RaceRun): number => (run.completed > 0 ? (run.seconds * 1000) / run.completed : NaN);
const percent = (x: number): string => `${(x * 100).toFixed(2)}%`;

/** Final test accuracy per racer, the time per iteration and the data used. */
export function formatSummary(run: RaceRun): string {
  const width = Math.max(...run.history.map((h) => h.name.length));
  const rows = run.history.map((h) => {
    const last = h.accuracy.at(-1);
    const accuracy =
      last === undefined ? 'no test evaluation yet' : `${percent(last.test)}${last.iteration === run.completed ? '' : ` (at iteration ${last.iteration})`}`;
    const diverged = `diverged at iteration ${h.diverged}${last === undefined ? '' : ` (last accuracy: ${accuracy})`}`;
    const text = h.diverged === null ? accuracy : diverged;
    return `  ${h.name.padEnd(width)}  ${text}`;
  });
  const done = run.interrupted ? `${run.completed} of ${run.config.iterations} iterations (interrupted)` : `${run.completed} iterations`;
  return [
    `Test accuracy after ${done}, on ${run.data.testCount.toLocaleString('en-US')} test images:`,
    ...rows,
    `Time: ${run.seconds.toFixed(2)} s, ${msPerIteration(run).toFixed(2)} ms per iteration (${run.history.length === 1 ? 'one racer' : `all ${run.history.length} racers`}, ` +
      `test evaluations included), backend: ${run.backend}`,
    `Data: ${describeDataset(run.data)}${run.dataDir === undefined ? '' : ` from ${run.dataDir}`}`,
  ].join('\n');
}

/** `{"config", "racers", "timing"}`, one racer per line; NaN losses become null; float32 values in shortest form. */
export function formatMnistJson(run: RaceRun, sections: Record<string, unknown> = {}): string {
  const { config, data } = run;
  const configJson = {
    sizes: config.sizes,
    iterations: config.iterations,
    completedIterations: run.completed,
    interrupted: run.interrupted,
    batchSize: config.batchSize,
    seed: config.seed,
    evalEvery: config.evalEvery,
    backend: run.backend,
    data: {
      source: data.source,
      description: describeDataset(data),
      trainCount: data.trainCount,
      testCount: data.testCount,
      ...(run.dataDir === undefined ? {} : { directory: run.dataDir }),
    },
  };
  // JSON.stringify writes NaN and Infinity as null.
  const racers = run.history.map((h) =>
    JSON.stringify({
      name: h.name,
      optimizer: h.optimizer,
      hyperparameters: h.hyperparameters,
      init: h.init,
      activation: h.activation,
      ...(h.schedule ? { schedule: h.schedule } : {}),
      losses: h.losses.map(float32Number),
      accuracy: h.accuracy,
      diverged: h.diverged,
    }),
  );
  const ms = msPerIteration(run);
  return [
    '{',
    `  "config": ${JSON.stringify(configJson)},`,
    '  "racers": [',
    racers.map((r) => `    ${r}`).join(',\n'),
    '  ],',
    ...Object.entries(sections).map(([key, value]) => `  ${JSON.stringify(key)}: ${JSON.stringify(value)},`),
    `  "timing": ${JSON.stringify({
      seconds: run.seconds,
      msPerIteration: Number.isFinite(ms) ? ms : null,
      backend: run.backendKind,
      ...(run.dispatchesPerIteration === undefined ? {} : { dispatchesPerIteration: run.dispatchesPerIteration }),
    })}`,
    '}',
  ].join('\n');
}

/** A `--json` target whose folder exists (checked before a long race, not after). */
function jsonPath(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  const path = resolve(file);
  if (existsSync(path) && statSync(path).isDirectory()) throw new UsageError(`--json ${file}: is a folder; give a file name`);
  if (!existsSync(dirname(path)) || !statSync(dirname(path)).isDirectory()) throw new UsageError(`--json ${file}: folder ${dirname(path)} does not exist`);
  return path;
}

/** Stdout for the seed's lines; on a terminal also a progress line on stderr, cleared before each write. */
class Output {
  private progressShown = false;
  // bin.ts pipes stderr through its Dawn warning filter and says when that pipe ends in a terminal.
  private readonly tty = process.stderr.isTTY === true || process.env.OPTIMIZER_RACE_STDERR_TTY === '1';

  line(text: string): void {
    this.clearProgress();
    process.stdout.write(`${text}\n`);
  }

  note(text: string): void {
    this.clearProgress();
    process.stderr.write(`${text}\n`);
  }

  progress(iteration: number, iterations: number, speed: number): void {
    if (!this.tty) return;
    process.stderr.write(`\riteration ${iteration}/${iterations}, ${speed.toFixed(1)} iterations/s\x1b[K`);
    this.progressShown = true;
  }

  clearProgress(): void {
    if (this.progressShown) process.stderr.write('\r\x1b[K');
    this.progressShown = false;
  }
}

/** Runs the engine to the end or to Ctrl-C, printing the seed's lines as their iterations are recorded. */
async function runEngine(engine: RaceEngine, out: Output): Promise<{ seconds: number; interrupted: boolean }> {
  let printed = 0; // iterations whose seed lines are out (or that print nothing)
  const unsubscribe = engine.subscribe({
    progress: (p) => {
      for (; printed < p.iteration; printed++) if (printed % kPrintEvery === 0) out.line(formatSeedLines(engine.history, printed));
      out.progress(p.iteration, p.iterations, p.speed);
    },
    diverged: (r, iteration) =>
      out.note(`${engine.history[r].name} diverged at iteration ${iteration} (loss ${engine.history[r].losses[iteration]}); the others go on`),
  });
  let interrupted = false;
  const onSigint = (): void => {
    if (interrupted) {
      out.note('Second Ctrl-C: quitting without results.');
      process.exit(kInterruptedExitCode);
    }
    interrupted = true;
    out.note(`Ctrl-C: stopping after the chunk in flight (at iteration ${engine.iteration}); results so far follow. Ctrl-C again to quit at once.`);
    engine.pause();
  };
  const started = performance.now();
  const finished = engine.start(); // the engine is 'running' from here, so pause() takes effect
  process.on('SIGINT', onSigint);
  try {
    await finished;
  } finally {
    process.off('SIGINT', onSigint);
    unsubscribe();
    out.clearProgress();
  }
  return { seconds: (performance.now() - started) / 1000, interrupted: interrupted && !engine.finished };
}

export const mnistCommand = defineCommand({
  name: 'mnist',
  summary: "Race optimizers on MNIST (default: the seed's six, 784-100-100-100-100-10, 2000 iterations of batch 128).",
  description: [
    `Prints the seed's lines every ${kPrintEvery} iterations, then each racer's test accuracy and the time per iteration.`,
    'Data: --data DIR, else full MNIST in public/data/mnist/ (npm run data:mnist), else the embedded 8,000/2,000 subset.',
    'Ctrl-C stops after the chunk in flight and still prints (and with --json writes) the results so far.',
  ].join('\n'),
  options: {
    iterations: { type: 'value', valueName: 'N', description: `iterations (minibatches), 1 to 1000000 (default: ${kSeedRace.iterations})` },
    batch: { type: 'value', valueName: 'N', description: `minibatch size, 1 to 4096 (default: ${kSeedRace.batchSize})` },
    optimizers: {
      type: 'value',
      valueName: 'ID,ID,...',
      description: `racers at their defaults: ${optimizerIds().join(', ')} (default: ${kSeedRace.racers.map((r) => r.optimizer).join(',')})`,
    },
    optimizer: {
      type: 'value',
      multiple: true,
      valueName: 'NAME[:key=value,...]',
      description:
        'a racer with hyperparameters, e.g. adam:lr=0.01,schedule=cosine:1e-5 (after those of --optimizers); ' +
        `schedule: ${kScheduleForms} over the iterations`,
    },
    data: { type: 'value', valueName: 'DIR', description: 'a folder with the four standard MNIST files, gz or raw (default: see above)' },
    seed: { type: 'value', valueName: 'N', description: `seed of the initial weights and the minibatches (default: ${kSeedRace.seed})` },
    'eval-every': { type: 'value', valueName: 'K', description: `test accuracy every K iterations and at the last (default: ${kSeedRace.evalEvery})` },
    backend: kMnistBackendOption,
    threads: kThreadsOption,
    sweep: {
      type: 'value',
      valueName: 'KEY=MIN..MAX:COUNT',
      description:
        'COUNT racers per optimizer of --optimizers, KEY from MIN to MAX (log-spaced for lr), e.g. lr=1e-4..1:8 or momentum=0.5..0.99:6; prints the sensitivity',
    },
    'lr-finder': {
      type: 'value',
      valueName: 'MIN..MAX',
      description:
        'LR range test: one racer per optimizer of --optimizers, lr from MIN to MAX exponentially (e.g. 1e-6..10); prints the steepest-descent and divergence lr',
    },
    json: {
      type: 'value',
      valueName: 'FILE',
      description: 'write {"config", "racers": [losses, accuracy, ...], "sensitivity" or "lrFinder" (with --sweep, --lr-finder), "timing"} to FILE',
    },
  },
  examples: [
    '',
    '--iterations 300 --eval-every 100 --json race.json',
    '--optimizers sgd,adam --optimizer adam:lr=0.01',
    '--backend cpu --iterations 5 --batch 16',
    '--backend wasm --threads 2',
    '--sweep lr=1e-4..1:8 --optimizers sgd,adam --iterations 300',
    '--lr-finder 1e-6..10 --optimizers sgd,adam --iterations 300',
  ],
  async run(options) {
    const { config, study } = mnistRace(options);
    const choice = parseMnistBackend(options.backend);
    const threads = wasmThreads(options.threads, choice);
    const out = new Output();
    const json = jsonPath(options.json);
    const data = await loadRaceData(options.data);
    let backend: BackendKind = choice === 'auto' ? 'wasm' : choice;
    if (choice === 'auto') {
      const auto = await chooseAutoBackend();
      backend = auto.kind;
      out.line(`Backend auto: ${auto.kind}, because ${auto.why}`);
    }
    const race = async (engine: RaceEngine, ran: string, dispatches?: () => number): Promise<RaceRun> => {
      out.line(
        `MNIST race: ${engine.racers.map((r) => r.name).join(', ')}; network ${config.sizes.join('-')}, ` +
          `batch ${config.batchSize}, ${config.iterations} iterations, seed ${config.seed}`,
      );
      out.line(`Data: ${describeDataset(data)}; backend: ${ran}`);
      try {
        const { seconds, interrupted } = await runEngine(engine, out);
        return {
          config,
          data,
          dataDir: options.data === undefined ? undefined : resolve(options.data),
          backend: ran,
          backendKind: backend,
          ...(dispatches === undefined ? {} : { dispatchesPerIteration: dispatches() }),
          history: engine.history,
          completed: engine.iteration,
          interrupted,
          seconds,
        };
      } finally {
        engine.destroy();
      }
    };
    const onWasm = async (): Promise<RaceRun> => {
      const resolved = resolveRace(config);
      const wasm = await WasmRaceBackend.create(resolved, data, { threads });
      return race(new RaceEngine(resolved, wasm), wasmBackendLabel(wasm.threads));
    };
    const onGpu = (): Promise<RaceRun> =>
      withNodeDevice('cli.mnist', (device) => {
        let gpu: GpuRaceBackend | undefined;
        const engine = RaceEngine.create(config, (r) => (gpu = new GpuRaceBackend(new RacePipelines(device), r, data)));
        return race(engine, describeDevice(device), () => (gpu && gpu.stats.iterations > 0 ? gpu.stats.dispatches / gpu.stats.iterations : 0));
      });
    const result =
      backend === 'cpu'
        ? await race(
            RaceEngine.create(config, (r) => new CpuRaceBackend(r, data)),
            'cpu (float64 TypeScript reference)',
          )
        : backend === 'wasm'
          ? await onWasm()
          : await onGpu();
    out.line(formatSummary(result));
    if (study) out.line(formatStudy(study, result.history, config.iterations));
    if (json !== undefined) {
      await writeFileAtomic(json, `${formatMnistJson(result, study ? studyJson(study, result.history, config.iterations) : {})}\n`);
      out.line(`Wrote ${json}${result.interrupted ? ` (${result.completed} of ${config.iterations} iterations)` : ''}`);
    }
    return result.interrupted ? kInterruptedExitCode : 0;
  },
});
