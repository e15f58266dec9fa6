/**
 * The batch-norm passes of one hidden layer, each serving only the racers that use batch norm
 * (a RacerList) with one dispatch, IN PLACE on the layer's activation (or gradient) buffer, so the
 * race's buffers serve plain and batch-norm racers alike; the book's exact semantics
 * (./batch-norm-reference.ts):
 *   BatchNormTrainPass     Y ← dropout(act(γ xn + β)) with the batch's statistics; keeps xn and std;
 *                          moves the running statistics (batch_norm_forward_train.wgsl)
 *   BatchNormEvalPass      Y ← dropout(act(γ (x − running mean) / sqrt(running var + ε) + β)) (batch_norm_forward_eval.wgsl)
 * The forward passes apply the layer's activation and the racer's dropout (the training mask, or
 * x (1 − ratio) in evaluation), fused: the affine pass before them writes its raw output
 * (activation identity, no dropout). The backward pass takes the gradient of γ xn + β, i.e. after
 * the dropout mask and the activation's derivative, which the next layer's backward-data pass applies.
 *   BatchNormBackwardPass  dγ, dβ into grads; dY ← the gradient of the affine output (batch_norm_backward.wgsl)
 * γ and β are read from the params buffer (and dγ, dβ written to grads) at offsets the caller
 * gives, so the race's layout decides where they live and the racer's optimizer steps them like any
 * weight. Layouts: shaders/nn/batch_norm_common.wgsl.
 */
import batchNormWgsl from '../../shaders/nn/batch_norm_common.wgsl?raw';
import commonWgsl from '../../shaders/nn/common.wgsl?raw';
import backwardWgsl from '../../shaders/nn/batch_norm_backward.wgsl?raw';
import evalWgsl from '../../shaders/nn/batch_norm_forward_eval.wgsl?raw';
import trainWgsl from '../../shaders/nn/batch_norm_forward_train.wgsl?raw';
import iterationWgsl from '../../shaders/nn/iteration.wgsl?raw';
import { type IterationRing, kRingLayout, type PassBinding, requireBytes, ringSlot, uniformLayout } from './gpu-common';
import { ListedRacerPass, type RacerList } from './listed-racer-pass';
import { kRacerDropoutBytes, kRegularizationWgsl } from './regularization-passes';
import { checkCount, type LayerActivation, layerActivationCode } from './shape';

/** The activations (common.wgsl), the fused dropout (regularization.wgsl) and the BatchNorm uniform. */
const kBatchNormWgsl = commonWgsl + iterationWgsl + kRegularizationWgsl + batchNormWgsl;

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
  /** The race's seed and this layer's unit 0 among all hidden units: the fused dropout's mask coordinates (default 0). */
  seed?: number;
  firstUnit?: number;
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
  const seed = s.seed ?? 0;
  const firstUnit = s.firstUnit ?? 0;
  for (const [what, v] of [
    ['the seed', seed],
    ['firstUnit', firstUnit],
  ] as const) {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new Error(`${pass}: ${what} must be a u32, got ${v}`);
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
    seed,
    firstUnit,
    0,
    0,
  ]);
}

const read = 'read-only-storage';
const kBatchNormLayout = uniformLayout(48); // sizeof(BatchNorm)
const actBytes = (s: BatchNormShape): number => 4 * s.racers * s.rows * s.features;
const paramBytes = (s: BatchNormShape): number => 4 * s.racers * s.paramsPerRacer;
const statsBytes = (s: BatchNormShape): number => 4 * s.racers * s.statsPerRacer;

export interface BatchNormTrainBuffers {
  /** R x N x O: the affine output (identity activation), replaced by dropout(act(γ xn + β)). */
  Y: GPUBuffer;
  params: GPUBuffer;
  /** Kept for the backward pass: xn (R x N x O) and std (R x O). */
  xn: GPUBuffer;
  stdDev: GPUBuffer;
  /** Running mean and variance, updated in place (start at zero). */
  running: GPUBuffer;
  racers: RacerList;
  /** u32 activation code per racer (createRacerActivations), read when the activation is 'racer'. */
  racerActivations: GPUBuffer;
  /** createRacerDropout: the racers whose dropout applies are masked. */
  racerDropout: GPUBuffer;
  /** Its slots' `iteration` selects the masks (encode with the slot's dynamic offset). */
  ring: IterationRing;
}

export class BatchNormTrainPass extends ListedRacerPass {
  constructor(device: GPUDevice, options: { workgroupSize?: number } = {}) {
    const bindings = ['storage', read, 'storage', 'storage', 'storage', read, kBatchNormLayout, read, read, kRingLayout] as const;
    super(device, 'BatchNormTrain', kBatchNormWgsl + trainWgsl, bindings, options.workgroupSize);
  }

  bindGroup(b: BatchNormTrainBuffers, shape: BatchNormShape, label = 'BatchNormTrain.bindGroup'): PassBinding {
    const words = uniformWords(shape, b.racers, this.name);
    requireBytes(this.name, 'Y', b.Y, actBytes(shape));
    requireBytes(this.name, 'params', b.params, paramBytes(shape));
    requireBytes(this.name, 'xn', b.xn, actBytes(shape));
    requireBytes(this.name, 'stdDev', b.stdDev, 4 * shape.racers * shape.features);
    requireBytes(this.name, 'running', b.running, statsBytes(shape));
    requireBytes(this.name, 'racerActivations', b.racerActivations, 4 * shape.racers);
    requireBytes(this.name, 'racerDropout', b.racerDropout, kRacerDropoutBytes * shape.racers);
    const extra = [{ buffer: b.racerActivations }, { buffer: b.racerDropout }, ringSlot(b.ring)];
    return this.bind([b.Y, b.params, b.xn, b.stdDev, b.running, b.racers.buffer], words, this.grid(shape.features, b.racers), label, extra);
  }
}

export interface BatchNormEvalBuffers {
  /** R x N x O: the affine output, replaced by the layer's output. */
  Y: GPUBuffer;
  params: GPUBuffer;
  running: GPUBuffer;
  racers: RacerList;
  racerActivations: GPUBuffer;
  /** createRacerDropout: the racers whose dropout applies are scaled by 1 − ratio. */
  racerDropout: GPUBuffer;
}

export class BatchNormEvalPass extends ListedRacerPass {
  constructor(device: GPUDevice, options: { workgroupSize?: number } = {}) {
    super(device, 'BatchNormEval', kBatchNormWgsl + evalWgsl, ['storage', read, read, read, kBatchNormLayout, read, read], options.workgroupSize);
  }

  bindGroup(b: BatchNormEvalBuffers, shape: BatchNormShape, label = 'BatchNormEval.bindGroup'): PassBinding {
    const words = uniformWords(shape, b.racers, this.name);
    requireBytes(this.name, 'Y', b.Y, actBytes(shape));
    requireBytes(this.name, 'params', b.params, paramBytes(shape));
    requireBytes(this.name, 'running', b.running, statsBytes(shape));
    requireBytes(this.name, 'racerActivations', b.racerActivations, 4 * shape.racers);
    requireBytes(this.name, 'racerDropout', b.racerDropout, kRacerDropoutBytes * shape.racers);
    const extra = [{ buffer: b.racerActivations }, { buffer: b.racerDropout }];
    return this.bind([b.Y, b.params, b.running, b.racers.buffer], words, this.grid(shape.rows * shape.features, b.racers), label, extra);
  }
}

export interface BatchNormBackwardBuffers {
  /** R x N x O: the gradient of γ xn + β (after the dropout mask and the activation's derivative), replaced by the gradient of the affine output. */
  dY: GPUBuffer;
  params: GPUBuffer;
  /** xn and std of this iteration's BatchNormTrainPass. */
  xn: GPUBuffer;
  stdDev: GPUBuffer;
  /** dγ and dβ are written at γ's and β's places. */
  grads: GPUBuffer;
  racers: RacerList;
}

export class BatchNormBackwardPass extends ListedRacerPass {
  constructor(device: GPUDevice, options: { workgroupSize?: number } = {}) {
    const bindings = ['storage', read, read, read, 'storage', read, kBatchNormLayout] as const;
    super(device, 'BatchNormBackward', kBatchNormWgsl + backwardWgsl, bindings, options.workgroupSize);
  }

  bindGroup(b: BatchNormBackwardBuffers, shape: BatchNormShape, label = 'BatchNormBackward.bindGroup'): PassBinding {
    const words = uniformWords(shape, b.racers, this.name);
    requireBytes(this.name, 'dY', b.dY, actBytes(shape));
    requireBytes(this.name, 'params', b.params, paramBytes(shape));
    requireBytes(this.name, 'xn', b.xn, actBytes(shape));
    requireBytes(this.name, 'stdDev', b.stdDev, 4 * shape.racers * shape.features);
    requireBytes(this.name, 'grads', b.grads, paramBytes(shape));
    return this.bind([b.dY, b.params, b.xn, b.stdDev, b.grads, b.racers.buffer], words, this.grid(shape.features, b.racers), label);
  }
}
