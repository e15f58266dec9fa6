/**
 * The three GPU passes of an affine layer, each serving every racer with one dispatch:
 *   AffineForwardPass          Y = act(X W + b)                 (affine_forward.wgsl)
 *   AffineBackwardDataPass     dX = (dY W^T) * act'(X)          (matmul_backward_data.wgsl)
 *   AffineBackwardWeightsPass  dW = X^T dY, db = colsum(dY)     (matmul_backward_weights.wgsl)
 * All three share the matmul scheme of shaders/nn/common.wgsl, tuned by MatmulTiling: 4x4
 * micro-tiles per thread through shared-memory tiles ('shared', for real GPUs), or 8x4 micro-tiles
 * read straight from the buffers ('direct', for CPU emulations such as SwiftShader and lavapipe).
 */
import commonWgsl from '../../shaders/nn/common.wgsl?raw';
import forwardWgsl from '../../shaders/nn/affine_forward.wgsl?raw';
import backwardDataWgsl from '../../shaders/nn/matmul_backward_data.wgsl?raw';
import backwardWeightsWgsl from '../../shaders/nn/matmul_backward_weights.wgsl?raw';
import { classifyAdapter } from '../gpu/adapter-kind';
import { ComputePass } from './compute-pass';
import { type BindingKind, kLayerLayout, type LayerUniform, type PassBinding, requireBytes } from './gpu-common';
import { xRacerStride } from './shape';

export type MatmulStrategy = 'shared' | 'direct';

/** Workgroup = threadsN x threadsM threads, each computing 4x4 ('shared') or 8x4 ('direct') outputs; 'shared' advances K by tileK. */
export interface MatmulTiling {
  strategy?: MatmulStrategy;
  threadsM?: number;
  threadsN?: number;
  tileK?: number;
}

const kMicro = 4; // kMicro in common.wgsl
const kDirectRows = 8; // kDirectRows in common.wgsl

/**
 * The tiling each strategy uses unless told otherwise. 'direct' 8x4 was among the fastest on
 * lavapipe (2 shared cores, noisy: forward + backward of the seed race, 6 racers, batch 128, in
 * about 100 ms against about 500 ms for 'shared'); 'shared' 8x8 (32x32 output tiles) is the
 * classic choice for real GPUs and has not been tuned on one yet.
 */
export const kDefaultTilings: Record<MatmulStrategy, Required<MatmulTiling>> = {
  shared: { strategy: 'shared', threadsM: 8, threadsN: 8, tileK: 16 },
  direct: { strategy: 'direct', threadsM: 8, threadsN: 4, tileK: 16 },
};

/** 'direct' on CPU emulations (software adapters), 'shared' on real GPUs. */
export function preferredMatmulStrategy(device: GPUDevice): MatmulStrategy {
  // adapterInfo is recent; without it, classifyAdapter assumes a real GPU.
  const info = (device as GPUDevice & { adapterInfo?: GPUAdapterInfo }).adapterInfo;
  return classifyAdapter(info).kind === 'software' ? 'direct' : 'shared';
}

function resolveTiling(device: GPUDevice, t: MatmulTiling): Required<MatmulTiling> {
  const strategy = t.strategy ?? preferredMatmulStrategy(device);
  if (strategy !== 'shared' && strategy !== 'direct') throw new Error(`matmul strategy must be 'shared' or 'direct', got '${String(strategy)}'`);
  const tiling = { ...kDefaultTilings[strategy], ...t, strategy };
  const { threadsM, threadsN, tileK } = tiling;
  if (![threadsM, threadsN, tileK].every((v) => Number.isInteger(v) && v >= 1)) {
    throw new Error(`matmul tiling must be positive whole numbers, got ${JSON.stringify(tiling)}`);
  }
  const threads = threadsM * threadsN;
  if (threads > device.limits.maxComputeInvocationsPerWorkgroup) {
    throw new Error(`matmul tiling: ${threads} threads per workgroup exceed the device's ${device.limits.maxComputeInvocationsPerWorkgroup}`);
  }
  const tileM = threadsM * kMicro;
  const tileN = threadsN * kMicro;
  const bytes = 4 * (tileM * (tileK + 1) + tileK * (tileN + 1));
  if (strategy === 'shared' && bytes > device.limits.maxComputeWorkgroupStorageSize) {
    throw new Error(`matmul tiling: ${bytes} bytes of shared memory exceed the device's ${device.limits.maxComputeWorkgroupStorageSize}`);
  }
  return tiling;
}

/** One matmul kernel; its entry point is main or direct (by strategy) + the variant's entrySuffix. */
export abstract class MatmulPass extends ComputePass {
  readonly tiling: Required<MatmulTiling>;

  /** `code` and `bindings`: the plain pass's; the variant adds its own to both. */
  protected constructor(
    device: GPUDevice,
    name: string,
    code: string,
    bindings: readonly BindingKind[],
    tiling: MatmulTiling,
    private readonly variant: MatmulVariant,
  ) {
    const t = resolveTiling(device, tiling);
    super(device, variant.name ?? name, [...bindings, ...variant.bindings], {
      code: commonWgsl + variant.prefix + code + variant.suffix,
      entryPoint: (t.strategy === 'direct' ? 'direct' : 'main') + variant.entrySuffix,
      constants: { kThreadsM: t.threadsM, kThreadsN: t.threadsN, kTileK: t.tileK },
    });
    this.tiling = t;
  }

  /** Grid covering a rows x cols output per racer. */
  protected grid(rows: number, cols: number, racers: number): number[] {
    const { threadsM, threadsN, strategy } = this.tiling;
    const tileM = threadsM * (strategy === 'direct' ? kDirectRows : kMicro);
    return [Math.ceil(cols / (threadsN * kMicro)), Math.ceil(rows / tileM), racers];
  }

  /** The buffers (bindings 0, 1, ...), the Layer uniform, then the variant's entries for `b` (numbered on). */
  protected bind(b: unknown, buffers: GPUBuffer[], layer: LayerUniform, groups: number[], label: string): PassBinding {
    const { entries, owned } = this.variant.entries(this, b, label);
    return this.bindBuffers([...buffers, layer.buffer], entries, groups, label, owned);
  }
}

export function xBytes(layer: LayerUniform): number {
  const s = layer.shape;
  return 4 * ((s.racers - 1) * xRacerStride(s) + s.rows * s.layer.inputs);
}
export const yBytes = (layer: LayerUniform): number => 4 * layer.shape.racers * layer.shape.rows * layer.shape.layer.outputs;
export const paramBytes = (layer: LayerUniform): number => 4 * layer.shape.racers * layer.shape.paramsPerRacer;
const activationBytes = (layer: LayerUniform): number => 4 * layer.shape.racers;

/**
 * A kernel with a different epilogue (./regularized-affine-passes.ts): WGSL put before and after the
 * pass's own file, its extra bindings (after the plain ones), the suffix of its entry points
 * (main<suffix>, direct<suffix>), and what it binds there. The plain pass has none.
 */
export interface MatmulVariant {
  name?: string;
  prefix: string;
  suffix: string;
  bindings: BindingKind[];
  entrySuffix: string;
  /** The extra bindings' buffers, checked against the pass's buffers `b` (the variant's own type), and buffers it made for them. */
  entries(pass: MatmulPass, b: unknown, label: string): VariantEntries;
}

export interface VariantEntries {
  entries: GPUBufferBinding[];
  owned: GPUBuffer[];
}

const read = 'read-only-storage';
const kPlain: MatmulVariant = { prefix: '', suffix: '', bindings: [], entrySuffix: '', entries: () => ({ entries: [], owned: [] }) };

export interface AffineForwardBuffers {
  /** The layer's input: X0 (shared, layer 0) or acts[l - 1]. */
  X: GPUBuffer;
  params: GPUBuffer;
  /** acts[l], R x N x O. */
  Y: GPUBuffer;
  /** u32 activation code per racer (createRacerActivations). */
  racerActivations: GPUBuffer;
  layer: LayerUniform;
}

/** Y[r] = act(X[r] W[r] + b[r]): binds X, params, Y, racerActivations and the Layer uniform. */
export class AffineForwardPass extends MatmulPass {
  /** `variant`: a kernel appended to affine_forward.wgsl (and the code it needs before), its extra bindings and entry points' suffix. */
  constructor(device: GPUDevice, tiling: MatmulTiling = {}, variant: MatmulVariant = kPlain) {
    super(device, 'AffineForward', forwardWgsl, [read, read, 'storage', read, kLayerLayout], tiling, variant);
  }

  bindGroup(b: AffineForwardBuffers, label = 'AffineForward.bindGroup'): PassBinding {
    requireBytes(this.name, 'X', b.X, xBytes(b.layer));
    requireBytes(this.name, 'params', b.params, paramBytes(b.layer));
    requireBytes(this.name, 'Y', b.Y, yBytes(b.layer));
    requireBytes(this.name, 'racerActivations', b.racerActivations, activationBytes(b.layer));
    const s = b.layer.shape;
    return this.bind(b, [b.X, b.params, b.Y, b.racerActivations], b.layer, this.grid(s.rows, s.layer.outputs, s.racers), label);
  }
}

export interface AffineBackwardDataBuffers {
  /** dActs[l], R x N x O. */
  dY: GPUBuffer;
  params: GPUBuffer;
  /** The layer's input acts[l - 1] (never X0: the first layer has no dX). */
  X: GPUBuffer;
  /** dActs[l - 1], R x N x I. */
  dX: GPUBuffer;
  racerActivations: GPUBuffer;
  layer: LayerUniform;
}

/** dX[r] = (dY[r] W[r]^T) * act'(X[r]): binds dY, params, X, dX, racerActivations and the Layer uniform. */
export class AffineBackwardDataPass extends MatmulPass {
  constructor(device: GPUDevice, tiling: MatmulTiling = {}, variant: MatmulVariant = kPlain) {
    super(device, 'AffineBackwardData', backwardDataWgsl, [read, read, read, 'storage', read, kLayerLayout], tiling, variant);
  }

  bindGroup(b: AffineBackwardDataBuffers, label = 'AffineBackwardData.bindGroup'): PassBinding {
    const s = b.layer.shape;
    requireBytes(this.name, 'dY', b.dY, yBytes(b.layer));
    requireBytes(this.name, 'params', b.params, paramBytes(b.layer));
    requireBytes(this.name, 'X', b.X, xBytes(b.layer));
    requireBytes(this.name, 'dX', b.dX, 4 * s.racers * s.rows * s.layer.inputs);
    requireBytes(this.name, 'racerActivations', b.racerActivations, activationBytes(b.layer));
    return this.bind(b, [b.dY, b.params, b.X, b.dX, b.racerActivations], b.layer, this.grid(s.rows, s.layer.inputs, s.racers), label);
  }
}

export interface AffineBackwardWeightsBuffers {
  /** The layer's input: X0 (shared, layer 0) or acts[l - 1]. */
  X: GPUBuffer;
  /** dActs[l], R x N x O. */
  dY: GPUBuffer;
  /** Same layout as params; this layer's W and b of every racer are overwritten. */
  grads: GPUBuffer;
  layer: LayerUniform;
}

/** dW[r] = X[r]^T dY[r], db[r] = colsum(dY[r]) into grads: binds X, dY, grads and the Layer uniform. */
export class AffineBackwardWeightsPass extends MatmulPass {
  constructor(device: GPUDevice, tiling: MatmulTiling = {}, variant: MatmulVariant = kPlain) {
    super(device, 'AffineBackwardWeights', backwardWeightsWgsl, [read, read, 'storage', kLayerLayout], tiling, variant);
  }

  bindGroup(b: AffineBackwardWeightsBuffers, label = 'AffineBackwardWeights.bindGroup'): PassBinding {
    const s = b.layer.shape;
    requireBytes(this.name, 'X', b.X, xBytes(b.layer));
    requireBytes(this.name, 'dY', b.dY, yBytes(b.layer));
    requireBytes(this.name, 'grads', b.grads, paramBytes(b.layer));
    // One extra output row: the bias (row I of X^T is all ones).
    return this.bind(b, [b.X, b.dY, b.grads], b.layer, this.grid(s.layer.inputs + 1, s.layer.outputs, s.racers), label);
  }
}
