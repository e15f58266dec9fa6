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
import { IterationRing, PassBinding, kIterationBytes, requireBytes, requireGroups, storageEntry } from './gpu-common';
import { checkCount } from './shape';

export interface LossShape {
  rows: number; // N
  classes: number; // C
  racers: number; // R
  /** Rows (iteration slots) the losses / correct buffers hold: slot < slots. */
  slots: number;
}

const kShapeBytes = 16;

function checkShape(shape: LossShape): void {
  checkCount('rows', shape.rows);
  checkCount('classes', shape.classes);
  checkCount('racers', shape.racers);
  checkCount('result slots', shape.slots);
}

abstract class PerRacerPass {
  readonly bindGroupLayout: GPUBindGroupLayout;
  readonly pipeline: GPUComputePipeline;

  protected constructor(
    readonly device: GPUDevice,
    readonly name: string,
    code: string,
    entries: GPUBindGroupLayoutEntry[],
    readonly workgroupSize: number,
  ) {
    if (!Number.isInteger(workgroupSize) || workgroupSize < 1 || workgroupSize > device.limits.maxComputeWorkgroupSizeX) {
      throw new Error(`${name}: workgroup size must be a whole number from 1 to ${device.limits.maxComputeWorkgroupSizeX}, got ${workgroupSize}`);
    }
    this.bindGroupLayout = device.createBindGroupLayout({ label: `${name}.bindGroupLayout`, entries });
    this.pipeline = device.createComputePipeline({
      label: `${name}.pipeline`,
      layout: device.createPipelineLayout({ label: `${name}.pipelineLayout`, bindGroupLayouts: [this.bindGroupLayout] }),
      compute: {
        module: device.createShaderModule({ label: `${name}.module`, code: iterationWgsl + code }),
        entryPoint: 'main',
        constants: { kWorkgroupSize: workgroupSize },
      },
    });
  }

  protected bind(buffers: GPUBuffer[], shape: LossShape, ring: IterationRing, label: string): PassBinding {
    checkShape(shape);
    const uniform = this.device.createBuffer({ label: `${label}.shape`, size: kShapeBytes, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    this.device.queue.writeBuffer(uniform, 0, Uint32Array.from([shape.rows, shape.classes, shape.racers, 0]));
    const entries: GPUBindGroupEntry[] = buffers.map((buffer, binding) => ({ binding, resource: { buffer } }));
    entries.push({ binding: buffers.length, resource: { buffer: uniform } });
    entries.push({ binding: buffers.length + 1, resource: { buffer: ring.buffer, size: kIterationBytes } });
    const groups = requireGroups(this.name, this.device, [1, 1, shape.racers]);
    return new PassBinding(this.device.createBindGroup({ label, layout: this.bindGroupLayout, entries }), groups, [uniform]);
  }

  /** Records the pass; `ringSlot` selects the IterationRing slot (whose `slot` says where results go). */
  encode(pass: GPUComputePassEncoder, binding: PassBinding, ring: IterationRing, ringSlot: number): void {
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, binding.bindGroup, [ring.offset(ringSlot)]);
    pass.dispatchWorkgroups(...binding.groups);
  }
}

const kShapeEntry = (binding: number): GPUBindGroupLayoutEntry => ({
  binding,
  visibility: GPUShaderStage.COMPUTE,
  buffer: { type: 'uniform', minBindingSize: kShapeBytes },
});
const kRingEntry = (binding: number): GPUBindGroupLayoutEntry => ({
  binding,
  visibility: GPUShaderStage.COMPUTE,
  buffer: { type: 'uniform', hasDynamicOffset: true, minBindingSize: kIterationBytes },
});

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
    super(
      device,
      'SoftmaxXent',
      softmaxXentWgsl,
      [
        storageEntry(0, 'read-only-storage'),
        storageEntry(1, 'read-only-storage'),
        storageEntry(2, 'storage'),
        storageEntry(3, 'storage'),
        storageEntry(4, 'storage'),
        kShapeEntry(5),
        kRingEntry(6),
      ],
      options.workgroupSize ?? 64,
    );
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
    super(
      device,
      'Accuracy',
      accuracyWgsl,
      [storageEntry(0, 'read-only-storage'), storageEntry(1, 'read-only-storage'), storageEntry(2, 'storage'), kShapeEntry(3), kRingEntry(4)],
      options.workgroupSize ?? 64,
    );
  }

  bindGroup(b: AccuracyBuffers, shape: LossShape, label = 'Accuracy.bindGroup'): PassBinding {
    const { rows, classes, racers, slots } = shape;
    requireBytes(this.name, 'logits', b.logits, 4 * racers * rows * classes);
    requireBytes(this.name, 'labels', b.labels, 4 * rows);
    requireBytes(this.name, 'correct', b.correct, 4 * racers * slots);
    return this.bind([b.logits, b.labels, b.correct], shape, b.ring, label);
  }
}
