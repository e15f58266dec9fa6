/**
 * Adam (seed): m += (1 - beta1)(g - m); v += (1 - beta2)(g² - v); p -= lr correction m / (sqrt(v) + eps),
 * the bias correction sqrt(1 - beta2^t) / (1 - beta1^t) computed by the registry in float64. The
 * WebAssembly rule of the registry's 'adam' (src/optim/registry.ts; shaders/optim/adam.wgsl).
 */
export function update(p: usize, g: usize, m: usize, v: usize, count: i32, lr: f32, beta1: f32, beta2: f32, correction: f32, eps: f32): void {
  const LRT = f32x4.splat(lr * correction);
  const B1 = f32x4.splat(1 - beta1);
  const B2 = f32x4.splat(1 - beta2);
  const EPS = f32x4.splat(eps);
  for (let i: usize = 0, end = (<usize>count) << 2; i < end; i += 16) {
    const gi = v128.load(g + i);
    let mi = v128.load(m + i);
    let vi = v128.load(v + i);
    mi = f32x4.add(mi, f32x4.mul(B1, f32x4.sub(gi, mi)));
    vi = f32x4.add(vi, f32x4.mul(B2, f32x4.sub(f32x4.mul(gi, gi), vi)));
    v128.store(m + i, mi);
    v128.store(v + i, vi);
    v128.store(p + i, f32x4.sub(v128.load(p + i), f32x4.div(f32x4.mul(LRT, mi), f32x4.add(f32x4.sqrt(vi), EPS))));
  }
}
