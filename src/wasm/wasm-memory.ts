/**
 * Where every buffer of the WebAssembly engine lives in linear memory, laid out once at create(),
 * and the step plan (src/wasm/assembly/plan-layout.ts) that tells the module's `work(plan)` about it.
 */
import { dropoutThreshold } from '../nn/dropout-mask';
import type { NetworkLayout } from '../nn/layout';
import { firstHiddenUnit } from '../nn/regularized-mlp';
import { kPixels, type RaceData } from '../race/dataset';
import * as plan from './assembly/plan-layout';

/** Byte offsets of every buffer. */
export interface MemoryLayout {
  trainImages: number;
  testImages: number;
  indices: number;
  labels: number;
  x0: number;
  /** Rows the batch buffers hold (indices, labels, x0, acts): the training batch or an evaluation batch, the larger. */
  maxRows: number;
  /** acts[l]: racer r's output of layer l at acts[l] + r * rows * O * 4 (up to maxRows rows). */
  acts: number[];
  /** Layer l >= 1: racer r's gradient of its input at dIn[l] + r * N * I * 4. */
  dIn: number[];
  /** Floats per racer in params, grads and each state (paramsPerRacer rounded up to 4). */
  stride: number;
  params: number;
  grads: number;
  state: [number, number];
  /** Racer r's running statistics at stats + r * layout.statsPerRacer * 4 (a race with batch norm; else empty). */
  stats: number;
  /** Batch-norm racer r's cache (xn batch x O, std O, per hidden layer) at normCache[r]; 0 for the others. */
  normCache: number[];
  /** Per hidden layer: byte offsets of xn and std in a cache block. */
  normOffsets: { normalized: number; std: number }[];
  /** The first layer's input as sparse rows (src/wasm/assembly/sparse.ts): each set's images, built once. */
  trainRows: SparseRows;
  testRows: SparseRows;
  /** A training batch's rows and their transpose (784 rows, one per pixel), built each step. */
  batchRows: SparseRows;
  batchColumns: SparseRows;
  /** Wᵀ in the backward-data product; 4 dense input rows in the first layer's fallback. */
  scratch: number;
  scratchFloats: number;
  plan: number;
  end: number;
}

/** A sparse matrix in memory: row r's (index, value) pairs are starts[r] to starts[r + 1] of entries. */
export interface SparseRows {
  starts: number;
  entries: number;
}

/** Bytes of a sparse entry (u32 index, f32 value). */
export const kSparseEntryBytes = 8;

/** What the sparse input takes: each set's nonzero pixels, and the most in one training image. */
export interface SparseCounts {
  train: number;
  test: number;
  trainRowMax: number;
}

/** Nonzero pixels of the first `count` images (and the most in one), as sparseImages will store them. */
export function nonzeroPixels(images: Uint8Array, count: number): { total: number; rowMax: number } {
  let total = 0;
  let rowMax = 0;
  for (let j = 0; j < count; j++) {
    let row = 0;
    for (let i = j * kPixels, end = i + kPixels; i < end; i++) if (images[i] !== 0) row++;
    total += row;
    rowMax = Math.max(rowMax, row);
  }
  return { total, rowMax };
}

const kPage = 65536;
const align = (n: number): number => Math.ceil(n / 16) * 16;

/**
 * `bn[r]`: racer r uses batch norm (only those racers get a cache block; the layout has γ, β and
 * running statistics when any does).
 */
export function memoryLayout(
  layout: NetworkLayout,
  bn: readonly boolean[],
  N: number,
  maxRows: number,
  data: Pick<RaceData, 'trainImages' | 'testImages' | 'testCount'>,
  trainCount: number,
  nonzeros: SparseCounts,
): MemoryLayout {
  const R = bn.length;
  let at = kPage; // above the module's own static data (its math tables)
  const take = (bytes: number): number => {
    const start = at;
    at = align(at + bytes);
    return start;
  };
  const { layers } = layout;
  const stride = Math.ceil(layout.paramsPerRacer / 4) * 4;
  const scratchFloats = Math.max(4 * layers[0].inputs, ...layers.slice(1).map((l) => l.inputs * l.outputs));
  const trainImages = take(data.trainImages.length);
  const testImages = take(data.testImages.length);
  const indices = take(maxRows * 4);
  const labels = take(maxRows * 4);
  const x0 = take(maxRows * kPixels * 4);
  const acts = layers.map((l) => take(R * maxRows * l.outputs * 4));
  const dIn = layers.map((l, i) => (i === 0 ? 0 : take(R * N * l.inputs * 4)));
  const params = take(R * stride * 4);
  const grads = take(R * stride * 4);
  const state: [number, number] = [take(R * stride * 4), take(R * stride * 4)];
  const stats = take(R * layout.statsPerRacer * 4);
  let cacheBytes = 0;
  const normOffsets = layout.batchNorm.map((_, l) => {
    const O = layers[l].outputs;
    const normalized = cacheBytes;
    const std = align(normalized + N * O * 4);
    cacheBytes = align(std + O * 4);
    return { normalized, std };
  });
  const normCache = bn.map((uses) => (uses && layout.batchNorm.length > 0 ? take(cacheBytes) : 0));
  // An evaluation chunk's rows start anywhere in the set: maxRows starts past its end keep the last rows empty.
  const sparse = (rows: number, entries: number, pad: number): SparseRows => ({
    starts: take((rows + pad + 1) * 4),
    entries: take(entries * kSparseEntryBytes),
  });
  const trainRows = sparse(trainCount, nonzeros.train, maxRows);
  const testRows = sparse(data.testCount, nonzeros.test, maxRows);
  const batchRows = sparse(N, N * nonzeros.trainRowMax, 0);
  const batchColumns = sparse(kPixels, N * nonzeros.trainRowMax, 0);
  const scratch = take(R * scratchFloats * 4);
  const planAt = take(plan.kHeaderBytes + layers.length * plan.kLayerBytes + R * plan.kRacerBytes);
  return {
    trainImages,
    testImages,
    indices,
    labels,
    x0,
    maxRows,
    acts,
    dIn,
    stride,
    params,
    grads,
    state,
    stats,
    normCache,
    normOffsets,
    trainRows,
    testRows,
    batchRows,
    batchColumns,
    scratch,
    scratchFloats,
    plan: planAt,
    end: at,
  };
}

/** Pages for the layout (and a page to spare). */
export function memoryPages(mem: MemoryLayout): number {
  return Math.ceil(mem.end / kPage) + 1;
}

/** Byte offset of racer r's record in the plan. */
export function racerRecord(mem: MemoryLayout, layers: number, r: number): number {
  return mem.plan + plan.kHeaderBytes + layers * plan.kLayerBytes + r * plan.kRacerBytes;
}

/** What the plan says of one racer: its optimizer rule, hidden activation and chapter 6's options. */
export interface PlannedRacer {
  rule: number;
  activation: number;
  bn: boolean;
  /** Dropout ratio in [0, 1) (0: none). */
  dropout: number;
  /** λ of the L2 term (0: none). */
  l2: number;
}

/** Writes the plan's fixed fields: sizes, offsets, the seed, each racer's buffers, rule, activation and options. */
export function writePlan(memory: WebAssembly.Memory, mem: MemoryLayout, layout: NetworkLayout, seed: number, racers: readonly PlannedRacer[]): void {
  const view = new DataView(memory.buffer);
  const word = (at: number, v: number): void => view.setUint32(at, v, true);
  const p = mem.plan;
  const L = layout.layers.length;
  word(p + plan.kPlanRacers, racers.length);
  word(p + plan.kPlanLayers, L);
  word(p + plan.kPlanX0, mem.x0);
  word(p + plan.kPlanLabels, mem.labels);
  word(p + plan.kPlanParamCount, mem.stride);
  word(p + plan.kPlanSeed, seed);
  layout.layers.forEach((layer, l) => {
    const at = p + plan.kHeaderBytes + l * plan.kLayerBytes;
    word(at + plan.kLayerInputs, layer.inputs);
    word(at + plan.kLayerOutputs, layer.outputs);
    word(at + plan.kLayerWeights, layer.weightOffset * 4);
    word(at + plan.kLayerBias, layer.biasOffset * 4);
    word(at + plan.kLayerActs, mem.acts[l]);
    word(at + plan.kLayerInputGrads, mem.dIn[l]);
    const bn = layout.batchNorm[l];
    if (bn) {
      word(at + plan.kLayerGamma, bn.gammaOffset * 4);
      word(at + plan.kLayerBeta, bn.betaOffset * 4);
      word(at + plan.kLayerStats, bn.statsOffset * 4);
      word(at + plan.kLayerNormalized, mem.normOffsets[l].normalized);
      word(at + plan.kLayerStd, mem.normOffsets[l].std);
    }
    if (l < L - 1) word(at + plan.kLayerFirstUnit, firstHiddenUnit(layout.sizes, l));
  });
  racers.forEach((racer, r) => {
    const at = racerRecord(mem, L, r);
    const own = r * mem.stride * 4;
    word(at + plan.kRacerParams, mem.params + own);
    word(at + plan.kRacerGrads, mem.grads + own);
    word(at + plan.kRacerState0, mem.state[0] + own);
    word(at + plan.kRacerState1, mem.state[1] + own);
    word(at + plan.kRacerScratch, mem.scratch + r * mem.scratchFloats * 4);
    word(at + plan.kRacerRule, racer.rule);
    word(at + plan.kRacerActivation, racer.activation);
    word(at + plan.kRacerActive, 1);
    word(at + plan.kRacerBatchNorm, racer.bn ? 1 : 0);
    word(at + plan.kRacerDropout, racer.dropout > 0 ? 1 : 0);
    word(at + plan.kRacerDropoutThreshold, dropoutThreshold(racer.dropout));
    view.setFloat32(at + plan.kRacerKeepFraction, 1 - racer.dropout, true);
    view.setFloat64(at + plan.kRacerL2, racer.l2, true);
    word(at + plan.kRacerStats, mem.stats + r * layout.statsPerRacer * 4);
    word(at + plan.kRacerNormCache, mem.normCache[r]);
  });
}
