/**
 * Float64 references of the book's dropout and weight decay (common/layers.py `Dropout`,
 * multi_layer_net_extend.py's `weight_decay_lambda`; ../shared/docs/CHAPTER6.md). Arrays are
 * row-major N x O like the rest of src/nn.
 *
 * Dropout is the book's NON-inverted form: training multiplies by the 0/1 mask and nothing else,
 * evaluation scales by (1 - ratio). Frameworks' "inverted" dropout divides by (1 - ratio) in
 * training instead; the two give the same expected activations, not the same numbers.
 * The masks come from ./dropout-mask.ts (a hash, where the book uses numpy's generator).
 *
 * Weight decay here is the book's L2 term (`l2`): 0.5 λ Σ‖W‖² over every affine weight matrix,
 * the last layer's included, in the loss, and λ W in each dW; biases, γ and β are not decayed.
 * It is not AdamW's decoupled `weight_decay` (p -= lr wd p beside the gradient step).
 */

/** Training: x · mask (mask 1 keep, 0 drop). */
export function dropoutForwardTrain(x: ArrayLike<number>, mask: ArrayLike<number>): Float64Array {
  if (mask.length !== x.length) throw new Error(`dropout: the mask holds ${mask.length} numbers, x ${x.length}`);
  return Float64Array.from(x, (v, k) => v * mask[k]);
}

/** Evaluation: x · (1 − ratio). */
export function dropoutForwardEval(x: ArrayLike<number>, ratio: number): Float64Array {
  return Float64Array.from(x, (v) => v * (1 - ratio));
}

/** Backward of the training pass: dout · mask. */
export function dropoutBackward(dOut: ArrayLike<number>, mask: ArrayLike<number>): Float64Array {
  return dropoutForwardTrain(dOut, mask);
}

/** 0.5 λ Σ‖W‖² over the given weight matrices (biases, γ and β are never passed here). */
export function l2Term(lambda: number, weights: readonly ArrayLike<number>[]): number {
  let sum = 0;
  for (const W of weights) for (let k = 0; k < W.length; k++) sum += W[k] * W[k];
  return 0.5 * lambda * sum;
}

/** dW += λ W, in place; returns dW. */
export function addL2Gradient(lambda: number, W: ArrayLike<number>, dW: Float64Array): Float64Array {
  if (dW.length !== W.length) throw new Error(`l2: dW holds ${dW.length} numbers, W ${W.length}`);
  for (let k = 0; k < W.length; k++) dW[k] += lambda * W[k];
  return dW;
}
