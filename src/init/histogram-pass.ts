/**
 * HistogramPass: shaders/init/histogram.wgsl, the histogram of one activation buffer of every racer
 * in one dispatch. Its TypeScript reference is histogramReference (histogram.ts); `packRanges` and
 * `readHistograms` convert between the kernel's records and HistogramCounts.
 * M = values per racer, R = racers, B = bins, S = slots (records per racer, e.g. layers).
 */
import histogramWgsl from '../../shaders/init/histogram.wgsl?raw';
import { ComputePass } from '../nn/compute-pass';
import { type PassBinding, requireBytes, uniformBuffer, uniformLayout } from '../nn/gpu-common';
import { checkCount } from '../nn/shape';
import { kHistogramExtras, type HistogramCounts } from './histogram';

/** kMaxBins in histogram.wgsl. */
export const kMaxBins = 256;
const kShapeBytes = 32; // sizeof(Histogram)

export interface HistogramShape {
  /** M: values per racer. */
  valuesPerRacer: number;
  /** Floats between racers in `values` (default M). */
  valuesRacerStride?: number;
  racers: number;
  bins: number;
  /** The record (r, slot) this dispatch adds to. */
  slot: number;
  /** S: records per racer in counts and moments. */
  slots: number;
}

export interface HistogramBuffers {
  values: GPUBuffer;
  /** R x (B + 2) floats: B + 1 ascending edges, then the pivot of the moments (packRanges). */
  ranges: GPUBuffer;
  /** R x S x (B + 3) u32, zeroed before the first dispatch: the pass adds to it. */
  counts: GPUBuffer;
  /** R x S x momentGroups vec2<f32>: each workgroup writes its own partial sums. */
  moments: GPUBuffer;
}

export interface HistogramTuning {
  /** Threads per workgroup, a power of two. */
  workgroupSize?: number;
  itemsPerThread?: number;
}

export class HistogramPass extends ComputePass {
  readonly workgroupSize: number;
  readonly itemsPerThread: number;

  constructor(device: GPUDevice, tuning: HistogramTuning = {}) {
    const { workgroupSize = 256, itemsPerThread = 16 } = tuning;
    const maxSize = Math.min(device.limits.maxComputeWorkgroupSizeX, device.limits.maxComputeInvocationsPerWorkgroup);
    if (!Number.isInteger(workgroupSize) || workgroupSize < 1 || workgroupSize > maxSize || (workgroupSize & (workgroupSize - 1)) !== 0) {
      throw new Error(`Histogram: workgroup size must be a power of two from 1 to ${maxSize}, got ${workgroupSize}`);
    }
    checkCount('Histogram items per thread', itemsPerThread);
    const read = 'read-only-storage';
    super(device, 'Histogram', [read, read, 'storage', 'storage', uniformLayout(kShapeBytes)], {
      code: histogramWgsl,
      entryPoint: 'main',
      constants: { kWorkgroupSize: workgroupSize, kItemsPerThread: itemsPerThread },
    });
    this.workgroupSize = workgroupSize;
    this.itemsPerThread = itemsPerThread;
  }

  /** Workgroups per racer for M values: also the momentGroups the moments buffer needs per record. */
  groupsFor(valuesPerRacer: number): number {
    return Math.ceil(valuesPerRacer / (this.workgroupSize * this.itemsPerThread));
  }

  bindGroup(b: HistogramBuffers, shape: HistogramShape, momentGroups: number, label = 'Histogram.bindGroup'): PassBinding {
    const { valuesPerRacer: M, racers: R, bins: B, slot, slots } = shape;
    const stride = shape.valuesRacerStride ?? M;
    checkCount('Histogram values per racer', M);
    checkCount('Histogram racers', R);
    checkCount('Histogram slots', slots);
    if (!Number.isInteger(B) || B < 1 || B > kMaxBins) throw new Error(`Histogram: bins must be a whole number from 1 to ${kMaxBins}, got ${B}`);
    if (!Number.isInteger(slot) || slot < 0 || slot >= slots) throw new Error(`Histogram: slot ${slot} is outside 0..${slots - 1}`);
    if (!Number.isInteger(stride) || stride < M) throw new Error(`Histogram: racer stride ${stride} is smaller than the ${M} values per racer`);
    const groups = this.groupsFor(M);
    if (momentGroups < groups) throw new Error(`Histogram: ${M} values need ${groups} moment partials per record, the buffer has ${momentGroups}`);
    requireBytes(this.name, 'values', b.values, 4 * ((R - 1) * stride + M));
    requireBytes(this.name, 'ranges', b.ranges, 4 * R * (B + 2));
    requireBytes(this.name, 'counts', b.counts, 4 * R * slots * (B + kHistogramExtras));
    requireBytes(this.name, 'moments', b.moments, 8 * R * slots * momentGroups);
    const uniform = uniformBuffer(this.device, `${label}.shape`, Uint32Array.from([M, stride, B, slot, slots, momentGroups, 0, 0]));
    return this.bindBuffers([b.values, b.ranges, b.counts, b.moments, uniform], [], [groups, R, 1], label, [uniform]);
  }
}

/** The kernel's `ranges` records: per racer, its edges as float32 then its pivot. */
export function packRanges(edgesPerRacer: readonly ArrayLike<number>[], pivots: readonly number[]): Float32Array<ArrayBuffer> {
  const B = edgesPerRacer[0].length - 1;
  const packed = new Float32Array(edgesPerRacer.length * (B + 2));
  edgesPerRacer.forEach((edges, r) => {
    if (edges.length !== B + 1) throw new Error(`every racer needs ${B + 1} edges, racer ${r} has ${edges.length}`);
    packed.set(Array.from(edges), r * (B + 2));
    packed[r * (B + 2) + B + 1] = pivots[r];
  });
  return packed;
}

/** The record (r, slot) of read-back counts and moments as HistogramCounts (moments summed in float64). */
export function unpackHistogram(
  counts: Uint32Array,
  moments: Float32Array,
  shape: { bins: number; slots: number; momentGroups: number },
  r: number,
  slot: number,
): HistogramCounts {
  const { bins: B, slots, momentGroups } = shape;
  const record = r * slots + slot;
  const at = record * (B + kHistogramExtras);
  let sum = 0;
  let sumSquares = 0;
  for (let g = 0; g < momentGroups; g++) {
    sum += moments[2 * (record * momentGroups + g)];
    sumSquares += moments[2 * (record * momentGroups + g) + 1];
  }
  return {
    counts: Array.from(counts.subarray(at, at + B)),
    below: counts[at + B],
    above: counts[at + B + 1],
    zeros: counts[at + B + 2],
    sum,
    sumSquares,
  };
}
