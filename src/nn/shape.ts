/**
 * What the affine kernels need to know about one layer of all racers (the WGSL `Layer` uniform in
 * shaders/nn/common.wgsl), shared by the GPU passes and the float64 references.
 * N = batch, I = inputs, O = outputs, R = racers, P = floats per racer.
 */
import { activationCode, type Activation, type LayerLayout, type NetworkLayout } from './layout';

/** A fixed activation, or 'racer': each racer's own (from the racerActivations array). */
export type LayerActivation = Activation | 'racer';

/** The kernels' code for 'racer' (kRacerActivation in common.wgsl). */
export const kRacerActivationCode = 4;

export function layerActivationCode(a: LayerActivation): number {
  return a === 'racer' ? kRacerActivationCode : activationCode(a);
}

export interface LayerShape {
  rows: number; // N
  racers: number; // R
  paramsPerRacer: number; // P
  layer: LayerLayout; // I, O and the offsets of W and b in a racer's block
  /** Every racer reads the same X (the network input X0): racer stride 0 instead of N * I. */
  sharedInput: boolean;
  /** Applied to Y by the forward pass. */
  outputActivation: LayerActivation;
  /** The activation that produced X; its derivative masks dX in the backward data pass. */
  inputActivation: LayerActivation;
}

/** Layer `l` of the MLP: hidden layers use each racer's activation, the output layer none. */
export function mlpLayerShape(layout: NetworkLayout, l: number, rows: number, racers: number): LayerShape {
  const layer = layout.layers[l];
  if (!layer) throw new Error(`layer ${l} does not exist: the network has ${layout.layers.length} layers`);
  checkCount('rows (batch size)', rows);
  checkCount('racers', racers);
  const last = l === layout.layers.length - 1;
  return {
    rows,
    racers,
    paramsPerRacer: layout.paramsPerRacer,
    layer,
    sharedInput: l === 0,
    outputActivation: last ? 'identity' : 'racer',
    inputActivation: l === 0 ? 'identity' : 'racer',
  };
}

/** Floats between racers in X. */
export function xRacerStride(shape: LayerShape): number {
  return shape.sharedInput ? 0 : shape.rows * shape.layer.inputs;
}

/** The 12 u32 of the WGSL Layer uniform. */
export function layerUniformWords(shape: LayerShape): Uint32Array<ArrayBuffer> {
  const { layer } = shape;
  return Uint32Array.from([
    shape.rows,
    layer.inputs,
    layer.outputs,
    shape.paramsPerRacer,
    layer.weightOffset,
    layer.biasOffset,
    xRacerStride(shape),
    layerActivationCode(shape.outputActivation),
    layerActivationCode(shape.inputActivation),
    0,
    0,
    0,
  ]);
}

export function checkCount(what: string, n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > 0xffffffff) throw new Error(`${what} must be a positive whole number, got ${n}`);
}

/** The activation racer r uses for a layer activation of this kind. */
export function racerActivation(a: LayerActivation, racerActivations: readonly Activation[], r: number): Activation {
  if (a !== 'racer') return a;
  const own = racerActivations[r];
  if (own === undefined) throw new Error(`no activation given for racer ${r} (${racerActivations.length} given)`);
  return own;
}
