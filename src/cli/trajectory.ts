/**
 * `trajectory`: the 2D race headless (the seed's optimizer_compare_naive by default), on the WGSL
 * kernels or the float64 reference, printed as a table or as JSON.
 */
import type { Hyperparameters } from '../optim/hyperparameters';
import { optimizerIds, optimizerSpec, type OptimizerId } from '../optim/registry';
import { kFunctionIds, type Point } from '../race2d/functions';
import { resolveFunction, resolveFunctionOrExplain } from '../race2d/typed-function';
import {
  kSeedTrajectoryRace,
  resolveTrajectoryConfig,
  runTrajectoryRaceCpu,
  runTrajectoryRaceGpu,
  TrajectoryPipelines,
  type TrajectoryConfig,
  type TrajectoryRacer,
  type TrajectoryResult,
} from '../race2d/trajectory';
import { kScheduleForms } from '../optim/schedule';
import { kRaceLimits } from '../race/limits';
import { asUsage, parseNumber, parsePointOption, racerFromArgument } from './args';
import { describeDevice, kBackendOption, parseBackend, withNodeDevice } from './backend';
import { defineCommand } from './command';
import { shortNumber } from '../util/short-number';

/** In this race an optimizer without `lr` gets the seed race's rate (SGD 0.95, Adam 0.3, ...). */
const kSeedLr = Object.fromEntries(kSeedTrajectoryRace.racers.map((r) => [r.optimizer, r.hyperparameters?.lr])) as Partial<Record<OptimizerId, number>>;

/** `NAME[:key=value,...]`, e.g. `adam:lr=1,beta1=0.5,beta2=0.5`. Values are validated by the registry. */
export function parseRacer(text: string): TrajectoryRacer {
  const id = asUsage(() => optimizerSpec(text.split(':')[0]).id);
  const racer = asUsage(() => racerFromArgument(text, ['schedule'], { lr: kSeedLr[id] }));
  return {
    optimizer: racer.optimizer,
    hyperparameters: { lr: kSeedLr[racer.optimizer], ...racer.hyperparameters },
    // In the 2D race a schedule runs over the race's --steps.
    ...(racer.schedule ? { schedule: racer.schedule } : {}),
  };
}

const formatHyperparameters = (h: Hyperparameters): string =>
  Object.entries(h)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');

/** Racers keep their optimizer's label; when one optimizer races twice its hyperparameters tell them apart. */
function nameRacers(racers: readonly TrajectoryRacer[]): TrajectoryRacer[] {
  const label = (r: TrajectoryRacer): string => optimizerSpec(r.optimizer).label;
  const named = racers.map((r) => {
    const twice = racers.filter((other) => other.optimizer === r.optimizer).length > 1;
    return { ...r, name: r.name ?? (twice ? `${label(r)} (${formatHyperparameters(r.hyperparameters ?? {})})` : label(r)) };
  });
  // Identical racers: number them.
  const seen = new Map<string, number>();
  return named.map((r) => {
    if (named.filter((other) => other.name === r.name).length === 1) return r;
    const k = (seen.get(r.name) ?? 0) + 1;
    seen.set(r.name, k);
    return { ...r, name: `${r.name} #${k}` };
  });
}

export interface TrajectoryOptions {
  function?: string;
  start?: string;
  steps?: string;
  optimizer: string[];
}

/** The race the options describe, validated; no options = the seed's experiment. */
export function trajectoryConfig(options: TrajectoryOptions): TrajectoryConfig {
  const fn = asUsage(() => resolveFunctionOrExplain(options.function ?? kSeedTrajectoryRace.function));
  const config: TrajectoryConfig = {
    function: fn.id,
    start: options.start === undefined ? fn.start : parsePointOption(options.start, '--start'),
    steps: options.steps === undefined ? kSeedTrajectoryRace.steps : parseNumber(options.steps, '--steps'),
    racers: nameRacers(options.optimizer.length ? options.optimizer.map(parseRacer) : kSeedTrajectoryRace.racers),
  };
  asUsage(() => resolveTrajectoryConfig(config));
  return config;
}

/** `{"function", "start", "steps", "racers": [...]}` with one racer per line; NaN becomes null. */
export function formatTrajectoryJson(config: TrajectoryConfig, results: readonly TrajectoryResult[]): string {
  const racers = results.map((r) =>
    JSON.stringify({
      name: r.name,
      optimizer: r.optimizer,
      hyperparameters: r.hyperparameters,
      ...(r.schedule ? { schedule: r.schedule } : {}),
      diverged: r.diverged,
      path: r.path,
    }),
  );
  return [
    '{',
    `  "function": ${JSON.stringify(config.function)},`,
    `  "start": ${JSON.stringify(config.start)},`,
    `  "steps": ${config.steps},`,
    '  "racers": [',
    racers.map((r) => `    ${r}`).join(',\n'),
    '  ]',
    '}',
  ].join('\n');
}

const formatNumber = (v: number): string => (Number.isFinite(v) ? shortNumber(v, 6) : 'NaN');
const formatPoint = ([x, y]: Point): string => `(${formatNumber(x)}, ${formatNumber(y)})`;

/** A readable table: racer, hyperparameters, final point, f there, and where it diverged. */
export function formatTrajectoryTable(config: TrajectoryConfig, results: readonly TrajectoryResult[], backend: string): string {
  const fn = resolveFunction(config.function);
  const header = ['racer', 'hyperparameters', 'final point', 'f at the end', 'diverged'];
  const rows = results.map((r) => {
    const end = r.path[r.path.length - 1];
    return [
      r.name,
      formatHyperparameters(r.hyperparameters),
      formatPoint(end),
      formatNumber(fn.f(...end)),
      r.diverged === null ? '-' : `at step ${r.diverged}`,
    ];
  });
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, c) => cell.padEnd(widths[c]))
      .join('  ')
      .trimEnd();
  return [
    `${fn.formula} from ${formatPoint(config.start)}, ${config.steps} steps, backend: ${backend}`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
  ].join('\n');
}

export const trajectoryCommand = defineCommand({
  name: 'trajectory',
  summary: "Race optimizers on a 2D function from one start point (default: the seed's experiment).",
  description: [
    `Without options: f(x, y) = x²/20 + y² from (-7, 2), 30 steps, ${kSeedTrajectoryRace.racers
      .map((r) => `${r.optimizer} lr=${r.hyperparameters?.lr}`)
      .join(', ')}.`,
    "An --optimizer without lr takes that seed rate; other keys default to the optimizer's defaults.",
    'Keys: lr (> 0); momentum (momentum, nesterov), decay (rmsprop), beta1 and beta2 (adam), in [0, 1).',
  ].join('\n'),
  options: {
    function: {
      type: 'value',
      valueName: 'NAME|EXPR',
      description: `${kFunctionIds.join(' | ')} or a typed f(x, y) such as 'sin(x)*y^2 + exp(-x^2)' (default: seed)`,
    },
    start: { type: 'value', valueName: 'X,Y', description: "start point (default: the function's, -7,2 for seed)" },
    steps: {
      type: 'value',
      valueName: 'N',
      description: `number of updates, ${kRaceLimits.steps.min} to ${kRaceLimits.steps.max} (default: ${kSeedTrajectoryRace.steps})`,
    },
    optimizer: {
      type: 'value',
      multiple: true,
      valueName: 'NAME[:key=value,...]',
      description: `a racer: ${optimizerIds().join(' | ')} (default: the seed's six); schedule=${kScheduleForms} over the steps`,
    },
    backend: kBackendOption,
    json: { type: 'flag', description: 'print {"function", "start", "steps", "racers": [...]} instead of a table' },
  },
  examples: [
    '',
    '--backend cpu --json',
    '--function xy --start 1,2 --steps 2 --optimizer adam:lr=1,beta1=0.5,beta2=0.5',
    '--function rosenbrock --steps 500 --optimizer sgd:lr=0.001 --optimizer adam:lr=0.05',
    "--function 'x^2 + 3*y^2' --start 4,-3 --steps 50 --optimizer adam:lr=0.2",
  ],
  async run(options) {
    const config = trajectoryConfig(options);
    const backend = parseBackend(options.backend);
    let results: TrajectoryResult[];
    let ran: string;
    if (backend === 'cpu') {
      results = runTrajectoryRaceCpu(config);
      ran = 'cpu (float64 TypeScript reference)';
    } else {
      [results, ran] = await withNodeDevice(
        'cli.trajectory',
        async (device) => [await runTrajectoryRaceGpu(new TrajectoryPipelines(device), config), describeDevice(device)] as const,
      );
    }
    process.stdout.write(`${options.json ? formatTrajectoryJson(config, results) : formatTrajectoryTable(config, results, ran)}\n`);
    return 0;
  },
});
