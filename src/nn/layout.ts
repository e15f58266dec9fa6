/**
 * Where every number of the race lives on the GPU. Dimension key, used throughout src/nn and
 * shaders/nn:  N = batch, I = inputs of a layer, O = outputs of a layer, R = racers,
 * P = parameters per racer, D = input pixels (784).
 *
 * All racers' parameters share ONE buffer (and their gradients and optimizer state one buffer
 * each, same layout), so that one dispatch can serve every racer and the optimizer can update a
 * racer's whole network with a single dispatch:
 *
 *   params[r * P + layer.weightOffset + i * O + o]   W of layer `layer`, row-major I x O
 *   params[r * P + layer.biasOffset + o]            b of layer `layer`
 *
 * Activations are per racer, row-major N x O: acts[r * N * O + n * O + o]. The network input
 * (the gathered batch, N x D) is shared by every racer (racer stride 0).
 */

export const kActivations = ['identity', 'relu', 'sigmoid', 'tanh'] as const;
export type Activation = (typeof kActivations)[number];
/** The activations a racer's hidden layers may use (the output layer is identity + softmax). */
export const kHiddenActivations = ['relu', 'sigmoid', 'tanh'] as const;
export type HiddenActivation = (typeof kHiddenActivations)[number];

/** Index of an activation in the WGSL kernels' `activation` fields. */
export function activationCode(a: Activation): number {
  return kActivations.indexOf(a);
}

export interface LayerLayout {
  inputs: number; // I
  outputs: number; // O
  weightOffset: number;
  biasOffset: number;
}

export interface NetworkLayout {
  /** Layer sizes, input first: the seed's is [784, 100, 100, 100, 100, 10]. */
  sizes: readonly number[];
  layers: readonly LayerLayout[];
  /** P: floats per racer, a multiple of 64 so racers start on aligned boundaries. */
  paramsPerRacer: number;
}

export const kSeedSizes: readonly number[] = [784, 100, 100, 100, 100, 10];

const alignTo = (n: number, a: number): number => Math.ceil(n / a) * a;

export function networkLayout(sizes: readonly number[]): NetworkLayout {
  if (sizes.length < 2 || !sizes.every((s) => Number.isInteger(s) && s > 0)) {
    throw new Error(`layer sizes must be at least two positive whole numbers, got ${sizes.join('-')}`);
  }
  const layers: LayerLayout[] = [];
  let offset = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const inputs = sizes[l];
    const outputs = sizes[l + 1];
    const weightOffset = offset;
    // Offsets stay 16-byte aligned so kernels may load vec4s.
    const biasOffset = alignTo(weightOffset + inputs * outputs, 4);
    offset = alignTo(biasOffset + outputs, 4);
    layers.push({ inputs, outputs, weightOffset, biasOffset });
  }
  return { sizes: [...sizes], layers, paramsPerRacer: alignTo(offset, 64) };
}
