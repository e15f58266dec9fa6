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
 *
 * A race in which some racer uses batch norm (issue 20) lays out γ and β of each hidden layer
 * after every W and b (so W and b sit where they do without it, and the racer's optimizer steps
 * γ and β with its weights), and a second per-racer block holds the running statistics:
 *
 *   params[r * P + bn[l].gammaOffset + o], params[r * P + bn[l].betaOffset + o]   γ, β of hidden layer l
 *   stats[r * S + bn[l].statsOffset + o], stats[r * S + bn[l].statsOffset + O + o] running mean, variance
 *
 * Racers without batch norm carry γ and β too (never read, their gradients stay 0).
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

/** Where one hidden layer's batch norm lives: γ and β in a racer's params block, the running statistics in its stats block. */
export interface BatchNormLayout {
  gammaOffset: number;
  betaOffset: number;
  /** The running mean at statsOffset, the running variance O floats later. */
  statsOffset: number;
}

export interface NetworkLayout {
  /** Layer sizes, input first: the seed's is [784, 100, 100, 100, 100, 10]. */
  sizes: readonly number[];
  layers: readonly LayerLayout[];
  /** P: floats per racer, a multiple of 64 so racers start on aligned boundaries. */
  paramsPerRacer: number;
  /** One per hidden layer when the race has batch norm, else empty. */
  batchNorm: readonly BatchNormLayout[];
  /** S: floats per racer of the running statistics (2 x the hidden units, a multiple of 4); 0 without batch norm. */
  statsPerRacer: number;
}

export interface LayoutOptions {
  /** Room for γ, β and the running statistics of every hidden layer (some racer of the race uses batch norm). */
  batchNorm?: boolean;
}

export const kSeedSizes: readonly number[] = [784, 100, 100, 100, 100, 10];

const alignTo = (n: number, a: number): number => Math.ceil(n / a) * a;

export function networkLayout(sizes: readonly number[], options: LayoutOptions = {}): NetworkLayout {
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
  const batchNorm: BatchNormLayout[] = [];
  let stats = 0;
  if (options.batchNorm) {
    for (const units of sizes.slice(1, -1)) {
      const gammaOffset = offset;
      const betaOffset = alignTo(gammaOffset + units, 4);
      offset = alignTo(betaOffset + units, 4);
      batchNorm.push({ gammaOffset, betaOffset, statsOffset: stats });
      stats = alignTo(stats + 2 * units, 4);
    }
  }
  return { sizes: [...sizes], layers, paramsPerRacer: alignTo(offset, 64), batchNorm, statsPerRacer: stats };
}
