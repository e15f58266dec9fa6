/**
 * The affine passes with chapter 6's per-element regularisers fused into their epilogues, so
 * dropout costs no dispatch and the L2 gradient none of its own (./affine-passes.ts is the plain
 * form; the maths are shaders/nn/regularization.wgsl's functions):
 *   AffineForwardDropoutPass         Y = dropout(act(X W + b)): the training mask, or x (1 − ratio) in
 *                                    evaluation, for the racers whose RacerDropout applies (affine_forward_dropout.wgsl)
 *   AffineBackwardDataDropoutPass    dX = (dY W^T) · mask · act'(X), the mask of the forward pass that
 *                                    produced X (matmul_backward_data_dropout.wgsl)
 *   AffineBackwardWeightsL2Pass      dW = X^T dY + λ W (racers with λ > 0), db = colsum(dY) (matmul_backward_weights_l2.wgsl)
 * Each serves every racer with one dispatch, as the plain pass does; a race whose racers use none
 * of these options keeps the plain passes.
 */
import dataDropoutWgsl from '../../shaders/nn/matmul_backward_data_dropout.wgsl?raw';
import weightsL2Wgsl from '../../shaders/nn/matmul_backward_weights_l2.wgsl?raw';
import forwardDropoutWgsl from '../../shaders/nn/affine_forward_dropout.wgsl?raw';
import iterationWgsl from '../../shaders/nn/iteration.wgsl?raw';
import {
  AffineBackwardDataPass,
  type AffineBackwardDataBuffers,
  AffineBackwardWeightsPass,
  type AffineBackwardWeightsBuffers,
  AffineForwardPass,
  type AffineForwardBuffers,
  type MatmulPass,
  type MatmulTiling,
  type MatmulVariant,
  type VariantEntries,
} from './affine-passes';
import { type IterationRing, kRingLayout, type LayerUniform, requireBytes, ringSlot, uniformBuffer, uniformLayout } from './gpu-common';
import { kRacerDropoutBytes, kRegularizationWgsl } from './regularization-passes';

/** Where a fused dropout draws its masks: 'mask' in training (forward and backward), 'scale' x (1 − ratio) in evaluation. */
export interface AffineDropoutShape {
  /** The race's seed (u32). */
  seed: number;
  /** Index among all hidden units of the masked layer's unit 0 (the forward's output, the backward's input). */
  firstUnit: number;
  mode: 'mask' | 'scale';
}

export interface FusedDropoutBuffers {
  /** createRacerDropout: which racers this pass drops, with their thresholds and 1 − ratio. */
  racerDropout: GPUBuffer;
  /** Its slots' `iteration` selects the masks (encode with the slot's dynamic offset, in evaluation too). */
  ring: IterationRing;
  dropout: AffineDropoutShape;
}

const read = 'read-only-storage';
/** A fused dropout's kernel after the pass's own WGSL, and its bindings: racerDropout, the dropout uniform, the ring slot. */
const dropoutVariant = (name: string, suffix: string): MatmulVariant => ({
  name,
  prefix: iterationWgsl + kRegularizationWgsl,
  suffix,
  bindings: [read, uniformLayout(16), kRingLayout],
  entrySuffix: 'Dropout',
  entries: dropoutEntries,
});
const kModes = { mask: 1, scale: 2 } as const; // kDropoutMask, kDropoutScale in regularization.wgsl

function dropoutEntries({ device, name: pass }: MatmulPass, b: FusedDropoutBuffers & { layer: LayerUniform }, label: string): VariantEntries {
  const { seed, firstUnit, mode } = b.dropout;
  for (const [what, v] of [
    ['the seed', seed],
    ['firstUnit', firstUnit],
  ] as const) {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new Error(`${pass}: ${what} must be a u32, got ${v}`);
  }
  if (mode !== 'mask' && mode !== 'scale') throw new Error(`${pass}: mode must be 'mask' or 'scale', got '${String(mode)}'`);
  requireBytes(pass, 'racerDropout', b.racerDropout, kRacerDropoutBytes * b.layer.shape.racers);
  const uniform = uniformBuffer(device, `${label}.dropout`, Uint32Array.from([seed, firstUnit, kModes[mode], 0]));
  return { entries: [{ buffer: b.racerDropout }, { buffer: uniform }, ringSlot(b.ring)], owned: [uniform] };
}

export type AffineForwardDropoutBuffers = AffineForwardBuffers & FusedDropoutBuffers;

/** Y[r] = dropout(act(X[r] W[r] + b[r])); encode with the ring slot's offset (`ring.offset(slot)`). */
export class AffineForwardDropoutPass extends AffineForwardPass {
  constructor(device: GPUDevice, tiling: MatmulTiling = {}) {
    super(device, tiling, dropoutVariant('AffineForwardDropout', forwardDropoutWgsl));
  }

  override bindGroup(b: AffineForwardDropoutBuffers, label = 'AffineForwardDropout.bindGroup') {
    return super.bindGroup(b, label);
  }
}

export type AffineBackwardDataDropoutBuffers = AffineBackwardDataBuffers & FusedDropoutBuffers;

/** dX[r] = (dY[r] W[r]^T) · mask · act'(X[r]); encode with the ring slot's offset. */
export class AffineBackwardDataDropoutPass extends AffineBackwardDataPass {
  constructor(device: GPUDevice, tiling: MatmulTiling = {}) {
    super(device, tiling, dropoutVariant('AffineBackwardDataDropout', dataDropoutWgsl));
  }

  override bindGroup(b: AffineBackwardDataDropoutBuffers, label = 'AffineBackwardDataDropout.bindGroup') {
    return super.bindGroup(b, label);
  }
}

export interface AffineBackwardWeightsL2Buffers extends AffineBackwardWeightsBuffers {
  /** W of every racer. */
  params: GPUBuffer;
  /** createRacerLambdas: λ per racer, 0 without the L2 term. */
  lambdas: GPUBuffer;
  /** createRacerActivations: each racer's hidden affine activation, identity for a batch-norm racer (its hidden biases get db = 0). */
  affineActivations: GPUBuffer;
}

function l2Entries({ name: pass }: MatmulPass, b: AffineBackwardWeightsL2Buffers): VariantEntries {
  const s = b.layer.shape;
  requireBytes(pass, 'params', b.params, 4 * s.racers * s.paramsPerRacer);
  requireBytes(pass, 'lambdas', b.lambdas, 4 * s.racers);
  requireBytes(pass, 'affineActivations', b.affineActivations, 4 * s.racers);
  return { entries: [{ buffer: b.params }, { buffer: b.lambdas }, { buffer: b.affineActivations }], owned: [] };
}

/** dW[r] = X[r]^T dY[r] + λ_r W[r], db[r] = colsum(dY[r]) into grads, or 0 for a hidden bias that feeds a batch norm. */
export class AffineBackwardWeightsL2Pass extends AffineBackwardWeightsPass {
  constructor(device: GPUDevice, tiling: MatmulTiling = {}) {
    super(device, tiling, {
      name: 'AffineBackwardWeightsL2',
      prefix: kRegularizationWgsl,
      suffix: weightsL2Wgsl,
      bindings: [read, read, read],
      entrySuffix: 'L2',
      entries: l2Entries,
    });
  }

  override bindGroup(b: AffineBackwardWeightsL2Buffers, label = 'AffineBackwardWeightsL2.bindGroup') {
    return super.bindGroup(b, label);
  }
}
