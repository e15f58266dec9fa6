/**
 * What the benchmark measures (one EnvironmentReport per environment: the browser page, Node
 * through Dawn) and the table it prints. No GPU or DOM code here: the launcher formats reports
 * that came back from the page as JSON.
 */
import type { MatmulStrategy } from '../src/nn/affine-passes';
import type { MatmulShape } from './flops';
import { errorMessage } from '../src/util/error-message';

/** 'ours-sweep': our engine on the `--racers N` sweep, beside 'ours' on the six-racer race. */
export type ContenderId = 'ours' | 'ours-sweep' | 'ours-wasm' | 'tfjs-webgpu' | 'tfjs-webgl' | 'tfjs-wasm' | 'numpy' | 'torch-cpu' | 'cpu';

export interface AdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
  /** A CPU emulation (SwiftShader, llvmpipe/lavapipe) or a fallback adapter. */
  emulated: boolean;
}

export interface MatmulResult {
  shape: MatmulShape;
  strategy: MatmulStrategy;
  /** Which of our kernels, with its strategy and tiling. */
  kernel: string;
  /** Dispatches per timed run (each run is one submit, waited for with onSubmittedWorkDone). */
  dispatchesPerRun: number;
  runs: number;
  bestGflops: number;
  medianGflops: number;
}

export interface ContenderResult {
  id: ContenderId;
  label: string;
  /** Racers in its race, when not the environment's race (ours on a sweep). */
  racers?: number;
  /** Timed iterations (after the warm-up ones). */
  iterations: number;
  warmupIterations: number;
  seconds: number;
  msPerIteration: number;
  /** Counted by wrapping the WebGPU prototypes (call-counters.ts); undefined where no WebGPU runs. */
  dispatchesPerIteration?: number;
  submitsPerIteration?: number;
  /** WebGL draw calls (TF.js WebGL). */
  drawsPerIteration?: number;
  /** CPU time spent encoding and submitting (ours: GpuRaceBackend.stats; TF.js: its synchronous calls). */
  cpuMsPerIteration?: number;
  /** Ours only: what GpuRaceBackend.stats reports, to cross-check the counted figures. */
  stats?: { dispatchesPerIteration: number; submitsPerIteration: number; encodeMsPerIteration: number };
  /** Every racer's loss at the first and the last timed iteration. */
  firstLosses: number[];
  lastLosses: number[];
  /** What actually ran it (e.g. the WebGL renderer). */
  ranOn?: string;
  /** Set when the contender failed; the other fields are then zero. */
  error?: string;
}

export interface RaceSummary {
  sizes: number[];
  batchSize: number;
  racers: string[];
  flopsPerIteration: number;
}

export interface EnvironmentReport {
  environment: 'browser' | 'node';
  /** User agent or Node version. */
  runtime: string;
  adapter?: AdapterSummary;
  race: RaceSummary;
  /** With the strategy the race uses on this adapter: the reference for '% matmul'. */
  matmul?: MatmulResult;
  /** The same matmul with the other strategy, for comparison. */
  otherMatmul?: MatmulResult;
  contenders: ContenderResult[];
  /** Failures outside a contender (no adapter, data missing). */
  error?: string;
}

export interface BenchReport {
  date: string;
  argv: string[];
  /** The seed race's iteration count, for the projection column. */
  seedIterations: number;
  environments: EnvironmentReport[];
}

/** Targets from the issue: in the same browser, >= 5x faster than TF.js WebGPU with <= 1/10 of its dispatches. */
export const kTargetSpeedup = 5;
export const kTargetDispatchRatio = 0.1;
/** Target from issue 9: in the same browser, ours (wasm) at least 6x faster per iteration than TF.js wasm. */
export const kTargetWasmSpeedup = 6;
/** Target from issue 11: 48 racers cost at most 9x the time per iteration of the same six as 6 racers (compute is 8x). */
export const kTargetSweepRatio = 9;
/** Issue 9: ours (wasm) at most this many times numpy's time per iteration. */
export const kTargetNumpyRatio = 2;

const kEnvironmentNames = { browser: 'Browser (headless Chromium, WebGPU)', node: 'Node (Dawn)' } as const;

export function failed(id: ContenderId, label: string, error: unknown): ContenderResult {
  return {
    id,
    label,
    iterations: 0,
    warmupIterations: 0,
    seconds: 0,
    msPerIteration: 0,
    firstLosses: [],
    lastLosses: [],
    error: errorMessage(error),
  };
}

export function describeAdapterSummary(a: AdapterSummary): string {
  const parts = [a.vendor, a.architecture, a.device].filter(Boolean).join(' ');
  const name = [parts, a.description].filter(Boolean).join(' / ') || 'unnamed adapter';
  return `${name}${a.emulated ? ' [CPU emulation]' : ''}${a.isFallbackAdapter ? ' [fallback adapter]' : ''}`;
}

const fixed = (v: number | undefined, digits: number): string => (v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits));

/** 3 significant figures, no exponent for ordinary magnitudes. */
function sig(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '—';
  if (v === 0) return '0';
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(v))));
  return v.toFixed(Math.min(digits, 4));
}

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—';
  if (seconds < 1) return `${sig(seconds * 1000)} ms`;
  if (seconds < 120) return `${sig(seconds)} s`;
  if (seconds < 7200) return `${sig(seconds / 60)} min`;
  return `${sig(seconds / 3600)} h`;
}

export function achievedGflops(race: RaceSummary, c: ContenderResult): number {
  // FLOPs grow with the racers: a sweep's are the race's times its racers over the race's.
  const flops = (race.flopsPerIteration * (c.racers ?? race.racers.length)) / race.racers.length;
  return c.msPerIteration > 0 ? flops / (c.msPerIteration * 1e6) : NaN;
}

function table(rows: string[][], rightAligned: boolean[]): string {
  const widths = rows[0].map((_, k) => Math.max(...rows.map((r) => r[k].length)));
  return rows
    .map((r) =>
      r
        .map((cell, k) => (rightAligned[k] ? cell.padStart(widths[k]) : cell.padEnd(widths[k])))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The contenders that run on the WebGPU/WebGL adapter: only their GFLOP/s compare with its matmul figure. */
const kOnTheAdapter: ReadonlySet<ContenderId> = new Set(['ours', 'ours-sweep', 'tfjs-webgpu', 'tfjs-webgl']);

function maxLossDifference(a: number[], b: number[]): number | undefined {
  if (a.length === 0 || a.length !== b.length) return undefined;
  return Math.max(...a.map((v, k) => Math.abs(v - b[k])));
}

export function formatEnvironment(env: EnvironmentReport, seedIterations: number): string {
  const lines = [`== ${kEnvironmentNames[env.environment]}: ${env.runtime} ==`];
  if (env.adapter) lines.push(`adapter: ${describeAdapterSummary(env.adapter)}`);
  const { race } = env;
  lines.push(
    `race: ${race.racers.length} racers (${race.racers.join(', ')}), batch ${race.batchSize}, ${race.sizes.join('-')}; ` +
      `${sig(race.flopsPerIteration / 1e6)} MFLOP per iteration, ${sig((race.flopsPerIteration * seedIterations) / 1e12)} TFLOP for ${seedIterations} iterations`,
  );
  if (env.error) lines.push(`FAILED: ${env.error}`);
  const m = env.matmul;
  if (m) {
    lines.push(
      `adapter matmul ${m.shape.rows}x${m.shape.inner}x${m.shape.cols} (our ${m.kernel}, identity, 1 racer): ` +
        `${sig(m.bestGflops)} GFLOP/s best of ${m.runs} runs (median ${sig(m.medianGflops)}), ${m.dispatchesPerRun} dispatches per run`,
    );
  }
  const o = env.otherMatmul;
  if (o) lines.push(`  the same with ${o.kernel}: ${sig(o.bestGflops)} GFLOP/s best (median ${sig(o.medianGflops)})`);
  if (env.contenders.length === 0) return lines.join('\n');

  const header = ['contender', 'iters', 'ms/iter', 'dispatch/it', 'submit/it', 'CPU ms/it', 'GFLOP/s', '% matmul', `${seedIterations} iters`, 'Δloss@1'];
  const ours = env.contenders.find((c) => c.id === 'ours' && !c.error);
  const rows = env.contenders.map((c) => {
    if (c.error) return [c.label, 'FAILED', '', '', '', '', '', '', '', ''];
    const gflops = achievedGflops(race, c);
    const dispatches = c.drawsPerIteration !== undefined ? `${sig(c.drawsPerIteration)} draws` : sig(c.dispatchesPerIteration);
    const delta = ours && c !== ours ? maxLossDifference(c.firstLosses, ours.firstLosses) : undefined;
    return [
      c.label,
      String(c.iterations),
      sig(c.msPerIteration),
      dispatches,
      c.submitsPerIteration === undefined ? '—' : fixed(c.submitsPerIteration, 3),
      sig(c.cpuMsPerIteration),
      sig(gflops),
      m && kOnTheAdapter.has(c.id) ? `${fixed((100 * gflops) / m.bestGflops, 1)}%` : '—',
      duration((c.msPerIteration * seedIterations) / 1000),
      delta === undefined ? '—' : delta.toExponential(1),
    ];
  });
  lines.push('', table([header, ...rows], [false, true, true, true, true, true, true, true, true, true]), '');

  for (const c of env.contenders.filter((c) => c.error)) lines.push(`${c.label} FAILED: ${c.error}`);
  if (ours) {
    for (const c of env.contenders.filter((c) => c !== ours && !c.error)) lines.push(c.id === 'ours-sweep' ? compareSweep(ours, c, race) : compare(ours, c));
    if (ours.stats) {
      lines.push(
        `cross-check of ours: counted ${sig(ours.dispatchesPerIteration)} dispatches and ${fixed(ours.submitsPerIteration, 3)} submits per iteration; ` +
          `GpuRaceBackend.stats says ${sig(ours.stats.dispatchesPerIteration)} and ${fixed(ours.stats.submitsPerIteration, 3)}`,
      );
    }
  }
  lines.push(...compareWasm(env.contenders));
  for (const c of env.contenders.filter((c) => c.ranOn && !c.error)) lines.push(`${c.label} ran on: ${c.ranOn}`);
  lines.push(`Δloss@1: largest difference from ours of any racer's loss after the first timed iteration (same initial weights and batches).`);
  return lines.join('\n');
}

/** The sweep beside the six-racer race, measured in the same run: the time and dispatch ratios. */
export function compareSweep(ours: ContenderResult, sweep: ContenderResult, race: RaceSummary): string {
  const racers = sweep.racers ?? race.racers.length;
  const ratio = sweep.msPerIteration / ours.msPerIteration;
  const compute = racers / race.racers.length;
  const target = (kTargetSweepRatio * compute) / 8;
  return (
    `${racers} racers vs ${race.racers.length}: ${sig(sweep.msPerIteration)} vs ${sig(ours.msPerIteration)} ms per iteration, ` +
    `${sig(ratio)}x the time for ${sig(compute)}x the compute (target: <= ${sig(target)}x ${ratio <= target ? 'MET' : 'NOT MET'}); ` +
    `${sig(sweep.dispatchesPerIteration)} vs ${sig(ours.dispatchesPerIteration)} dispatches per iteration`
  );
}

function compare(ours: ContenderResult, other: ContenderResult): string {
  const speedup = other.msPerIteration / ours.msPerIteration;
  let line = `ours vs ${other.label}: ${speedup >= 1 ? `${sig(speedup)}x faster` : `${sig(1 / speedup)}x SLOWER`}`;
  const theirs = other.dispatchesPerIteration;
  if (other.id === 'tfjs-webgpu' && theirs !== undefined && ours.dispatchesPerIteration !== undefined && theirs > 0) {
    const ratio = ours.dispatchesPerIteration / theirs;
    line +=
      `, ${sig(ratio)}x its dispatches (targets: >= ${kTargetSpeedup}x faster ${speedup >= kTargetSpeedup ? 'MET' : 'NOT MET'}, ` +
      `<= ${kTargetDispatchRatio}x dispatches ${ratio <= kTargetDispatchRatio ? 'MET' : 'NOT MET'})`;
  }
  return line;
}

const speed = (ratio: number): string => (ratio >= 1 ? `${sig(ratio)}x faster` : `${sig(1 / ratio)}x SLOWER`);

/** ours (wasm) against TF.js wasm (issue 9's target) and against the other engines, measured in the same run. */
export function compareWasm(contenders: readonly ContenderResult[]): string[] {
  const wasm = contenders.find((c) => c.id === 'ours-wasm' && !c.error);
  if (!wasm) return [];
  const lines: string[] = [];
  const tfjs = contenders.find((c) => c.id === 'tfjs-wasm' && !c.error);
  if (tfjs) {
    const ratio = tfjs.msPerIteration / wasm.msPerIteration;
    lines.push(`ours (wasm) vs TF.js wasm: ${speed(ratio)} (target: >= ${kTargetWasmSpeedup}x faster ${ratio >= kTargetWasmSpeedup ? 'MET' : 'NOT MET'})`);
  }
  const numpy = contenders.find((c) => c.id === 'numpy' && !c.error);
  if (numpy) {
    const times = wasm.msPerIteration / numpy.msPerIteration;
    lines.push(
      `ours (wasm) vs numpy: ${sig(times)}x its time per iteration (target: <= ${kTargetNumpyRatio}x ${times <= kTargetNumpyRatio ? 'MET' : 'NOT MET'})`,
    );
  }
  // PyTorch is the peer a user would pick: its ratio, with no target of its own.
  const torch = contenders.find((c) => c.id === 'torch-cpu' && !c.error);
  if (torch) lines.push(`ours (wasm) vs ${torch.label}: ${sig(wasm.msPerIteration / torch.msPerIteration)}x its time per iteration`);
  for (const c of contenders.filter((c) => (c.id === 'ours' || c.id === 'cpu') && !c.error))
    lines.push(`ours (wasm) vs ${c.label}: ${speed(c.msPerIteration / wasm.msPerIteration)}`);
  return lines;
}

/** Issue 9's browser target: ours (wasm) in Chromium against numpy, which only the Node side runs; and against PyTorch on the CPU. */
function compareBrowserWasmToCpuPeers(report: BenchReport): string[] {
  const find = (env: string, id: ContenderId) => report.environments.find((e) => e.environment === env)?.contenders.find((c) => c.id === id && !c.error);
  const wasm = find('browser', 'ours-wasm');
  if (!wasm) return [];
  const lines: string[] = [];
  const numpy = find('node', 'numpy');
  if (numpy) {
    const times = wasm.msPerIteration / numpy.msPerIteration;
    lines.push(
      `ours (wasm, in the browser) vs numpy (in Node): ${sig(times)}x its time per iteration (target: <= ${kTargetNumpyRatio}x ${times <= kTargetNumpyRatio ? 'MET' : 'NOT MET'})`,
    );
  }
  const torch = find('node', 'torch-cpu');
  if (torch) lines.push(`ours (wasm, in the browser) vs ${torch.label} (in Node): ${sig(wasm.msPerIteration / torch.msPerIteration)}x its time per iteration`);
  return lines;
}

export function formatReport(report: BenchReport): string {
  return [
    `optimizer-race benchmark, ${report.date}`,
    ...report.environments.map((e) => formatEnvironment(e, report.seedIterations)),
    ...compareBrowserWasmToCpuPeers(report),
  ].join('\n\n');
}
