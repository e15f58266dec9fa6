/**
 * `init-histograms`: the seed's weight-initialisation experiment headless. Every layer's bin edges
 * and counts, computed by the affine and histogram kernels (or the float64 reference), printed as
 * a table or as JSON.
 */
import {
  formatInit,
  initDescription,
  kInitActivations,
  kInitChoices,
  kSeedInitExperiment,
  parseActivation,
  parseInit,
  resolveInitConfig,
  type InitExperimentConfig,
} from '../init/config';
import { InitHistogramPipelines, runInitExperimentCpu, runInitExperimentGpu, type InitExperimentResult, type SettingHistograms } from '../init/experiment';
import { kHistogramRanges } from '../init/histogram';
import { kInitLimits } from '../race/limits';
import { parseNumber, UsageError } from './args';
import { describeDevice, kBackendOption, parseBackend, withNodeDevice } from './backend';
import { defineCommand } from './command';
import { errorMessage } from '../util/error-message';
import { shortNumber } from '../util/short-number';

/** Runs `body`, turning the engine's validation errors (which list what is allowed) into usage errors. */
function asUsage<T>(body: () => T): T {
  try {
    return body();
  } catch (error) {
    throw error instanceof UsageError ? error : new UsageError(errorMessage(error));
  }
}

export interface InitHistogramsOptions {
  activation?: string;
  init?: string;
  layers?: string;
  nodes?: string;
  samples?: string;
  seed?: string;
}

/** The experiment the options describe, validated; no options = the seed's first figure (std 1, sigmoid). */
export function initHistogramsConfig(options: InitHistogramsOptions): InitExperimentConfig {
  const seed = kSeedInitExperiment;
  const number = (text: string | undefined, name: string, fallback: number): number => (text === undefined ? fallback : parseNumber(text, `--${name}`));
  const config: InitExperimentConfig = {
    settings: [
      {
        init: options.init === undefined ? seed.settings[0].init : asUsage(() => parseInit(options.init!)),
        activation: options.activation === undefined ? seed.settings[0].activation : asUsage(() => parseActivation(options.activation!)),
      },
    ],
    layers: number(options.layers, 'layers', seed.layers),
    nodes: number(options.nodes, 'nodes', seed.nodes),
    samples: number(options.samples, 'samples', seed.samples),
    seed: number(options.seed, 'seed', seed.seed),
  };
  return asUsage(() => resolveInitConfig(config));
}

/** `{"config", "backend", "layers": [{"layer", "edges", "counts", ...}]}` with one layer per line. */
export function formatInitHistogramsJson(result: InitExperimentResult, device: string): string {
  const { config } = result;
  const setting = result.settings[0];
  const head = {
    init: setting.setting.init,
    activation: setting.setting.activation,
    weightStd: setting.weightStd,
    layers: config.layers,
    nodes: config.nodes,
    samples: config.samples,
    seed: config.seed,
    bins: config.bins,
  };
  const layers = setting.layers.map((l) =>
    JSON.stringify({
      layer: l.layer,
      edges: l.edges,
      counts: l.counts,
      below: l.below,
      above: l.above,
      zeros: l.zeros,
      mean: l.mean,
      std: l.std,
    }),
  );
  return [
    '{',
    `  "config": ${JSON.stringify(head)},`,
    `  "backend": ${JSON.stringify(result.backend)},`,
    `  "device": ${JSON.stringify(device)},`,
    '  "layers": [',
    layers.map((l) => `    ${l}`).join(',\n'),
    '  ]',
    '}',
  ].join('\n');
}

const short = (v: number): string => shortNumber(v, 3);
const stat = (v: number): string => (v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential(2) : v.toFixed(4));

/** One row per bin ([lo, hi), the last closed), one column per layer; then mean, std and what left the range. */
export function formatInitHistogramsTable(result: InitExperimentResult, backend: string): string {
  const { config } = result;
  const s: SettingHistograms = result.settings[0];
  const { init, activation } = s.setting;
  const edges = s.layers[0].edges;
  const B = config.bins;
  const [lo, hi] = kHistogramRanges[activation];
  const header = ['bin', ...s.layers.map((l) => `layer ${l.layer}`)];
  const rows = edges.slice(0, B).map((e, k) => [`[${short(e)}, ${short(edges[k + 1])}${k === B - 1 ? ']' : ')'}`, ...s.layers.map((l) => String(l.counts[k]))]);
  const footer = [
    ['mean', ...s.layers.map((l) => stat(l.mean))],
    ['std', ...s.layers.map((l) => stat(l.std))],
    ['exactly 0', ...s.layers.map((l) => String(l.zeros))],
  ];
  if (s.layers.some((l) => l.above > 0)) footer.push([`above ${hi}`, ...s.layers.map((l) => String(l.above))]);
  if (s.layers.some((l) => l.below > 0)) footer.push([`below ${lo}`, ...s.layers.map((l) => String(l.below))]);
  const all = [header, ...rows, ...footer];
  const widths = header.map((_, c) => Math.max(...all.map((row) => row[c].length)));
  const line = (cells: string[]): string => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  const rule = line(widths.map((w) => '-'.repeat(w)));
  return [
    `${initDescription(init, config.nodes)}, ${activation}: ${config.layers} layers of ${config.nodes} nodes, ` +
      `${config.samples} samples, seed ${config.seed}, backend: ${backend}`,
    `${B} bins from ${lo} to ${hi}; each bin holds [low, high), the last also its high edge` +
      (activation === 'relu' ? `; values above ${hi} are counted in the last bin` : ''),
    '',
    line(header),
    rule,
    ...rows.map(line),
    rule,
    ...footer.map(line),
  ].join('\n');
}

export const initHistogramsCommand = defineCommand({
  name: 'init-histograms',
  summary: "Histograms of every layer's activations for a weight init and activation (the seed's weight-init experiment).",
  description: [
    `Without options: ${kSeedInitExperiment.samples} samples of ${kSeedInitExperiment.nodes} standard-normal inputs through ` +
      `${kSeedInitExperiment.layers} layers of ${kSeedInitExperiment.nodes} nodes, W ~ N(0, 1), no bias, sigmoid; ${kSeedInitExperiment.bins} bins per layer.`,
    `Ranges: sigmoid ${kHistogramRanges.sigmoid.join('..')}, tanh ${kHistogramRanges.tanh.join('..')}, ` +
      `relu ${kHistogramRanges.relu.join('..')} (values above ${kHistogramRanges.relu[1]} are counted in the last bin).`,
  ].join('\n'),
  options: {
    activation: { type: 'value', valueName: kInitActivations.join('|'), description: 'activation of every layer (default: sigmoid)' },
    init: {
      type: 'value',
      valueName: kInitChoices.map(formatInit).join('|'),
      description: 'weight std: 1, 0.01, Xavier sqrt(1/n) or He sqrt(2/n) (default: 1)',
    },
    layers: {
      type: 'value',
      valueName: 'N',
      description: `layers, ${kInitLimits.layers.min} to ${kInitLimits.layers.max} (default: ${kSeedInitExperiment.layers})`,
    },
    nodes: {
      type: 'value',
      valueName: 'N',
      description: `nodes per layer and inputs per sample, ${kInitLimits.nodes.min} to ${kInitLimits.nodes.max} (default: ${kSeedInitExperiment.nodes})`,
    },
    samples: {
      type: 'value',
      valueName: 'N',
      description: `input samples, ${kInitLimits.samples.min} to ${kInitLimits.samples.max} (default: ${kSeedInitExperiment.samples})`,
    },
    seed: { type: 'value', valueName: 'N', description: `seed of the inputs and weights, 0 to 2^32-1 (default: ${kSeedInitExperiment.seed})` },
    backend: kBackendOption,
    json: { type: 'flag', description: 'print {"config", "backend", "device", "layers": [{"edges", "counts", ...}]} instead of a table' },
  },
  examples: ['', '--init 0.01', '--activation relu --init he --json', '--activation tanh --init xavier --layers 8 --backend cpu'],
  async run(options) {
    const config = initHistogramsConfig(options);
    const backend = parseBackend(options.backend);
    let result: InitExperimentResult;
    let ran: string;
    if (backend === 'cpu') {
      result = runInitExperimentCpu(config);
      ran = 'cpu (float64 TypeScript reference)';
    } else {
      [result, ran] = await withNodeDevice(
        'cli.init-histograms',
        async (device) => [await runInitExperimentGpu(new InitHistogramPipelines(device), config), describeDevice(device)] as const,
      );
    }
    process.stdout.write(`${options.json ? formatInitHistogramsJson(result, ran) : formatInitHistogramsTable(result, ran)}\n`);
    return 0;
  },
});
