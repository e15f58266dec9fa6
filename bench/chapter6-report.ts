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
  networks: { name: string; seconds: number; train: number; test?: number; gap?: number; lr?: number; l2?: number; validation?: number }[];
  scales?: { scale: number; bn: number; plain: number }[];
  /** hypersearch: the best trial and how many passed 0.5 validation accuracy, with their lr range. */
  search?: { best: { validation: number; lr: number; l2: number }; above: number; aboveLrMin?: number; aboveLrMax?: number };
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

/** Issue 21: the 100-trial race costs at most 100/6 of the 6-trial race per iteration on wasm; WebGPU's dispatches do not grow. */
export const kSearchScalingTrials = [6, 100] as const;

export interface SearchScalingRow {
  trials: number;
  wasm?: ContenderResult;
  gpu?: ContenderResult;
}

export interface SearchScalingReport {
  sizes: number[];
  adapter?: AdapterSummary;
  rows: SearchScalingRow[];
  error?: string;
}

export interface Chapter6Report {
  date: string;
  argv: string[];
  /** Epochs in place of the book's (quick checks), or undefined. */
  epochs?: number;
  presets: PresetReport[];
  cost?: CostReport;
  /** With hypersearch among the presets: the search's cost per iteration at 6 and 100 trials. */
  searchScaling?: SearchScalingReport;
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

/** hypersearch: the best trials by validation accuracy and how many learned, numpy's beside ours (different draws: the generators differ). */
function searchAccuracies(p: PresetReport, ours: FinalAccuracy[]): string[] {
  const fmt = (v: number | undefined): string => (v === undefined ? '—' : v.toPrecision(2));
  const summary = (rows: { lr?: number; validation?: number }[]) => {
    const learned = rows.filter((r) => (r.validation ?? 0) > 0.5);
    const lrs = learned.map((r) => r.lr ?? Number.NaN);
    return `${learned.length} of ${rows.length} above 0.5 validation accuracy${learned.length ? `, lr ${fmt(Math.min(...lrs))} to ${fmt(Math.max(...lrs))}` : ''}`;
  };
  const numpy = (p.numpy?.networks ?? []).map((n) => ({ name: n.name, lr: n.lr, l2: n.l2, validation: n.validation, train: n.train }));
  const mine = ours.map((o) => ({ name: o.name, lr: o.values?.lr, l2: o.values?.l2, validation: o.validation, train: o.train }));
  const best = (rows: { lr?: number; l2?: number; validation?: number }[]) => [...rows].sort((a, b) => (b.validation ?? -1) - (a.validation ?? -1)).slice(0, 5);
  const [bn, bo] = [best(numpy), best(mine)];
  const rows = Array.from({ length: Math.max(bn.length, bo.length) }, (_, k) => [
    `Best-${k + 1}`,
    acc(bn[k]?.validation),
    fmt(bn[k]?.lr),
    fmt(bn[k]?.l2),
    acc(bo[k]?.validation),
    fmt(bo[k]?.lr),
    fmt(bo[k]?.l2),
  ]);
  return [table([['', 'numpy val', 'lr', 'λ', 'ours val', 'lr', 'λ'], ...rows]), `numpy: ${summary(numpy)}`, `ours: ${summary(mine)}`];
}

function searchScalingLines(s: SearchScalingReport): string[] {
  const lines = [
    `== the search's cost per iteration: hypersearch's race (${s.sizes.join('-')}, batch 100), ${kSearchScalingTrials.join(' and ')} trials as racers, training only ==`,
  ];
  if (s.adapter) lines.push(`adapter: ${describeAdapterSummary(s.adapter)}`);
  if (s.error) lines.push(`FAILED: ${s.error}`);
  const [few, many] = s.rows;
  const cell = (c: ContenderResult | undefined): string => (!c ? '—' : c.error ? 'FAILED' : sig(c.msPerIteration));
  const rows = s.rows.map((r) => [`${r.trials} trials`, cell(r.wasm), cell(r.gpu), sig(r.gpu && !r.gpu.error ? r.gpu.dispatchesPerIteration : undefined)]);
  lines.push('', table([['race', 'wasm ms/it', 'WebGPU ms/it', 'dispatch/it'], ...rows]), '');
  const allowed = many.trials / few.trials;
  for (const engine of ['wasm', 'gpu'] as const) {
    const a = few[engine];
    const b = many[engine];
    if (!a || !b || a.error || b.error) continue;
    const r = b.msPerIteration / a.msPerIteration;
    const name = engine === 'wasm' ? 'ours (wasm)' : 'ours (WebGPU)';
    lines.push(
      `${name}: ${many.trials} trials cost ${sig(r)}x the ${few.trials}-trial race per iteration (target: <= ${sig(allowed)}x ${verdict(r <= allowed)})`,
    );
  }
  const [da, db] = [few.gpu?.dispatchesPerIteration, many.gpu?.dispatchesPerIteration];
  if (da !== undefined && db !== undefined && !few.gpu?.error && !many.gpu?.error)
    lines.push(`WebGPU dispatches per iteration: ${sig(da)} with ${few.trials} trials, ${sig(db)} with ${many.trials} (must not grow: ${verdict(db <= da)})`);
  for (const r of s.rows)
    for (const c of [r.wasm, r.gpu]) if (c?.error) lines.push(`${r.trials} trials (${c === r.wasm ? 'wasm' : 'WebGPU'}) FAILED: ${c.error}`);
  return lines;
}

function accuracies(presets: readonly PresetReport[]): string[] {
  const lines: string[] = [];
  for (const p of presets) {
    const ours = p.browser && !p.browser.error ? p.browser : p.node && !p.node.error ? p.node : undefined;
    lines.push('', `${p.id}: final accuracies (ours: ${ours ? (ours === p.browser ? 'Chromium' : 'Node') : 'none'})`);
    const final = ours?.final ?? [];
    lines.push(...(p.id === 'batchnorm' ? batchNormAccuracies(p, final) : p.id === 'hypersearch' ? searchAccuracies(p, final) : overfitAccuracies(p, final)));
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
  if (report.searchScaling) lines.push('', ...searchScalingLines(report.searchScaling));
  return lines.join('\n');
}
