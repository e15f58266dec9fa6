/**
 * Float64 reference of the book's MultiLayerNetExtend (common/multi_layer_net_extend.py;
 * ../shared/docs/CHAPTER6.md) for ONE network with the chapter-6 options: each hidden layer is
 * Affine → [BatchNorm] → activation → [Dropout], the last Affine → softmax cross-entropy
 * (−Σ log(y_t + 1e−7) / N, backward (y − onehot) / N), plus the L2 term. The engines are checked
 * against it. N = batch, I = inputs, O = outputs; arrays row-major N x O.
 *
 * W and b live in a Float64Array laid out as one racer's block of ./layout.ts (networkLayout), so
 * the affine parts are ./reference.ts's; γ and β (hidden layers, when `bn`) are arrays beside it.
 *
 * Where this departs from the book (and the issue): dropout masks come from ./dropout-mask.ts's
 * hash of (seed, racer, iteration, row, unit), not numpy's generator; and the option names are the
 * issue's (`bn`, `dropout`, `l2`), the book's `use_batchnorm`, `dropout_ration`, `weight_decay_lambda`.
 * The seed's race records the training-mode loss of the batch after the update (its plain network
 * has no mode); the book's Trainer records `network.loss` with train_flg=False, i.e. evaluation
 * mode (running statistics, dropout scaled): evaluationLoss. Running statistics move once per
 * iteration, in the training pass of network.gradient (gradient here), as the book's.
 */
import {
  batchNormBackward,
  batchNormForwardEval,
  batchNormForwardTrain,
  nextRunningStats,
  type BatchNormCache,
  type RunningStats,
  zeroRunningStats,
} from './batch-norm-reference';
import { dropoutMask, type MaskCoordinates } from './dropout-mask';
import { networkLayout, type HiddenActivation, type NetworkLayout } from './layout';
import { activate, activationSlope, affineBackwardData, affineBackwardWeights, affineForward, countCorrect, softmaxCrossEntropy } from './reference';
import { addL2Gradient, dropoutBackward, dropoutForwardEval, dropoutForwardTrain, l2Term } from './regularization-reference';
import { mlpLayerShape, type LayerShape } from './shape';

export interface RegularizedMlpOptions {
  /** Layer sizes, input first, classes last: [784, 100, 100, 100, 100, 100, 10] for hidden 100x5. */
  sizes: readonly number[];
  activation: HiddenActivation;
  /** A batch norm after each hidden affine layer. */
  bn: boolean;
  /** Dropout ratio in [0, 1) after each hidden activation; 0: none. */
  dropout: number;
  /** λ of the L2 term; 0: none. */
  l2: number;
}

export interface RegularizedMlpParams {
  /** W and b of every layer, one racer's block of networkLayout(sizes). */
  weights: Float64Array;
  /** Per hidden layer when `bn` (else empty): γ (starts at 1) and β (starts at 0). */
  gamma: Float64Array[];
  beta: Float64Array[];
}

/** Gradients in the shape of the parameters. */
export type RegularizedMlpGradients = RegularizedMlpParams;

export function hiddenLayerCount(options: RegularizedMlpOptions): number {
  return options.sizes.length - 2;
}

function checkOptions(options: RegularizedMlpOptions): NetworkLayout {
  const layout = networkLayout(options.sizes);
  if (options.sizes.length < 3) throw new Error('the network needs at least one hidden layer');
  if (!(options.dropout >= 0 && options.dropout < 1)) throw new Error(`a dropout ratio is in [0, 1), got ${options.dropout}`);
  if (!(options.l2 >= 0)) throw new Error(`λ (l2) must be 0 or more, got ${options.l2}`);
  return layout;
}

/** Zero weights and biases, γ = 1 and β = 0: the caller draws W. */
export function emptyParams(options: RegularizedMlpOptions): RegularizedMlpParams {
  const layout = checkOptions(options);
  const hidden = options.bn ? options.sizes.slice(1, -1) : [];
  return {
    weights: new Float64Array(layout.paramsPerRacer),
    gamma: hidden.map((O) => new Float64Array(O).fill(1)),
    beta: hidden.map((O) => new Float64Array(O)),
  };
}

/** The running statistics before training (zeros), one per hidden layer when `bn`. */
export function initialRunningStats(options: RegularizedMlpOptions): RunningStats[] {
  return options.bn ? options.sizes.slice(1, -1).map(zeroRunningStats) : [];
}

/** Index among all hidden units of the first unit of hidden layer l (the mask hash's `unit`). */
export function firstHiddenUnit(sizes: readonly number[], l: number): number {
  return sizes.slice(1, l + 1).reduce((a, b) => a + b, 0);
}

/** The masks of one training pass (per hidden layer, N x O), drawn by the hash; [] without dropout. */
export function dropoutMasks(options: RegularizedMlpOptions, at: MaskCoordinates, N: number): Float64Array[] {
  if (options.dropout === 0) return [];
  return options.sizes.slice(1, -1).map((O, l) => dropoutMask(options.dropout, at, N, O, firstHiddenUnit(options.sizes, l)));
}

/** Training (batch statistics, the given masks) or evaluation (running statistics, x (1 − ratio)). */
export type ForwardMode = { train: true; masks: readonly Float64Array[] } | { train: false; running: readonly RunningStats[] };

interface HiddenCache {
  /** The affine output (the batch norm's input). */
  a: Float64Array;
  bn?: BatchNormCache;
  /** The activation's output, before dropout. */
  y: Float64Array;
  /** The layer's output: the next layer's input. */
  out: Float64Array;
}

export interface ForwardResult {
  /** N x C logits. */
  scores: Float64Array;
  hidden: HiddenCache[];
  /** Training only: the running statistics after this pass (the book updates them in every training forward pass). */
  running?: RunningStats[];
  N: number;
  X: ArrayLike<number>;
}

function plainShape(layout: NetworkLayout, l: number, N: number): LayerShape {
  return { ...mlpLayerShape(layout, l, N, 1), outputActivation: 'identity', inputActivation: 'identity' };
}

/**
 * The forward pass of X (N x sizes[0]). In training, `running` (the statistics before the pass) is
 * required when `bn`; the result carries the updated ones.
 */
export function forward(
  options: RegularizedMlpOptions,
  params: RegularizedMlpParams,
  X: ArrayLike<number>,
  N: number,
  mode: ForwardMode,
  running: readonly RunningStats[] = [],
): ForwardResult {
  const layout = checkOptions(options);
  const L = layout.layers.length;
  const hidden: HiddenCache[] = [];
  const nextRunning: RunningStats[] = [];
  let input: ArrayLike<number> = X;
  for (let l = 0; l + 1 < L; l++) {
    const O = options.sizes[l + 1];
    const a = affineForward(input, params.weights, plainShape(layout, l, N), []);
    let normalised = a;
    let bn: BatchNormCache | undefined;
    if (options.bn) {
      if (mode.train) {
        const result = batchNormForwardTrain(a, N, O, params.gamma[l], params.beta[l]);
        normalised = result.out;
        bn = result.cache;
        const before = running[l];
        if (!before) throw new Error(`the running statistics of hidden layer ${l} are missing`);
        nextRunning.push(nextRunningStats(before, bn));
      } else {
        normalised = batchNormForwardEval(a, N, O, params.gamma[l], params.beta[l], mode.running[l]);
      }
    }
    const y: Float64Array = normalised.map((v) => activate(options.activation, v));
    let out: Float64Array = y;
    if (options.dropout > 0) out = mode.train ? dropoutForwardTrain(y, mode.masks[l]) : dropoutForwardEval(y, options.dropout);
    hidden.push({ a, bn, y, out });
    input = out;
  }
  const scores = affineForward(input, params.weights, plainShape(layout, L - 1, N), []);
  return { scores, hidden, running: mode.train && options.bn ? nextRunning : undefined, N, X };
}

/** The L2 term over every affine weight matrix (the last included). */
export function weightDecayTerm(options: RegularizedMlpOptions, params: RegularizedMlpParams): number {
  if (options.l2 === 0) return 0;
  const { layers } = networkLayout(options.sizes);
  return l2Term(
    options.l2,
    layers.map((layer) => params.weights.subarray(layer.weightOffset, layer.weightOffset + layer.inputs * layer.outputs)),
  );
}

export interface LossResult {
  /** Cross-entropy plus the L2 term: the loss the book records. */
  loss: number;
  /** (y − onehot) / N, N x C. */
  dScores: Float64Array;
  correct: number;
}

export function loss(options: RegularizedMlpOptions, params: RegularizedMlpParams, pass: ForwardResult, labels: ArrayLike<number>): LossResult {
  const C = options.sizes[options.sizes.length - 1];
  const xent = softmaxCrossEntropy(pass.scores, labels, pass.N, C);
  return { loss: xent.loss[0] + weightDecayTerm(options, params), dScores: xent.dLogits, correct: xent.correct[0] };
}

/** Gradients of the loss for W, b, γ, β from a training pass (masks as in that pass). */
export function backward(
  options: RegularizedMlpOptions,
  params: RegularizedMlpParams,
  pass: ForwardResult,
  dScores: ArrayLike<number>,
  masks: readonly Float64Array[] = [],
): RegularizedMlpGradients {
  const layout = checkOptions(options);
  const L = layout.layers.length;
  const { N, hidden } = pass;
  const grads: RegularizedMlpGradients = { weights: new Float64Array(layout.paramsPerRacer), gamma: [], beta: [] };
  let dOut: ArrayLike<number> = dScores;
  for (let l = L - 1; l >= 0; l--) {
    const shape = plainShape(layout, l, N);
    const input = l === 0 ? pass.X : hidden[l - 1].out;
    affineBackwardWeights(input, dOut, shape, grads.weights);
    if (options.l2 > 0) {
      const { weightOffset: w, inputs: I, outputs: O } = layout.layers[l];
      addL2Gradient(options.l2, params.weights.subarray(w, w + I * O), grads.weights.subarray(w, w + I * O));
    }
    if (l === 0) break;
    const below = hidden[l - 1];
    const O = options.sizes[l];
    let d = affineBackwardData(dOut, params.weights, input, shape, []);
    if (options.dropout > 0) d = dropoutBackward(d, masks[l - 1]);
    d = d.map((v, k) => v * activationSlope(options.activation, below.y[k]));
    if (options.bn && below.bn) {
      const g = batchNormBackward(d, N, O, params.gamma[l - 1], below.bn);
      grads.gamma[l - 1] = g.dGamma;
      grads.beta[l - 1] = g.dBeta;
      d = g.dX;
    }
    dOut = d;
  }
  return grads;
}

export interface GradientResult extends LossResult {
  grads: RegularizedMlpGradients;
  /** The running statistics after the pass (unchanged without `bn`). */
  running: RunningStats[];
}

/**
 * The book's network.gradient(x, t): a training pass with the given masks (drawn by dropoutMasks
 * in a race), its loss and the gradients.
 */
export function gradient(
  options: RegularizedMlpOptions,
  params: RegularizedMlpParams,
  X: ArrayLike<number>,
  labels: ArrayLike<number>,
  N: number,
  running: readonly RunningStats[],
  masks: readonly Float64Array[] = [],
): GradientResult {
  const pass = forward(options, params, X, N, { train: true, masks }, running);
  const result = loss(options, params, pass, labels);
  return { ...result, grads: backward(options, params, pass, result.dScores, masks), running: pass.running ?? [...running] };
}

/**
 * The loss the book's Trainer records after each update: `network.loss(x_batch, t_batch)` with
 * MultiLayerNetExtend's default train_flg=False, so evaluation mode (running statistics, dropout
 * scaled by 1 − ratio) on the batch just trained on, the L2 term included.
 */
export function evaluationLoss(
  options: RegularizedMlpOptions,
  params: RegularizedMlpParams,
  running: readonly RunningStats[],
  X: ArrayLike<number>,
  labels: ArrayLike<number>,
  N: number,
): number {
  return loss(options, params, forward(options, params, X, N, { train: false, running }), labels).loss;
}

/** Accuracy in evaluation mode (running statistics, dropout scaled): the book's network.accuracy. */
export function accuracy(
  options: RegularizedMlpOptions,
  params: RegularizedMlpParams,
  running: readonly RunningStats[],
  X: ArrayLike<number>,
  labels: ArrayLike<number>,
  N: number,
): number {
  const { scores } = forward(options, params, X, N, { train: false, running });
  return countCorrect(scores, labels, N, options.sizes[options.sizes.length - 1])[0] / N;
}
