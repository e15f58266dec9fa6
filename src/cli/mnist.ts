/**
 * `mnist`: the seed's MNIST race (optimizer_compare_mnist.py) headless, on the WGSL kernels through
 * Dawn, the WebAssembly SIMD kernels or the float64 reference. Prints what the seed's script prints
 * (every 100 iterations `===========iteration:N===========` and `NAME:loss` per racer), then the
 * accuracies and the time per iteration; `--json FILE` keeps every loss. `--preset` runs one of the
 * book's chapter-6 experiments. Ctrl-C stops after the chunk in flight and still prints and writes
 * what was done. Options: ./mnist-options.ts; output: ./mnist-output.ts; data: ./mnist-data.ts.
 */
import type { BackendKind } from '../gpu/backend-kind';
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describeDataset } from '../data/dataset';
import { writeFileAtomic } from '../data/node/files';
import { optimizerIds } from '../optim/registry';
import { CpuRaceBackend } from '../race/cpu-backend';
import { kSeedRace } from '../race/config';
import { kChapter6PresetIds } from '../race/chapter6-presets';
import { RaceEngine } from '../race/engine';
import { GpuRaceBackend, RacePipelines } from '../race/gpu-backend';
import { kNetworkLimits, kRaceLimits } from '../race/limits';
import { kHiddenForms } from '../race/network-settings';
import { kScheduleForms } from '../optim/schedule';
import { UsageError } from './args';
import { formatStudy, studyJson } from './mnist-sweep';
import { formatBestLines, formatTestedLines, kDefaultTrials, kDefaultValidation, searchJson } from './mnist-search';
import { testBest } from '../race/search-race';
import { formatSearchSpec, kSearchForm, searchableKeys } from '../optim/sweep';
import { chooseAutoBackend, describeDevice, kMnistBackendOption, parseMnistBackend, withNodeDevice } from './backend';
import { WasmRaceBackend } from '../wasm/wasm-backend';
import { kThreadsOption, wasmBackendLabel, wasmThreads } from './wasm-threads';
import { defineCommand } from './command';
import { loadRaceData } from './mnist-data';
import { kPresetScripts, mnistRace, runnableRace } from './mnist-options';
import {
  applyInitWeights,
  checkpointPath,
  initWeights,
  readResume,
  resumedConfig,
  resumeState,
  saveRaceWeights,
  saveWeightsDir,
  writeCheckpoint,
} from './mnist-weights';
import { formatBatchNormScales, formatMnistJson, formatSeedLines, formatSummary, trainingImages, type RaceRun } from './mnist-output';

/** A resumed race is no study and no preset. */
const noStudy = { study: undefined, preset: undefined, presetRacers: undefined, testBest: undefined };

/** The seed prints the losses every this many iterations. */
export const kPrintEvery = 100;
/** Exit code after Ctrl-C (128 + SIGINT), as shells report it. */
export const kInterruptedExitCode = 130;

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

const kPresetHelp = kChapter6PresetIds.map((id) => `  ${id.padEnd(9)}  ${kPresetScripts[id]}`);

export const mnistCommand = defineCommand({
  name: 'mnist',
  summary: "Race optimizers on MNIST (default: the seed's six, 784-100-100-100-100-10, 2000 iterations of batch 128).",
  description: [
    `Prints the seed's lines every ${kPrintEvery} iterations, then each racer's test accuracy (and training accuracy when measured) and the time per iteration.`,
    'Data: --data DIR, else full MNIST in public/data/mnist/ (npm run data:mnist), else the embedded 8,000/2,000 subset.',
    'With --epochs the race runs floor(epochs · max(N / batch, 1)) iterations, N the training images (--train-limit), and measures',
    "accuracy once per epoch, after the epoch's first update, as the book's trainer does: --iterations and --eval-every are then not used.",
    "--preset runs one of the book's chapter-6 experiments (SGD lr 0.01, batch 100, accuracy on both sets once per epoch):",
    ...kPresetHelp,
    'The other options override its values (--hidden, --batch, --seed, --train-limit, --epochs, --no-train-accuracy; --backend and',
    '--data as for any race); --optimizers, --optimizer, --sweep or --lr-finder replace its racers. batchnorm also prints, per weight',
    'scale, the final training accuracy with and without batch norm.',
    `--search SPEC races a random search (section 6.5): --trials N racers (default ${kDefaultTrials}, at most ${kRaceLimits.racers.max}, the racer limit) of one optimizer`,
    '(--optimizer NAME[:key=value,...], default sgd), each with values drawn from the seed; each evaluation measures the validation',
    'images (--validation F of the limited training set, shuffled by the seed; default 0.2), never the test set; it ends with the',
    "book's lines for the best 20 trials; --test-best K then tests the best K on the test set. --preset hypersearch is the book's.",
    'Ctrl-C stops after the chunk in flight and still prints (and with --json writes) the results so far.',
  ].join('\n'),
  options: {
    iterations: {
      type: 'value',
      valueName: 'N',
      description: `iterations (minibatches), ${kRaceLimits.iterations.min} to ${kRaceLimits.iterations.max} (default: ${kSeedRace.iterations})`,
    },
    batch: {
      type: 'value',
      valueName: 'N',
      description: `minibatch size, ${kRaceLimits.batchSize.min} to ${kRaceLimits.batchSize.max} (default: ${kSeedRace.batchSize})`,
    },
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
        `schedule: ${kScheduleForms} over the iterations; also name, init (he, xavier or a std), activation (relu, sigmoid, tanh), ` +
        'bn=on (batch norm after each hidden affine layer), dropout=R (ratio in [0, 1)), l2=λ (weight decay ½λ‖W‖², λ ≥ 0)',
    },
    data: { type: 'value', valueName: 'DIR', description: 'a folder with the four standard MNIST files, gz or raw (default: see above)' },
    seed: { type: 'value', valueName: 'N', description: `seed of the initial weights, the minibatches and the dropout masks (default: ${kSeedRace.seed})` },
    'eval-every': { type: 'value', valueName: 'K', description: `test accuracy every K iterations and at the last (default: ${kSeedRace.evalEvery})` },
    hidden: {
      type: 'value',
      valueName: 'SIZES',
      description: `hidden layers, ${kHiddenForms}; ${kNetworkLimits.hiddenLayers.max} layers of ${kNetworkLimits.hiddenUnits.max} units at most (default: 100x4)`,
    },
    'train-limit': { type: 'value', valueName: 'N', description: "train on the first N training images only, as the book's x_train[:N] (default: all)" },
    epochs: {
      type: 'value',
      valueName: 'E',
      description: 'passes over the (limited) training set, accuracy once per epoch (see above; default: none, --iterations counts the updates)',
    },
    'train-accuracy': {
      type: 'flag',
      description: 'measure accuracy on the (limited) training set too at each evaluation (default: on with --epochs or --preset)',
    },
    'no-train-accuracy': { type: 'flag', description: 'measure test accuracy only, even with --epochs or --preset' },
    preset: { type: 'value', valueName: kChapter6PresetIds.join('|'), description: "one of the book's chapter-6 experiments (see above)" },
    search: { type: 'value', valueName: 'SPEC', description: `a random search, ${kSearchForm}; keys: ${searchableKeys().join(', ')}` },
    trials: { type: 'value', valueName: 'N', description: `trials (racers) of --search, 1 to ${kRaceLimits.racers.max} (default: ${kDefaultTrials})` },
    validation: {
      type: 'value',
      valueName: 'F',
      description: `hold out this share of the (limited) training set, shuffled by the seed, for validation (default with --search: ${kDefaultValidation})`,
    },
    'test-best': { type: 'value', valueName: 'K', description: 'after a search, test its best K trials by validation accuracy on the test set' },
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
    'save-weights': {
      type: 'value',
      valueName: 'DIR',
      description:
        "at the end (or at Ctrl-C) write each racer's weights to DIR as N-NAME.safetensors (PyTorch nn.Sequential names, float32, __metadata__ saying how they were made)",
    },
    'init-weights': {
      type: 'value',
      valueName: 'FILE',
      description: 'start every racer from the weights in a .safetensors FILE (ours, or PyTorch names and shapes of its network) instead of its init',
    },
    checkpoint: {
      type: 'value',
      valueName: 'FILE',
      description: "at the end (or at Ctrl-C) write the whole race to FILE (.safetensors: every racer's weights, optimizer state and history, the iteration)",
    },
    resume: {
      type: 'value',
      valueName: 'FILE',
      description: 'continue the race a --checkpoint FILE holds at its next iteration, on the same minibatches (its settings come from the file)',
    },
    json: {
      type: 'value',
      valueName: 'FILE',
      description:
        'write {"config", "racers": [bn, dropout, l2, losses, accuracy: [{iteration, epoch?, train?, validation?, test?}], ...], "sensitivity" or "lrFinder" (with --sweep, ' +
        '--lr-finder), "search", "trials": [{number, values, validation, train, diverged}], "testBest" (with --search), "timing"} to FILE',
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
    '--hidden 100x5 --train-limit 1000 --epochs 20 --batch 100 --optimizer sgd:init=0.05,bn=on --optimizer sgd:init=0.05',
    '--preset batchnorm --backend wasm',
    '--preset overfit --epochs 50 --json overfit.json',
    '--optimizers sgd,adam --iterations 300 --save-weights weights/',
    '--optimizers adam --init-weights weights/1-SGD.safetensors',
    '--iterations 2000 --checkpoint race.safetensors',
    '--resume race.safetensors --checkpoint race.safetensors',
    '--preset hypersearch --backend wasm --test-best 3',
    '--search lr=1e-4..1e-1:log,momentum=0.5..0.99 --trials 40 --optimizer momentum --hidden 100x2 --train-limit 1000 --epochs 10 --batch 100',
  ],
  async run(options) {
    const resume = await readResume(options);
    const {
      config: given,
      study,
      preset,
      presetRacers,
      notes,
      testBest: testBestCount,
    } = resume ? { config: resumedConfig(resume), notes: [] as string[], ...noStudy } : mnistRace(options);
    const choice = parseMnistBackend(options.backend);
    const threads = wasmThreads(options.threads, choice);
    const out = new Output();
    const json = jsonPath(options.json);
    const weightsDir = saveWeightsDir(options['save-weights']);
    const checkpoint = checkpointPath(options.checkpoint);
    const data = await loadRaceData(options.data);
    // The checks that need the training set's size, before anything is printed or opened.
    const resolved = runnableRace(given, data.trainCount);
    const startWeights = await initWeights(options['init-weights'], resolved);
    const resumed = resumeState(resume, resolved, describeDataset(data));
    const { config } = resolved;
    for (const note of notes) out.note(note);
    let backend: BackendKind = choice === 'auto' ? 'wasm' : choice;
    if (choice === 'auto') {
      const auto = await chooseAutoBackend();
      backend = auto.kind;
      out.line(`Backend auto: ${auto.kind}, because ${auto.why}`);
    }
    const race = async (engine: RaceEngine, ran: string, dispatches?: () => number): Promise<RaceRun> => {
      if (preset !== undefined) out.line(`Preset ${preset}: the book's ${kPresetScripts[preset]}`);
      const epochs = config.epochs === undefined ? '' : ` (${config.epochs} epochs of ${trainingImages(config, data)})`;
      const trainOnly = config.epochs === undefined && config.trainLimit !== undefined ? `, on ${trainingImages(config, data)}` : '';
      const racers = config.search
        ? `${engine.racers.length} trials of ${engine.racers[0]?.spec.label ?? ''}, search ${formatSearchSpec(config.search.spec)}`
        : engine.racers.map((r) => r.name).join(', ');
      out.line(
        `MNIST race: ${racers}; network ${config.sizes.join('-')}, ` +
          `batch ${config.batchSize}, ${config.iterations} iterations${epochs}${trainOnly}, seed ${config.seed}`,
      );
      out.line(`Data: ${describeDataset(data)}; backend: ${ran}`);
      try {
        await applyInitWeights(engine, startWeights);
        if (startWeights) out.line(`Every racer starts from ${options['init-weights']}`);
        if (resumed) {
          await engine.resumeFrom(resumed);
          out.line(`Resuming at iteration ${resumed.iteration + 1} from ${options.resume}`);
        }
        const { seconds, interrupted } = await runEngine(engine, out);
        if (checkpoint !== undefined) {
          await writeCheckpoint(engine, checkpoint, describeDataset(data));
          out.line(`Wrote the checkpoint at iteration ${engine.iteration}: ${checkpoint}`);
        }
        if (weightsDir !== undefined) {
          const paths = await saveRaceWeights(engine, weightsDir, describeDataset(data));
          out.line(`Wrote the weights at iteration ${engine.iteration}: ${paths.join(', ')}`);
        }
        // "Test the best": the only time a search touches the test set, after the race.
        const tested = testBestCount === undefined ? undefined : await testBest(engine, testBestCount);
        return {
          config,
          data,
          dataDir: options.data === undefined ? undefined : resolve(options.data),
          backend: ran,
          backendKind: backend,
          ...(dispatches === undefined ? {} : { dispatchesPerIteration: dispatches() }),
          ...(preset === undefined ? {} : { preset }),
          history: engine.history,
          ...(tested === undefined ? {} : { tested }),
          completed: engine.iteration,
          interrupted,
          seconds,
        };
      } finally {
        engine.destroy();
      }
    };
    const onWasm = async (): Promise<RaceRun> => {
      const wasm = await WasmRaceBackend.create(resolved, data, { threads });
      return race(new RaceEngine(resolved, wasm), wasmBackendLabel(wasm.threads));
    };
    const onGpu = (): Promise<RaceRun> =>
      withNodeDevice('cli.mnist', (device) => {
        const gpu = new GpuRaceBackend(new RacePipelines(device), resolved, data);
        return race(new RaceEngine(resolved, gpu), describeDevice(device), () => (gpu.stats.iterations > 0 ? gpu.stats.dispatches / gpu.stats.iterations : 0));
      });
    const result =
      backend === 'cpu'
        ? await race(new RaceEngine(resolved, new CpuRaceBackend(resolved, data)), 'cpu (float64 TypeScript reference)')
        : backend === 'wasm'
          ? await onWasm()
          : await onGpu();
    out.line(formatSummary(result));
    const scales = preset === 'batchnorm' && presetRacers ? formatBatchNormScales(result.history) : undefined;
    if (scales !== undefined) out.line(scales);
    if (study) out.line(formatStudy(study, result.history, config.iterations));
    if (config.search) out.line(formatBestLines(result.history));
    if (result.tested) out.line(formatTestedLines(result.tested, data.testCount));
    if (json !== undefined) {
      const sections = study
        ? studyJson(study, result.history, config.iterations)
        : config.search
          ? searchJson(config.search, config.validation, result.history, result.tested)
          : {};
      await writeFileAtomic(json, `${formatMnistJson(result, sections)}\n`);
      out.line(`Wrote ${json}${result.interrupted ? ` (${result.completed} of ${config.iterations} iterations)` : ''}`);
    }
    return result.interrupted ? kInterruptedExitCode : 0;
  },
});
