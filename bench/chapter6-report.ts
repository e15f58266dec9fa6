/**
 * What the chapter-6 stage (`npm run bench -- --chapter6`) measures and the text it prints: the
 * book's three experiments on ours (wasm) in Node and in Chromium against numpy_chapter6.py on one
 * core, and the cost of batch norm, L2 and dropout per iteration (wasm, WebGPU) with the dispatch
 * counts. No GPU or DOM code: the browser's part comes back as JSON.
 */
import type { Chapter6PresetId } from '../src/race/chapter6-presets';
import { dispatchAllowance, type CostVariant, type FinalAccuracy, type PresetTiming } from './chapter6';
import { describeAdapterSummary, type AdapterSummary, type ContenderResult } from './report';

/** Issue 20: each experiment on ours (wasm) in Chromium in less time than numpy on one core; aim for half. */
export const kTargetPresetRatio = 1;
export const kAimPresetRatio = 0.5;
/** Issue 20: a batch-norm racer at most 1.5x the time per iteration of the same racer without it. */
export const kTargetBnCost = 1.5;

/** numpy_chapter6.py's JSON line. */
export interface NumpyChapter6 {
  experiment: Chapter6PresetId;
  seconds: number;
  iterations: number;
  epochs: number;
  threads: string;
  networks: { name: string; seconds: number; train: number; test?: number; gap?: number }[];
  scales?: { scale: number; bn: number; plain: number }[];
  error?: string;
}

export interface PresetReport {
  id: Chapter6PresetId;
  numpy?: NumpyChapter6;
  node?: PresetTiming;
  browser?: PresetTiming;
}

export interface CostRow {
  variant: CostVariant;
  wasm?: ContenderResult;
  gpu?: ContenderResult;
}

export interface CostReport {
  sizes: number[];
  batchSize: number;
  racers: number;
  adapter?: AdapterSummary;
  rows: CostRow[];
  error?: string;
}

export interface Chapter6Report {
  date: string;
  argv: string[];
  /** Epochs in place of the book's (quick checks), or undefined. */
  epochs?: number;
  presets: PresetReport[];
  cost?: CostReport;
  /** Failures outside a row (the page did not load, the data is missing). */
  errors: string[];
}

const sig = (v: number | undefined): string => {
  if (v === undefined || !Number.isFinite(v)) return '—';
  if (v === 0) return '0';
  return v.toFixed(Math.min(4, Math.max(0, 2 - Math.floor(Math.log10(Math.abs(v))))));
};
const acc = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(3));
const verdict = (ok: boolean): string => (ok ? 'MET' : 'NOT MET');
const seconds = (t: PresetTiming | NumpyChapter6 | undefined): string => (t === undefined ? '—' : t.error ? 'FAILED' : `${sig(t.seconds)} s`);
const ratio = (ours: PresetTiming | undefined, numpy: NumpyChapter6 | undefined): number | undefined =>
  ours && numpy && !ours.error && !numpy.error && numpy.seconds > 0 ? ours.seconds / numpy.seconds : undefined;

function table(rows: string[][]): string {
  const widths = rows[0].map((_, k) => Math.max(...rows.map((r) => r[k].length)));
  return rows.map((r) => r.map((cell, k) => (k === 0 ? cell.padEnd(widths[k]) : cell.padStart(widths[k]))).join('  ')).join('\n');
}

function presetTable(presets: readonly PresetReport[]): string[] {
  const header = ['preset', 'epochs', 'iters ours/numpy', 'numpy (1 core)', 'ours wasm Node', 'ours wasm Chromium', 'Node/numpy', 'Chromium/numpy'];
  const rows = presets.map((p) => {
    const ours = p.browser ?? p.node;
    return [
      p.id,
      String(ours?.epochs ?? p.numpy?.epochs ?? '—'),
      `${ours?.iterations ?? '—'}/${p.numpy?.iterations ?? '—'}`,
      seconds(p.numpy),
      p.node ? `${seconds(p.node)} (${p.node.threads} thr)` : '—',
      p.browser ? `${seconds(p.browser)} (${p.browser.threads} thr)` : '—',
      `${sig(ratio(p.node, p.numpy))}x`,
      `${sig(ratio(p.browser, p.numpy))}x`,
    ];
  });
  const lines = [table([header, ...rows]), ''];
  for (const p of presets) {
    const where = p.browser && !p.browser.error ? 'Chromium' : 'Node';
    const r = ratio(p.browser && !p.browser.error ? p.browser : p.node, p.numpy);
    if (r !== undefined)
      lines.push(
        `${p.id}: ours (wasm, ${where}) ${sig(r)}x numpy's time (target: < ${kTargetPresetRatio}x ${verdict(r < kTargetPresetRatio)}; aim: <= ${kAimPresetRatio}x ${verdict(r <= kAimPresetRatio)})`,
      );
    for (const t of [p.numpy, p.node, p.browser])
      if (t?.error) lines.push(`${p.id} FAILED (${t === p.numpy ? 'numpy' : t === p.node ? 'Node' : 'Chromium'}): ${t.error}`);
  }
  return lines;
}

/** batch_norm_test's final training accuracy per scale: numpy's and ours, with and without batch norm. */
function batchNormAccuracies(p: PresetReport, ours: FinalAccuracy[]): string[] {
  const scales = p.numpy?.scales ?? [];
  const count = Math.max(scales.length, ours.length / 2);
  const rows = Array.from({ length: count }, (_, k) => [
    scales[k] ? sig(scales[k].scale) : (ours[2 * k]?.name ?? ''),
    acc(scales[k]?.bn),
    acc(scales[k]?.plain),
    acc(ours[2 * k]?.train),
    acc(ours[2 * k + 1]?.train),
  ]);
  return [table([['scale', 'numpy bn', 'numpy plain', 'ours bn', 'ours plain'], ...rows])];
}

/** The overfitting experiments' final training and test accuracy and their gap, numpy's beside ours. */
function overfitAccuracies(p: PresetReport, ours: FinalAccuracy[]): string[] {
  const networks = p.numpy?.networks ?? [];
  const gap = (train?: number, test?: number): string => (train === undefined || test === undefined ? '—' : acc(train - test));
  const rows = Array.from({ length: Math.max(networks.length, ours.length) }, (_, k) => {
    const n = networks[k];
    const o = ours[k];
    return [o?.name ?? n?.name ?? '', acc(n?.train), acc(n?.test), gap(n?.train, n?.test), acc(o?.train), acc(o?.test), gap(o?.train, o?.test)];
  });
  return [table([['network', 'numpy train', 'test', 'gap', 'ours train', 'test', 'gap'], ...rows])];
}

function accuracies(presets: readonly PresetReport[]): string[] {
  const lines: string[] = [];
  for (const p of presets) {
    const ours = p.browser && !p.browser.error ? p.browser : p.node && !p.node.error ? p.node : undefined;
    lines.push('', `${p.id}: final accuracies (ours: ${ours ? (ours === p.browser ? 'Chromium' : 'Node') : 'none'})`);
    lines.push(...(p.id === 'batchnorm' ? batchNormAccuracies(p, ours?.final ?? []) : overfitAccuracies(p, ours?.final ?? [])));
  }
  return lines;
}

function costLines(cost: CostReport): string[] {
  const hidden = cost.sizes.length - 2;
  const lines = [`== cost per iteration: ${cost.racers} racers, batch ${cost.batchSize}, ${cost.sizes.join('-')}, training only ==`];
  if (cost.adapter) lines.push(`adapter: ${describeAdapterSummary(cost.adapter)}`);
  if (cost.error) lines.push(`FAILED: ${cost.error}`);
  const plain = cost.rows.find((r) => r.variant === 'plain');
  const times = (c: ContenderResult | undefined, base: ContenderResult | undefined): [string, string] =>
    !c ? ['—', '—'] : c.error ? ['FAILED', '—'] : [sig(c.msPerIteration), base && !base.error ? `${sig(c.msPerIteration / base.msPerIteration)}x` : '—'];
  const header = ['variant', 'wasm ms/it', 'x plain', 'WebGPU ms/it', 'x plain', 'dispatch/it', '+ vs plain', 'allowed'];
  const rows = cost.rows.map((r) => {
    const d = r.gpu && !r.gpu.error ? r.gpu.dispatchesPerIteration : undefined;
    const base = plain?.gpu?.dispatchesPerIteration;
    return [
      r.variant,
      ...times(r.wasm, plain?.wasm),
      ...times(r.gpu, plain?.gpu),
      sig(d),
      d === undefined || base === undefined ? '—' : `+${sig(d - base)}`,
      `+${dispatchAllowance(r.variant, hidden)}`,
    ];
  });
  lines.push('', table([header, ...rows]), '');
  const bn = cost.rows.find((r) => r.variant === 'bn');
  for (const engine of ['wasm', 'gpu'] as const) {
    const b = bn?.[engine];
    const p = plain?.[engine];
    if (b && p && !b.error && !p.error) {
      const r = b.msPerIteration / p.msPerIteration;
      lines.push(
        `batch norm on ${engine === 'wasm' ? 'ours (wasm)' : 'ours (WebGPU)'}: ${sig(r)}x the time per iteration (target: <= ${kTargetBnCost}x ${verdict(r <= kTargetBnCost)})`,
      );
    }
  }
  for (const r of cost.rows) {
    const d = r.gpu?.dispatchesPerIteration;
    const base = plain?.gpu?.dispatchesPerIteration;
    if (r.variant === 'plain' || d === undefined || base === undefined || r.gpu?.error) continue;
    const allowed = dispatchAllowance(r.variant, hidden);
    lines.push(
      `dispatches with ${r.variant}: ${sig(d)} per iteration, +${sig(d - base)} over plain's ${sig(base)} (allowed: +${allowed} ${verdict(d - base <= allowed)})`,
    );
  }
  for (const r of cost.rows) for (const c of [r.wasm, r.gpu]) if (c?.error) lines.push(`${r.variant} (${c === r.wasm ? 'wasm' : 'WebGPU'}) FAILED: ${c.error}`);
  for (const r of cost.rows) {
    const g = r.gpu;
    if (g?.stats && g.dispatchesPerIteration !== g.stats.dispatchesPerIteration)
      lines.push(
        `cross-check ${r.variant}: counted ${sig(g.dispatchesPerIteration)} dispatches per iteration, GpuRaceBackend.stats says ${sig(g.stats.dispatchesPerIteration)}`,
      );
  }
  return lines;
}

export function formatChapter6Report(report: Chapter6Report): string {
  const epochs = report.epochs === undefined ? "the book's epochs" : `${report.epochs} epoch(s) each (a quick check, not the book's)`;
  const lines = [
    `optimizer-race benchmark, chapter 6 (issue 20), ${report.date}`,
    '',
    `== the book's experiments, ${epochs}: ours (wasm) against numpy (float64, 1 core) ==`,
  ];
  lines.push(...report.errors.map((e) => `FAILED: ${e}`));
  lines.push(...presetTable(report.presets), ...accuracies(report.presets));
  if (report.cost) lines.push('', ...costLines(report.cost));
  return lines.join('\n');
}
