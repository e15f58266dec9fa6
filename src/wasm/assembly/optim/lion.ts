/**
 * Lion (arXiv 2302.06675, Algorithm 2): c = beta1 m + (1 - beta1) g; p -= lr (sign(c) + weight_decay p);
 * m = beta2 m + (1 - beta2) g, with sign(0) = 0 as WGSL's. The WebAssembly rule of the registry's
 * 'lion' (src/optim/registry.ts; shaders/optim/lion.wgsl).
 */
export function update(p: usize, g: usize, m: usize, count: i32, lr: f32, beta1: f32, beta2: f32, weight_decay: f32): void {
  const LR = f32x4.splat(lr);
  const B1 = f32x4.splat(beta1);
  const C1 = f32x4.splat(1 - beta1);
  const B2 = f32x4.splat(beta2);
  const C2 = f32x4.splat(1 - beta2);
  const WD = f32x4.splat(weight_decay);
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  for (let i: usize = 0, end = (<usize>count) << 2; i < end; i += 16) {
    const gi = v128.load(g + i);
    const mi = v128.load(m + i);
    const pi = v128.load(p + i);
    const c = f32x4.add(f32x4.mul(B1, mi), f32x4.mul(C1, gi));
    const sign = f32x4.sub(v128.and(one, f32x4.gt(c, zero)), v128.and(one, f32x4.lt(c, zero)));
    v128.store(p + i, f32x4.sub(pi, f32x4.mul(LR, f32x4.add(sign, f32x4.mul(WD, pi)))));
    v128.store(m + i, f32x4.add(f32x4.mul(B2, mi), f32x4.mul(C2, gi)));
  }
}
