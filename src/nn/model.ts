/**
 * The seed's MultiLayerNet (Deep Learning from Scratch, common/multi_layer_net.py) in TypeScript
 * for one racer: seeded weight init, and a float64 forward / backward / loss built on the kernel
 * references, so the GPU passes and this model compute the same thing.
 * N = batch, I = inputs, O = outputs, P = floats per racer, D = input pixels, C = classes.
 */
import { seededGaussian } from '../util/random';
import type { Activation, NetworkLayout } from './layout';
import { affineBackwardData, affineBackwardWeights, affineForward, kLogEpsilon, softmaxCrossEntropy } from './reference';
import { mlpLayerShape, type LayerShape } from './shape';
import { weightStd, type WeightInit } from './weight-init';

/**
 * One racer's block of P parameters: every W ~ N(0, std^2) with std from `init` and the layer's
 * fan-in (its inputs), drawn row-major layer after layer from seededGaussian(seed); biases and
 * padding 0; γ 1 and β 0 when the layout has batch norm. The same seed always gives the same block.
 */
export function initParams(layout: NetworkLayout, init: WeightInit, seed: number): Float32Array {
  const params = new Float32Array(layout.paramsPerRacer);
  const gaussian = seededGaussian(seed);
  for (const layer of layout.layers) {
    const std = weightStd(init, layer.inputs);
    const end = layer.weightOffset + layer.inputs * layer.outputs;
    for (let k = layer.weightOffset; k < end; k++) params[k] = std * gaussian();
  }
  // Batch norm's γ starts at 1 (β at 0), as the book's; W and b are drawn as without it.
  layout.batchNorm.forEach((bn, l) => params.fill(1, bn.gammaOffset, bn.gammaOffset + layout.sizes[l + 1]));
  return params;
}

function shapes(layout: NetworkLayout, rows: number): LayerShape[] {
  return layout.layers.map((_, l) => mlpLayerShape(layout, l, rows, 1));
}

function checkInput(layout: NetworkLayout, params: ArrayLike<number>, X: ArrayLike<number>, rows: number): void {
  if (params.length < layout.paramsPerRacer) throw new Error(`params hold ${params.length} numbers, the network needs ${layout.paramsPerRacer}`);
  if (X.length !== rows * layout.sizes[0]) throw new Error(`X holds ${X.length} numbers, ${rows} rows of ${layout.sizes[0]} need ${rows * layout.sizes[0]}`);
}

/** Every layer's output for one racer (hidden activations, then the logits), each N x O. */
export function cpuForward(layout: NetworkLayout, params: ArrayLike<number>, activation: Activation, X: ArrayLike<number>, rows: number): Float64Array[] {
  checkInput(layout, params, X, rows);
  const outputs: Float64Array[] = [];
  let input: ArrayLike<number> = X;
  for (const shape of shapes(layout, rows)) {
    input = affineForward(input, params, shape, [activation]);
    outputs.push(input as Float64Array);
  }
  return outputs;
}

/** The seed's loss: -mean log(softmax[t] + epsilon) (epsilon 1e-7 as the seed; 0 for exact calculus). */
export function cpuLoss(
  layout: NetworkLayout,
  params: ArrayLike<number>,
  activation: Activation,
  X: ArrayLike<number>,
  labels: ArrayLike<number>,
  epsilon = kLogEpsilon,
): number {
  const N = labels.length;
  const logits = cpuForward(layout, params, activation, X, N).at(-1)!;
  return softmaxCrossEntropy(logits, labels, N, layout.sizes[layout.sizes.length - 1], 1, epsilon).loss[0];
}

export interface CpuGradient {
  loss: number;
  /** P floats, the params layout (padding 0). */
  grads: Float64Array;
  /** Rows whose first maximum logit is the label. */
  correct: number;
}

/** Forward, loss and backward of one racer on a batch (N = labels.length). */
export function cpuGradient(
  layout: NetworkLayout,
  params: ArrayLike<number>,
  activation: Activation,
  X: ArrayLike<number>,
  labels: ArrayLike<number>,
): CpuGradient {
  const N = labels.length;
  const layerShapes = shapes(layout, N);
  const outputs = cpuForward(layout, params, activation, X, N);
  const inputs: ArrayLike<number>[] = [X, ...outputs];
  const C = layout.sizes[layout.sizes.length - 1];
  const { loss, dLogits, correct } = softmaxCrossEntropy(outputs[outputs.length - 1], labels, N, C);
  const grads = new Float64Array(layout.paramsPerRacer);
  let dY: ArrayLike<number> = dLogits;
  for (let l = layerShapes.length - 1; l >= 0; l--) {
    affineBackwardWeights(inputs[l], dY, layerShapes[l], grads);
    if (l > 0) dY = affineBackwardData(dY, params, inputs[l], layerShapes[l], [activation]);
  }
  return { loss: loss[0], grads, correct: correct[0] };
}
