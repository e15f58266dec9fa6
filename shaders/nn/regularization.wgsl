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

// One racer's dropout (createRacerDropout), by racer index. `applies` is 0 where the pass reading
// the array must leave the racer alone: no dropout (a ratio of 0 would still drop a draw of exactly
// 0), or, for the affine forward's epilogue, a batch-norm racer (its batch-norm pass drops instead).
struct RacerDropout {
  threshold: u32,  // floor(ratio * 2^24), dropoutThreshold
  keepScale: f32,  // 1 - ratio
  applies: u32,    // 1: this pass drops (or scales) the racer's units
  _pad: u32,
}

// The fused epilogues' modes (the uniforms' dropoutMode).
const kDropoutNone = 0u;
const kDropoutMask = 1u;
const kDropoutScale = 2u;

// The uniform of the affine passes' fused dropout (affine_forward_dropout.wgsl,
// matmul_backward_data_dropout.wgsl).
struct AffineDropout {
  seed: u32,       // the race's seed
  firstUnit: u32,  // index among all hidden units of the masked layer's unit 0
  mode: u32,       // kDropoutMask (training forward, backward) or kDropoutScale (evaluation)
  _pad: u32,
}

// A fused epilogue's dropout of x, unit `unit` of row `row` of racer `racer` (training: the mask of
// iteration `it`; evaluation: x (1 - ratio)); x itself where the racer's dropout does not apply.
fn dropoutEpilogue(mode: u32, own: RacerDropout, x: f32, seed: u32, racer: u32, it: u32, row: u32, unit: u32) -> f32 {
  if (own.applies == 0u || mode == kDropoutNone) { return x; }
  if (mode == kDropoutScale) { return dropoutScaled(x, own.keepScale); }
  return dropoutMasked(x, dropoutKeeps(own.threshold, seed, racer, it, row, unit));
}

// The L2 term's gradient, dW + lambda W (weights only, never biases, gamma or beta).
fn l2Gradient(dW: f32, w: f32, lambda: f32) -> f32 {
  return dW + lambda * w;
}
