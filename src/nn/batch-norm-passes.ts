/**
 * The batch-norm passes of one hidden layer, each serving only the racers that use batch norm
 * (a RacerList) with one dispatch; the book's exact semantics (./batch-norm-reference.ts):
 *   BatchNormTrainPass     Y = act(γ xn + β) with the batch's statistics; keeps xn and std; moves the
 *                          running statistics (batch_norm_forward_train.wgsl)
 *   BatchNormEvalPass      Y = act(γ (x − running mean) / sqrt(running var + ε) + β) (batch_norm_forward_eval.wgsl)
 * The forward passes apply the layer's activation (fused: the affine pass before them then writes
 * its raw output, activation identity); the backward pass takes the gradient of γ xn + β, i.e.
 * after the activation's derivative, which the next layer's backward-data pass applies.
 *   BatchNormBackwardPass  dγ, dβ into grads and dX (batch_norm_backward.wgsl)
 * Not yet wired into the race: γ and β are read from the params buffer (and dγ, dβ written to
 * grads) at offsets the caller gives, so the race's layout decides where they live and the
 * racer's optimizer steps them like any weight. Layouts: shaders/nn/batch_norm_common.wgsl.
 */
import batchNormWgsl from '../../shaders/nn/batch_norm_common.wgsl?raw';
import commonWgsl from '../../shaders/nn/common.wgsl?raw';
import backwardWgsl from '../../shaders/nn/batch_norm_backward.wgsl?raw';
import evalWgsl from '../../shaders/nn/batch_norm_forward_eval.wgsl?raw';
import trainWgsl from '../../shaders/nn/batch_norm_forward_train.wgsl?raw';
import { type PassBinding, requireBytes, storageEntry } from './gpu-common';
import { ListedRacerPass, type RacerList } from './listed-racer-pass';
import { checkCount, type LayerActivation, layerActivationCode } from './shape';

/** The activations (common.wgsl) and the BatchNorm uniform. */
const kBatchNormWgsl = commonWgsl + batchNormWgsl;

/** One batch-norm layer of all racers (the WGSL BatchNorm uniform, plus R for the size checks). */
export interface BatchNormShape {
  rows: number; // N
  features: number; // O
  /** R: every racer of the race (per-racer buffers are indexed by racer index). */
  racers: number;
  paramsPerRacer: number; // P
  /** γ within a racer's block of params (dγ within grads); β likewise. */
  gammaOffset: number;
  betaOffset: number;
  /** Floats per racer in the running-statistics buffer; this layer's mean at statsOffset, its variance O later. */
  statsPerRacer: number;
  statsOffset: number;
  /** Applied to the forward passes' Y (fused; default identity); 'racer': each racer's own (racerActivations). */
  activation?: LayerActivation;
}

function uniformWords(s: BatchNormShape, list: RacerList, pass: string): Uint32Array<ArrayBuffer> {
  checkCount('rows', s.rows);
  checkCount('features', s.features);
  checkCount('racers', s.racers);
  if (list.span > s.racers) throw new Error(`${pass}: racer ${list.span - 1} is listed but the race has ${s.racers} racers`);
  for (const [what, at] of [
    ['γ', s.gammaOffset],
    ['β', s.betaOffset],
  ] as const) {
    if (!Number.isInteger(at) || at < 0 || at + s.features > s.paramsPerRacer)
      throw new Error(`${pass}: ${what} at ${at} does not fit a racer's ${s.paramsPerRacer} parameters`);
  }
  if (!Number.isInteger(s.statsOffset) || s.statsOffset < 0 || s.statsOffset + 2 * s.features > s.statsPerRacer) {
    throw new Error(`${pass}: the running statistics at ${s.statsOffset} (2 x ${s.features}) do not fit ${s.statsPerRacer} floats per racer`);
  }
  return Uint32Array.from([
    s.rows,
    s.features,
    s.paramsPerRacer,
    s.gammaOffset,
    s.betaOffset,
    s.statsPerRacer,
    s.statsOffset,
    layerActivationCode(s.activation ?? 'identity'),
  ]);
}

const kBatchNormBytes = 32; // sizeof(BatchNorm)
const uniformEntry = (binding: number): GPUBindGroupLayoutEntry => ({
  binding,
  visibility: GPUShaderStage.COMPUTE,
  buffer: { type: 'uniform', minBindingSize: kBatchNormBytes },
});
const actBytes = (s: BatchNormShape): number => 4 * s.racers * s.rows * s.features;
const paramBytes = (s: BatchNormShape): number => 4 * s.racers * s.paramsPerRacer;
const statsBytes = (s: BatchNormShape): number => 4 * s.racers * s.statsPerRacer;

export interface BatchNormTrainBuffers {
  /** The affine output (identity activation), R x N x O. */
  X: GPUBuffer;
  params: GPUBuffer;
  /** act(γ xn + β), R x N x O. */
  Y: GPUBuffer;
  /** Kept for the backward pass: xn (R x N x O) and std (R x O). */
  xn: GPUBuffer;
  stdDev: GPUBuffer;
  /** Running mean and variance, updated in place (start at zero). */
  running: GPUBuffer;
  racers: RacerList;
  /** u32 activation code per racer (createRacerActivations), read when the activation is 'racer'. */
  racerActivations: GPUBuffer;
}

export class BatchNormTrainPass extends ListedRacerPass {
  constructor(device: GPUDevice, options: { workgroupSize?: number } = {}) {
    const read = 'read-only-storage';
    super(
      device,
      'BatchNormTrain',
      kBatchNormWgsl + trainWgsl,
      [
        storageEntry(0, read),
        storageEntry(1, read),
        storageEntry(2, 'storage'),
        storageEntry(3, 'storage'),
        storageEntry(4, 'storage'),
        storageEntry(5, 'storage'),
        storageEntry(6, read),
        uniformEntry(7),
        storageEntry(8, read),
      ],
      options.workgroupSize,
    );
  }

  bindGroup(b: BatchNormTrainBuffers, shape: BatchNormShape, label = 'BatchNormTrain.bindGroup'): PassBinding {
    const words = uniformWords(shape, b.racers, this.name);
    requireBytes(this.name, 'X', b.X, actBytes(shape));
    requireBytes(this.name, 'params', b.params, paramBytes(shape));
    requireBytes(this.name, 'Y', b.Y, actBytes(shape));
    requireBytes(this.name, 'xn', b.xn, actBytes(shape));
    requireBytes(this.name, 'stdDev', b.stdDev, 4 * shape.racers * shape.features);
    requireBytes(this.name, 'running', b.running, statsBytes(shape));
    requireBytes(this.name, 'racerActivations', b.racerActivations, 4 * shape.racers);
    const acts = { binding: 0, resource: { buffer: b.racerActivations } };
    return this.bind([b.X, b.params, b.Y, b.xn, b.stdDev, b.running, b.racers.buffer], words, this.grid(shape.features, b.racers), label, [acts]);
  }
}

export interface BatchNormEvalBuffers {
  X: GPUBuffer;
  params: GPUBuffer;
  Y: GPUBuffer;
  running: GPUBuffer;
  racers: RacerList;
  racerActivations: GPUBuffer;
}

export class BatchNormEvalPass extends ListedRacerPass {
  constructor(device: GPUDevice, options: { workgroupSize?: number } = {}) {
    const read = 'read-only-storage';
    super(
      device,
      'BatchNormEval',
      kBatchNormWgsl + evalWgsl,
      [
        storageEntry(0, read),
        storageEntry(1, read),
        storageEntry(2, 'storage'),
        storageEntry(3, read),
        storageEntry(4, read),
        uniformEntry(5),
        storageEntry(6, read),
      ],
      options.workgroupSize,
    );
  }

  bindGroup(b: BatchNormEvalBuffers, shape: BatchNormShape, label = 'BatchNormEval.bindGroup'): PassBinding {
    const words = uniformWords(shape, b.racers, this.name);
    requireBytes(this.name, 'X', b.X, actBytes(shape));
    requireBytes(this.name, 'params', b.params, paramBytes(shape));
    requireBytes(this.name, 'Y', b.Y, actBytes(shape));
    requireBytes(this.name, 'running', b.running, statsBytes(shape));
    requireBytes(this.name, 'racerActivations', b.racerActivations, 4 * shape.racers);
    const acts = { binding: 0, resource: { buffer: b.racerActivations } };
    return this.bind([b.X, b.params, b.Y, b.running, b.racers.buffer], words, this.grid(shape.rows * shape.features, b.racers), label, [acts]);
  }
}

export interface BatchNormBackwardBuffers {
  /** Gradient of γ xn + β (after the activation's derivative), R x N x O. */
  dOut: GPUBuffer;
  params: GPUBuffer;
  /** xn and std of this iteration's BatchNormTrainPass. */
  xn: GPUBuffer;
  stdDev: GPUBuffer;
  /** Gradient of its input (the affine output), R x N x O; must not be dOut. */
  dX: GPUBuffer;
  /** dγ and dβ are written at γ's and β's places. */
  grads: GPUBuffer;
  racers: RacerList;
}

export class BatchNormBackwardPass extends ListedRacerPass {
  constructor(device: GPUDevice, options: { workgroupSize?: number } = {}) {
    const read = 'read-only-storage';
    super(
      device,
      'BatchNormBackward',
      kBatchNormWgsl + backwardWgsl,
      [
        storageEntry(0, read),
        storageEntry(1, read),
        storageEntry(2, read),
        storageEntry(3, read),
        storageEntry(4, 'storage'),
        storageEntry(5, 'storage'),
        storageEntry(6, read),
        uniformEntry(7),
      ],
      options.workgroupSize,
    );
  }

  bindGroup(b: BatchNormBackwardBuffers, shape: BatchNormShape, label = 'BatchNormBackward.bindGroup'): PassBinding {
    const words = uniformWords(shape, b.racers, this.name);
    requireBytes(this.name, 'dOut', b.dOut, actBytes(shape));
    requireBytes(this.name, 'params', b.params, paramBytes(shape));
    requireBytes(this.name, 'xn', b.xn, actBytes(shape));
    requireBytes(this.name, 'stdDev', b.stdDev, 4 * shape.racers * shape.features);
    requireBytes(this.name, 'dX', b.dX, actBytes(shape));
    requireBytes(this.name, 'grads', b.grads, paramBytes(shape));
    return this.bind([b.dOut, b.params, b.xn, b.stdDev, b.dX, b.grads, b.racers.buffer], words, this.grid(shape.features, b.racers), label);
  }
}
