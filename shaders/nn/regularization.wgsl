// Chapter 6's per-element regularisers as functions (prepended, after hash.wgsl, to the kernels that
// use them), so the activation and weight-gradient passes can fuse them; dropout.wgsl and
// l2_gradient.wgsl are standalone passes built on them. Exact semantics: src/nn/dropout-mask.ts and
// src/nn/regularization-reference.ts (the book's NON-inverted dropout; L2 on weights only).

// XORed into the seed so masks and minibatches are different hash streams ("drop"): kDropoutStream.
const kDropoutStream = 0x64726f70u;

// Whether the unit is kept in this training pass: (h >> 8) > threshold, threshold =
// floor(ratio * 2^24) from the host (dropoutThreshold), so no f32 rounding can flip a draw.
// `unit` is the unit's index among all hidden units of the network, `row` the batch row.
fn dropoutKeeps(threshold: u32, seed: u32, racer: u32, it: u32, row: u32, unit: u32) -> bool {
  let h = pcgHash(unit + pcgHash(row + pcgHash(it + pcgHash(racer + pcgHash(seed ^ kDropoutStream)))));
  return (h >> 8u) > threshold;
}

// Training forward x * mask, and backward dout * mask: the same product (a product, not a select,
// so a dropped negative value is -0 as in the references).
fn dropoutMasked(x: f32, keeps: bool) -> f32 {
  return x * select(0.0, 1.0, keeps);
}

// Evaluation forward: x * (1 - ratio), keepScale = 1 - ratio computed on the host.
fn dropoutScaled(x: f32, keepScale: f32) -> f32 {
  return x * keepScale;
}

// The L2 term's gradient, dW + lambda W (weights only, never biases, gamma or beta).
fn l2Gradient(dW: f32, w: f32, lambda: f32) -> f32 {
  return dW + lambda * w;
}
