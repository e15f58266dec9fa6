/**
 * Adamax (PyTorch's torch.optim.Adamax): m = beta1 m + (1 - beta1) g; u = max(beta2 u, |g| + eps);
 * p -= lr correction m / u, the correction 1 / (1 - beta1^t) computed by the registry in float64.
 * The WebAssembly rule of the registry's 'adamax' (src/optim/registry.ts; shaders/optim/adamax.wgsl).
 */
export function update(p: usize, g: usize, m: usize, u: usize, count: i32, lr: f32, beta1: f32, beta2: f32, correction: f32, eps: f32): void {
  const LRT = f32x4.splat(lr * correction);
  const B1 = f32x4.splat(beta1);
  const C1 = f32x4.splat(1 - beta1);
  const B2 = f32x4.splat(beta2);
  const EPS = f32x4.splat(eps);
  for (let i: usize = 0, end = (<usize>count) << 2; i < end; i += 16) {
    const gi = v128.load(g + i);
    const mi = f32x4.add(f32x4.mul(B1, v128.load(m + i)), f32x4.mul(C1, gi));
    const ui = f32x4.max(f32x4.mul(B2, v128.load(u + i)), f32x4.add(f32x4.abs(gi), EPS));
    v128.store(m + i, mi);
    v128.store(u + i, ui);
    v128.store(p + i, f32x4.sub(v128.load(p + i), f32x4.div(f32x4.mul(LRT, mi), ui)));
  }
}
