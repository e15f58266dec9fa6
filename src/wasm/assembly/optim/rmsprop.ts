/**
 * RMSprop (seed): h = decay h + (1 - decay) g²; p -= lr g / (sqrt(h) + eps). The WebAssembly rule
 * of the registry's 'rmsprop' (src/optim/registry.ts; shaders/optim/rmsprop.wgsl).
 */
export function update(p: usize, g: usize, h: usize, count: i32, lr: f32, decay: f32, eps: f32): void {
  const LR = f32x4.splat(lr);
  const D = f32x4.splat(decay);
  const D1 = f32x4.splat(1 - decay);
  const EPS = f32x4.splat(eps);
  for (let i: usize = 0, end = (<usize>count) << 2; i < end; i += 16) {
    const gi = v128.load(g + i);
    const hi = f32x4.add(f32x4.mul(D, v128.load(h + i)), f32x4.mul(D1, f32x4.mul(gi, gi)));
    v128.store(h + i, hi);
    v128.store(p + i, f32x4.sub(v128.load(p + i), f32x4.div(f32x4.mul(LR, gi), f32x4.add(f32x4.sqrt(hi), EPS))));
  }
}
