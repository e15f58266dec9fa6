/**
 * The book's L2 weight decay (float64 reference: src/nn/regularization-reference.ts): each affine
 * weight matrix's dW gains λ W, and the loss gains 0.5 λ Σ‖W‖² over every weight matrix (biases,
 * γ and β are never passed here). work(plan) (race-step.ts) calls addL2Gradient after each dW
 * product and l2Term for the recorded loss of an l2 racer.
 */

/** dW += λ W over count floats (one weight matrix), f32x4 with a scalar tail. */
export function addL2Gradient(w: usize, dw: usize, count: i32, lambda: f32): void {
  const l = f32x4.splat(lambda);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const at = (<usize>i) << 2;
    v128.store(dw + at, f32x4.add(v128.load(dw + at), f32x4.mul(l, v128.load(w + at))));
  }
  for (; i < count; i++) {
    const at = (<usize>i) << 2;
    store<f32>(dw + at, load<f32>(dw + at) + lambda * load<f32>(w + at));
  }
}

/**
 * 0.5 λ Σ W² of one weight matrix, summed in f64 (f64x2): each f32 weight's square is exact in
 * f64, so the term is as good as the float64 reference's for the loss, which is reported in f64.
 */
export function l2Term(w: usize, count: i32, lambda: f64): f64 {
  let s = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const p = w + ((<usize>i) << 2);
    const lo = f64x2.promote_low_f32x4(v128.load64_zero(p));
    const hi = f64x2.promote_low_f32x4(v128.load64_zero(p + 8));
    s = f64x2.add(s, f64x2.add(f64x2.mul(lo, lo), f64x2.mul(hi, hi)));
  }
  let sum = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  for (; i < count; i++) {
    const v = <f64>load<f32>(w + ((<usize>i) << 2));
    sum += v * v;
  }
  return 0.5 * lambda * sum;
}
