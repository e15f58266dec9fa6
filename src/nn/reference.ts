/**
 * Float64 references of the MLP kernels in shaders/nn/, with the kernels' memory layout (see
 * layout.ts): the tests compare the GPU against these, and the engine's CPU path runs on them.
 * N = batch, I = inputs, O = outputs (C = classes for the loss), R = racers, P = floats per racer.
 */
import type { Activation } from './layout';
import { kNoLabel, pixelValue } from './batch';
import { racerActivation, xRacerStride, type LayerShape } from './shape';

export function activate(a: Activation, x: number): number {
  switch (a) {
    case 'relu':
      return x > 0 ? x : 0;
    case 'sigmoid':
      return 1 / (1 + Math.exp(-x));
    case 'tanh':
      return Math.tanh(x);
    case 'identity':
      return x;
  }
}

/** The activation's derivative through its output y = act(x), as the backward kernels take it. */
export function activationSlope(a: Activation, y: number): number {
  switch (a) {
    case 'relu':
      return y > 0 ? 1 : 0;
    case 'sigmoid':
      return y * (1 - y);
    case 'tanh':
      return 1 - y * y;
    case 'identity':
      return 1;
  }
}

function checkLength(what: string, array: ArrayLike<number>, needed: number): void {
  if (array.length < needed) throw new Error(`${what} holds ${array.length} numbers, the layer needs ${needed}`);
}

/** affine_forward.wgsl: Y[r] = act(X[r] W[r] + b[r]); returns Y (R x N x O). */
export function affineForward(X: ArrayLike<number>, params: ArrayLike<number>, shape: LayerShape, racerActivations: readonly Activation[]): Float64Array {
  const {
    rows: N,
    racers: R,
    paramsPerRacer: P,
    layer: { inputs: I, outputs: O, weightOffset, biasOffset },
  } = shape;
  const xStride = xRacerStride(shape);
  checkLength('X', X, (R - 1) * xStride + N * I);
  checkLength('params', params, R * P);
  const Y = new Float64Array(R * N * O);
  for (let r = 0; r < R; r++) {
    const act = racerActivation(shape.outputActivation, racerActivations, r);
    const w = r * P + weightOffset;
    const b = r * P + biasOffset;
    for (let n = 0; n < N; n++) {
      const y = r * N * O + n * O;
      const x = r * xStride + n * I;
      for (let i = 0; i < I; i++) {
        const xi = X[x + i];
        const wi = w + i * O;
        for (let o = 0; o < O; o++) Y[y + o] += xi * params[wi + o];
      }
      for (let o = 0; o < O; o++) Y[y + o] = activate(act, Y[y + o] + params[b + o]);
    }
  }
  return Y;
}

/**
 * matmul_backward_data.wgsl: dX[r] = (dY[r] W[r]^T) * act'(X[r]), the derivative of the
 * activation that produced the layer's input X, taken through X. Returns dX (R x N x I).
 */
export function affineBackwardData(
  dY: ArrayLike<number>,
  params: ArrayLike<number>,
  X: ArrayLike<number>,
  shape: LayerShape,
  racerActivations: readonly Activation[],
): Float64Array {
  const {
    rows: N,
    racers: R,
    paramsPerRacer: P,
    layer: { inputs: I, outputs: O, weightOffset },
  } = shape;
  const xStride = xRacerStride(shape);
  checkLength('dY', dY, R * N * O);
  checkLength('X', X, (R - 1) * xStride + N * I);
  checkLength('params', params, R * P);
  const dX = new Float64Array(R * N * I);
  for (let r = 0; r < R; r++) {
    const act = racerActivation(shape.inputActivation, racerActivations, r);
    const w = r * P + weightOffset;
    for (let n = 0; n < N; n++) {
      const dy = r * N * O + n * O;
      for (let i = 0; i < I; i++) {
        let sum = 0;
        const wi = w + i * O;
        for (let o = 0; o < O; o++) sum += dY[dy + o] * params[wi + o];
        dX[r * N * I + n * I + i] = sum * activationSlope(act, X[r * xStride + n * I + i]);
      }
    }
  }
  return dX;
}

/**
 * matmul_backward_weights.wgsl: dW[r] = X[r]^T dY[r], db[r] = column sums of dY[r], written into
 * `grads` (R x P, the params layout; other entries untouched). Returns grads.
 */
export function affineBackwardWeights(
  X: ArrayLike<number>,
  dY: ArrayLike<number>,
  shape: LayerShape,
  grads: Float64Array = new Float64Array(shape.racers * shape.paramsPerRacer),
): Float64Array {
  const {
    rows: N,
    racers: R,
    paramsPerRacer: P,
    layer: { inputs: I, outputs: O, weightOffset, biasOffset },
  } = shape;
  const xStride = xRacerStride(shape);
  checkLength('X', X, (R - 1) * xStride + N * I);
  checkLength('dY', dY, R * N * O);
  checkLength('grads', grads, R * P);
  for (let r = 0; r < R; r++) {
    const w = r * P + weightOffset;
    const b = r * P + biasOffset;
    grads.fill(0, w, w + I * O);
    grads.fill(0, b, b + O);
    for (let n = 0; n < N; n++) {
      const dy = r * N * O + n * O;
      const x = r * xStride + n * I;
      for (let i = 0; i < I; i++) {
        const xi = X[x + i];
        const wi = w + i * O;
        for (let o = 0; o < O; o++) grads[wi + o] += xi * dY[dy + o];
      }
      for (let o = 0; o < O; o++) grads[b + o] += dY[dy + o];
    }
  }
  return grads;
}

export interface SoftmaxXentResult {
  /** Per racer: -mean_n log(softmax(logits)[n, t_n] + epsilon). */
  loss: Float64Array;
  /** (softmax - onehot) / N, R x N x C. */
  dLogits: Float64Array;
  /** Per racer: rows whose first maximum is the label. */
  correct: Uint32Array;
}

/** The seed's log(y + 1e-7). */
export const kLogEpsilon = 1e-7;

function checkLabel(label: number, classes: number, n: number): void {
  if (label !== kNoLabel && !(Number.isInteger(label) && label >= 0 && label < classes)) {
    throw new Error(`label ${label} of row ${n} is not a class from 0 to ${classes - 1}`);
  }
}

/** Index of the first maximum of logits[row .. row + C - 1] (numpy's argmax); NaNs never win. Every backend's predicted digit. */
export function argmax(logits: ArrayLike<number>, row: number, C: number): number {
  let best = logits[row];
  let arg = 0;
  for (let c = 1; c < C; c++) {
    if (logits[row + c] > best) {
      best = logits[row + c];
      arg = c;
    }
  }
  return arg;
}

/**
 * softmax_xent.wgsl (the seed's SoftmaxWithLoss). `epsilon` is the seed's 1e-7; the gradient
 * ignores it, as the seed's does. Padding rows (kNoLabel) count p = 0 and are never correct.
 */
export function softmaxCrossEntropy(
  logits: ArrayLike<number>,
  labels: ArrayLike<number>,
  rows: number,
  classes: number,
  racers = 1,
  epsilon = kLogEpsilon,
): SoftmaxXentResult {
  const N = rows;
  const C = classes;
  checkLength('logits', logits, racers * N * C);
  checkLength('labels', labels, N);
  for (let n = 0; n < N; n++) checkLabel(labels[n], C, n);
  const loss = new Float64Array(racers);
  const dLogits = new Float64Array(racers * N * C);
  const correct = new Uint32Array(racers);
  const p = new Float64Array(C);
  for (let r = 0; r < racers; r++) {
    let total = 0;
    for (let n = 0; n < N; n++) {
      const row = r * N * C + n * C;
      const top = argmax(logits, row, C);
      const max = logits[row + top];
      let sum = 0;
      for (let c = 0; c < C; c++) sum += p[c] = Math.exp(logits[row + c] - max);
      const t = labels[n];
      for (let c = 0; c < C; c++) dLogits[row + c] = (p[c] / sum - (c === t ? 1 : 0)) / N;
      total -= Math.log((t === kNoLabel ? 0 : p[t] / sum) + epsilon);
      if (top === t) correct[r]++;
    }
    loss[r] = total / N;
  }
  return { loss, dLogits, correct };
}

/** accuracy.wgsl: per racer, rows whose first maximum is the label. */
export function countCorrect(logits: ArrayLike<number>, labels: ArrayLike<number>, rows: number, classes: number, racers = 1): Uint32Array {
  checkLength('logits', logits, racers * rows * classes);
  checkLength('labels', labels, rows);
  const correct = new Uint32Array(racers);
  for (let r = 0; r < racers; r++) {
    for (let n = 0; n < rows; n++) {
      if (argmax(logits, r * rows * classes + n * classes, classes) === labels[n]) correct[r]++;
    }
  }
  return correct;
}

export interface GatheredBatch {
  /** N x D, pixel / 255 as float32 (bit-identical to the GPU's). */
  X: Float32Array;
  labels: Uint32Array;
}

/**
 * batch_gather.wgsl: rows of `images` (count x D uint8) at `indices`, scaled to [0, 1], and their
 * labels. Indices past the set give padding rows: zeros and kNoLabel.
 */
export function gather(images: Uint8Array, imageLabels: ArrayLike<number>, indices: ArrayLike<number>, pixels: number): GatheredBatch {
  const count = imageLabels.length;
  if (images.length < count * pixels) {
    throw new Error(`${count} images of ${pixels} pixels need ${count * pixels} bytes, got ${images.length}`);
  }
  const N = indices.length;
  const X = new Float32Array(N * pixels);
  const labels = new Uint32Array(N);
  for (let n = 0; n < N; n++) {
    const j = indices[n];
    if (j >= count) {
      labels[n] = kNoLabel;
      continue;
    }
    for (let d = 0; d < pixels; d++) X[n * pixels + d] = pixelValue(images[j * pixels + d]);
    labels[n] = imageLabels[j];
  }
  return { X, labels };
}
