/**
 * The batch-norm passes of one hidden layer, each serving only the racers that use batch norm
 * (a RacerList) with one dispatch; the book's exact semantics (./batch-norm-reference.ts):
 *   BatchNormTrainPass     Y = γ xn + β with the batch's statistics; keeps xn and std; moves the
 *                          running statistics (batch_norm_forward_train.wgsl)
 *   BatchNormEvalPass      Y = γ (x − running mean) / sqrt(running var + ε) + β (batch_norm_forward_eval.wgsl)
 *   BatchNormBackwardPass  dγ, dβ into grads and dX (batch_norm_backward.wgsl)
 * Not yet wired into the race: γ and β are read from the params buffer (and dγ, dβ written to
 * grads) at offsets the caller gives, so the race's layout decides where they live and the
 * racer's optimizer steps them like any weight. Layouts: shaders/nn/batch_norm_common.wgsl.
 */
import commonWgsl from '../../shaders/nn/batch_norm_common.wgsl?raw';
import backwardWgsl from '../../shaders/nn/batch_norm_backward.wgsl?raw';
import evalWgsl from '../../shaders/nn/batch_norm_forward_eval.wgsl?raw';
import trainWgsl from '../../shaders/nn/batch_norm_forward_train.wgsl?raw';
import { type PassBinding, requireBytes, storageEntry } from './gpu-common';
import { ListedRacerPass, type RacerList } from './listed-racer-pass';
import { checkCount } from './shape';

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
  return Uint32Array.from([s.rows, s.features, s.paramsPerRacer, s.gammaOffset, s.betaOffset, s.statsPerRacer, s.statsOffset, 0]);
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
  /** γ xn + β, R x N x O (the activation's input). */
  Y: GPUBuffer;
  /** Kept for the backward pass: xn (R x N x O) and std (R x O). */
  xn: GPUBuffer;
  stdDev: GPUBuffer;
  /** Running mean and variance, updated in place (start at zero). */
  running: GPUBuffer;
  racers: RacerList;
}

export class BatchNormTrainPass extends ListedRacerPass {
  constructor(device: GPUDevice, options: { workgroupSize?: number } = {}) {
    const read = 'read-only-storage';
    super(
      device,
      'BatchNormTrain',
      commonWgsl + trainWgsl,
      [
        storageEntry(0, read),
        storageEntry(1, read),
        storageEntry(2, 'storage'),
        storageEntry(3, 'storage'),
        storageEntry(4, 'storage'),
        storageEntry(5, 'storage'),
        storageEntry(6, read),
        uniformEntry(7),
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
    return this.bind([b.X, b.params, b.Y, b.xn, b.stdDev, b.running, b.racers.buffer], words, this.grid(shape.features, b.racers), label);
  }
}

export interface BatchNormEvalBuffers {
  X: GPUBuffer;
  params: GPUBuffer;
  Y: GPUBuffer;
  running: GPUBuffer;
  racers: RacerList;
}

export class BatchNormEvalPass extends ListedRacerPass {
  constructor(device: GPUDevice, options: { workgroupSize?: number } = {}) {
    const read = 'read-only-storage';
    super(
      device,
      'BatchNormEval',
      commonWgsl + evalWgsl,
      [storageEntry(0, read), storageEntry(1, read), storageEntry(2, 'storage'), storageEntry(3, read), storageEntry(4, read), uniformEntry(5)],
      options.workgroupSize,
    );
  }

  bindGroup(b: BatchNormEvalBuffers, shape: BatchNormShape, label = 'BatchNormEval.bindGroup'): PassBinding {
    const words = uniformWords(shape, b.racers, this.name);
    requireBytes(this.name, 'X', b.X, actBytes(shape));
    requireBytes(this.name, 'params', b.params, paramBytes(shape));
    requireBytes(this.name, 'Y', b.Y, actBytes(shape));
    requireBytes(this.name, 'running', b.running, statsBytes(shape));
    return this.bind([b.X, b.params, b.Y, b.running, b.racers.buffer], words, this.grid(shape.rows * shape.features, b.racers), label);
  }
}

export interface BatchNormBackwardBuffers {
  /** Gradient of the batch norm's output (after the activation's derivative), R x N x O. */
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
      commonWgsl + backwardWgsl,
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
