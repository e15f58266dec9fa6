/**
 * The loss end of the network, one workgroup per racer and one dispatch for all racers:
 *   SoftmaxXentPass  loss, dLogits and correct count of a training batch (softmax_xent.wgsl)
 *   AccuracyPass     correct counts of an evaluation batch, accumulated (accuracy.wgsl)
 * Both write at row `slot` of per-racer result buffers (slot * R + r), the slot coming from an
 * IterationRing through a dynamic offset, so many iterations can be encoded before one read-back.
 */
import iterationWgsl from '../../shaders/nn/iteration.wgsl?raw';
import softmaxXentWgsl from '../../shaders/nn/softmax_xent.wgsl?raw';
import accuracyWgsl from '../../shaders/nn/accuracy.wgsl?raw';
import { ComputePass, workgroupKernel } from './compute-pass';
import { type BindingKind, type IterationRing, kRingLayout, type PassBinding, requireBytes, ringSlot, uniformBuffer, uniformLayout } from './gpu-common';
import { checkCount } from './shape';

export interface LossShape {
  rows: number; // N
  classes: number; // C
  racers: number; // R
  /** Rows (iteration slots) the losses / correct buffers hold: slot < slots. */
  slots: number;
}

const kShapeLayout = uniformLayout(16);
const read = 'read-only-storage';

function checkShape(shape: LossShape): void {
  checkCount('rows', shape.rows);
  checkCount('classes', shape.classes);
  checkCount('racers', shape.racers);
  checkCount('result slots', shape.slots);
}

/** One workgroup per racer, writing at the IterationRing slot's `slot` (encode with `[ring.offset(ringSlot)]`). */
abstract class PerRacerPass extends ComputePass {
  protected constructor(device: GPUDevice, name: string, code: string, bindings: readonly BindingKind[], workgroupSize: number) {
    super(device, name, [...bindings, kShapeLayout, kRingLayout], workgroupKernel(device, name, iterationWgsl + code, workgroupSize));
  }

  /** The buffers (bindings 0, 1, ...), then the LossShape uniform and the ring slot. */
  protected bind(buffers: GPUBuffer[], shape: LossShape, ring: IterationRing, label: string): PassBinding {
    checkShape(shape);
    const uniform = uniformBuffer(this.device, `${label}.shape`, Uint32Array.from([shape.rows, shape.classes, shape.racers, 0]));
    return this.bindBuffers([...buffers, uniform], [ringSlot(ring)], [1, 1, shape.racers], label, [uniform]);
  }
}

export interface SoftmaxXentBuffers {
  /** acts[L - 1], R x N x C. */
  logits: GPUBuffer;
  /** N u32 labels of the batch (BatchGatherPass output). */
  labels: GPUBuffer;
  /** dActs[L - 1], R x N x C. */
  dLogits: GPUBuffer;
  /** f32, slots x R: losses[slot * R + r]. */
  losses: GPUBuffer;
  /** u32, slots x R: correct[slot * R + r] (overwritten). */
  correct: GPUBuffer;
  ring: IterationRing;
}

/**
 * The seed's SoftmaxWithLoss for every racer: loss = -mean log(p[t] + 1e-7) into losses,
 * dLogits = (p - onehot) / N, and the batch's correct count into correct.
 */
export class SoftmaxXentPass extends PerRacerPass {
  constructor(device: GPUDevice, options: { workgroupSize?: number } = {}) {
    super(device, 'SoftmaxXent', softmaxXentWgsl, [read, read, 'storage', 'storage', 'storage'], options.workgroupSize ?? 64);
  }

  bindGroup(b: SoftmaxXentBuffers, shape: LossShape, label = 'SoftmaxXent.bindGroup'): PassBinding {
    const { rows, classes, racers, slots } = shape;
    requireBytes(this.name, 'logits', b.logits, 4 * racers * rows * classes);
    requireBytes(this.name, 'labels', b.labels, 4 * rows);
    requireBytes(this.name, 'dLogits', b.dLogits, 4 * racers * rows * classes);
    requireBytes(this.name, 'losses', b.losses, 4 * racers * slots);
    requireBytes(this.name, 'correct', b.correct, 4 * racers * slots);
    return this.bind([b.logits, b.labels, b.dLogits, b.losses, b.correct], shape, b.ring, label);
  }
}

export interface AccuracyBuffers {
  /** acts[L - 1] of an evaluation batch, R x N x C. */
  logits: GPUBuffer;
  /** N u32 labels (kNoLabel rows never count). */
  labels: GPUBuffer;
  /** u32, slots x R: correct[slot * R + r] += this batch's count. Clear it before the first chunk. */
  correct: GPUBuffer;
  ring: IterationRing;
}

/** Adds each racer's correct predictions on a batch to correct[slot * R + r]. */
export class AccuracyPass extends PerRacerPass {
  constructor(device: GPUDevice, options: { workgroupSize?: number } = {}) {
    super(device, 'Accuracy', accuracyWgsl, [read, read, 'storage'], options.workgroupSize ?? 64);
  }

  bindGroup(b: AccuracyBuffers, shape: LossShape, label = 'Accuracy.bindGroup'): PassBinding {
    const { rows, classes, racers, slots } = shape;
    requireBytes(this.name, 'logits', b.logits, 4 * racers * rows * classes);
    requireBytes(this.name, 'labels', b.labels, 4 * rows);
    requireBytes(this.name, 'correct', b.correct, 4 * racers * slots);
    return this.bind([b.logits, b.labels, b.correct], shape, b.ring, label);
  }
}
