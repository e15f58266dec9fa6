/**
 * Dropout and the L2 term on the GPU, each serving only the racers that use it (a RacerList) with
 * one dispatch; the book's semantics (./regularization-reference.ts, masks by ./dropout-mask.ts):
 *   DropoutPass     x · mask (training forward; backward on dout), x · (1 − ratio) (evaluation)  (dropout.wgsl)
 *   L2GradientPass  dW += λ W on one layer's weights                                           (l2_gradient.wgsl)
 *   L2LossPass      losses[slot · R + r] += ½ λ Σ‖W‖² over every weight matrix                 (l2_loss.wgsl)
 * The per-element maths are WGSL functions in shaders/nn/regularization.wgsl (dropoutKeeps,
 * dropoutMasked, dropoutScaled, l2Gradient) for the activation and weight-gradient passes to fuse;
 * these passes are their standalone form: the race fuses the maths into its affine and batch-norm
 * passes (./regularized-affine-passes.ts, ./batch-norm-passes.ts) and runs L2LossPass.
 * List only racers whose ratio (λ) is above 0: a ratio of 0 still drops a draw of exactly 0 (one in
 * 2^24, as dropoutMask does), while the reference network applies no dropout at all then.
 */
import commonWgsl from '../../shaders/nn/common.wgsl?raw';
import dropoutWgsl from '../../shaders/nn/dropout.wgsl?raw';
import hashWgsl from '../../shaders/nn/hash.wgsl?raw';
import iterationWgsl from '../../shaders/nn/iteration.wgsl?raw';
import l2GradientWgsl from '../../shaders/nn/l2_gradient.wgsl?raw';
import l2LossWgsl from '../../shaders/nn/l2_loss.wgsl?raw';
import regularizationWgsl from '../../shaders/nn/regularization.wgsl?raw';
import { dropoutThreshold } from './dropout-mask';
import { type IterationRing, kLayerLayout, kRingLayout, type LayerUniform, type PassBinding, requireBytes, ringSlot, uniformLayout } from './gpu-common';
import type { NetworkLayout } from './layout';
import { ListedRacerPass, type RacerList } from './listed-racer-pass';
import { checkCount } from './shape';

/** What every kernel built on regularization.wgsl is prefixed with. */
export const kRegularizationWgsl = hashWgsl + regularizationWgsl;

const read = 'read-only-storage';

function checkListed(pass: string, list: RacerList, racers: number): void {
  checkCount('racers', racers);
  if (list.span > racers) throw new Error(`${pass}: racer ${list.span - 1} is listed but the race has ${racers} racers`);
}

/** Bytes of one racer's RacerDropout (regularization.wgsl). */
export const kRacerDropoutBytes = 16;

/**
 * Each racer's RacerDropout (regularization.wgsl): threshold floor(ratio 2^24), keepScale 1 − ratio,
 * and whether the pass reading it drops that racer's units (`applies`, by default ratio > 0; the
 * affine forward's epilogue leaves batch-norm racers to their batch-norm pass).
 */
export function createRacerDropout(
  device: GPUDevice,
  ratios: readonly number[],
  label = 'racerDropout',
  applies: readonly boolean[] = ratios.map((ratio) => ratio > 0),
): GPUBuffer {
  checkCount('racers', ratios.length);
  if (applies.length !== ratios.length) throw new Error(`${label}: ${ratios.length} ratios but ${applies.length} applies flags`);
  const words = new ArrayBuffer(kRacerDropoutBytes * ratios.length);
  const u32 = new Uint32Array(words);
  const f32 = new Float32Array(words);
  ratios.forEach((ratio, r) => {
    u32[4 * r] = dropoutThreshold(ratio);
    f32[4 * r + 1] = 1 - ratio;
    u32[4 * r + 2] = applies[r] ? 1 : 0;
  });
  const buffer = device.createBuffer({ label, size: words.byteLength, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(buffer, 0, words);
  return buffer;
}

/** Each racer's λ (f32), 0 for racers without the L2 term. */
export function createRacerLambdas(device: GPUDevice, lambdas: readonly number[], label = 'racerLambdas'): GPUBuffer {
  checkCount('racers', lambdas.length);
  if (!lambdas.every((l) => l >= 0)) throw new Error(`λ (l2) must be 0 or more, got ${lambdas.join(', ')}`);
  const buffer = device.createBuffer({ label, size: 4 * lambdas.length, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(buffer, 0, Float32Array.from(lambdas));
  return buffer;
}

/** 'mask': x · mask (training forward, and backward with X = dout); 'scale': x · (1 − ratio) (evaluation). */
export type DropoutMode = 'mask' | 'scale';

export interface DropoutShape {
  rows: number; // N
  units: number; // O
  /** R: every racer of the race. */
  racers: number;
  /** Index of the layer's unit 0 among all hidden units (firstHiddenUnit of ./regularized-mlp.ts). */
  firstUnit: number;
  /** The race's seed (u32). */
  seed: number;
  mode: DropoutMode;
}

export interface DropoutBuffers {
  /** R x N x O: the activation's output (forward) or the gradient of the dropout's output (backward). */
  X: GPUBuffer;
  /** R x N x O; must not be X. */
  Y: GPUBuffer;
  /** createRacerDropout. */
  racerDropout: GPUBuffer;
  racers: RacerList;
  /** Its slots' `iteration` selects the masks. */
  ring: IterationRing;
}

const kDropoutShapeBytes = 32;

export class DropoutPass extends ListedRacerPass {
  constructor(device: GPUDevice, options: { workgroupSize?: number } = {}) {
    super(
      device,
      'Dropout',
      iterationWgsl + kRegularizationWgsl + dropoutWgsl,
      [read, 'storage', read, read, uniformLayout(kDropoutShapeBytes), kRingLayout],
      options.workgroupSize,
    );
  }

  bindGroup(b: DropoutBuffers, shape: DropoutShape, label = 'Dropout.bindGroup'): PassBinding {
    const { rows, units, racers, firstUnit, seed, mode } = shape;
    checkCount('rows', rows);
    checkCount('units', units);
    checkListed(this.name, b.racers, racers);
    if (!Number.isInteger(firstUnit) || firstUnit < 0 || firstUnit > 0xffffffff) throw new Error(`${this.name}: firstUnit must be a u32, got ${firstUnit}`);
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`${this.name}: the seed must be a u32, got ${seed}`);
    if (mode !== 'mask' && mode !== 'scale') throw new Error(`${this.name}: mode must be 'mask' or 'scale', got '${String(mode)}'`);
    requireBytes(this.name, 'X', b.X, 4 * racers * rows * units);
    requireBytes(this.name, 'Y', b.Y, 4 * racers * rows * units);
    requireBytes(this.name, 'racerDropout', b.racerDropout, kRacerDropoutBytes * racers);
    const words = Uint32Array.from([rows, units, firstUnit, seed, mode === 'mask' ? 0 : 1, 0, 0, 0]);
    return this.bind([b.X, b.Y, b.racerDropout, b.racers.buffer], words, this.grid(rows * units, b.racers), label, [ringSlot(b.ring)]);
  }
}

export interface L2GradientBuffers {
  params: GPUBuffer;
  /** dW of the layer gains λ W (run after the weight-gradient pass). */
  grads: GPUBuffer;
  /** createRacerLambdas. */
  lambdas: GPUBuffer;
  racers: RacerList;
  /** The layer's uniform (the affine passes' own): its W's offset and I x O. */
  layer: LayerUniform;
}

export class L2GradientPass extends ListedRacerPass {
  constructor(device: GPUDevice, options: { workgroupSize?: number } = {}) {
    super(device, 'L2Gradient', commonWgsl + kRegularizationWgsl + l2GradientWgsl, [read, 'storage', read, read, kLayerLayout], options.workgroupSize);
  }

  bindGroup(b: L2GradientBuffers, label = 'L2Gradient.bindGroup'): PassBinding {
    const s = b.layer.shape;
    checkListed(this.name, b.racers, s.racers);
    requireBytes(this.name, 'params', b.params, 4 * s.racers * s.paramsPerRacer);
    requireBytes(this.name, 'grads', b.grads, 4 * s.racers * s.paramsPerRacer);
    requireBytes(this.name, 'lambdas', b.lambdas, 4 * s.racers);
    return this.bind([b.params, b.grads, b.lambdas, b.racers.buffer, b.layer.buffer], undefined, this.grid(s.layer.inputs * s.layer.outputs, b.racers), label);
  }
}

export interface L2LossBuffers {
  params: GPUBuffer;
  /** f32, slots x R: the softmax pass's losses; the term is added at the ring slot's `slot`. */
  losses: GPUBuffer;
  lambdas: GPUBuffer;
  racers: RacerList;
  ring: IterationRing;
}

export interface L2LossShape {
  layout: NetworkLayout;
  racers: number; // R
  /** Rows (iteration slots) the losses buffer holds. */
  slots: number;
}

export class L2LossPass extends ListedRacerPass {
  constructor(device: GPUDevice, options: { workgroupSize?: number } = {}) {
    super(device, 'L2Loss', iterationWgsl + l2LossWgsl, [read, 'storage', read, read, read, uniformLayout(16), kRingLayout], options.workgroupSize);
  }

  bindGroup(b: L2LossBuffers, shape: L2LossShape, label = 'L2Loss.bindGroup'): PassBinding {
    const { layout, racers, slots } = shape;
    checkListed(this.name, b.racers, racers);
    checkCount('result slots', slots);
    requireBytes(this.name, 'params', b.params, 4 * racers * layout.paramsPerRacer);
    requireBytes(this.name, 'losses', b.losses, 4 * racers * slots);
    requireBytes(this.name, 'lambdas', b.lambdas, 4 * racers);
    const ranges = Uint32Array.from(layout.layers.flatMap((l) => [l.weightOffset, l.inputs * l.outputs]));
    const weights = this.device.createBuffer({ label: `${label}.weights`, size: ranges.byteLength, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
    this.device.queue.writeBuffer(weights, 0, ranges);
    const words = Uint32Array.from([layout.paramsPerRacer, racers, layout.layers.length, 0]);
    return this.bind([b.params, b.losses, b.lambdas, b.racers.buffer, weights], words, [1, b.racers.count, 1], label, [ringSlot(b.ring)], [weights]);
  }
}
