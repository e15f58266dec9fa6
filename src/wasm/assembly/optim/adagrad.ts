/**
 * AdaGrad (seed): h += g²; p -= lr g / (sqrt(h) + eps). The WebAssembly rule of the registry's
 * 'adagrad' (src/optim/registry.ts; shaders/optim/adagrad.wgsl).
 */
export function update(p: usize, g: usize, h: usize, count: i32, lr: f32, eps: f32): void {
  const LR = f32x4.splat(lr);
  const EPS = f32x4.splat(eps);
  for (let i: usize = 0, end = (<usize>count) << 2; i < end; i += 16) {
    const gi = v128.load(g + i);
    const hi = f32x4.add(v128.load(h + i), f32x4.mul(gi, gi));
    v128.store(h + i, hi);
    v128.store(p + i, f32x4.sub(v128.load(p + i), f32x4.div(f32x4.mul(LR, gi), f32x4.add(f32x4.sqrt(hi), EPS))));
  }
}
