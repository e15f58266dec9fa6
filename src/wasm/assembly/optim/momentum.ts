/**
 * Momentum (seed): v = momentum * v - lr * g; p += v. The WebAssembly rule of the registry's
 * 'momentum' (src/optim/registry.ts; shaders/optim/momentum.wgsl is the WGSL one).
 */
export function update(p: usize, g: usize, v: usize, count: i32, lr: f32, momentum: f32): void {
  const LR = f32x4.splat(lr);
  const MU = f32x4.splat(momentum);
  for (let i: usize = 0, end = (<usize>count) << 2; i < end; i += 16) {
    const vi = f32x4.sub(f32x4.mul(MU, v128.load(v + i)), f32x4.mul(LR, v128.load(g + i)));
    v128.store(v + i, vi);
    v128.store(p + i, f32x4.add(v128.load(p + i), vi));
  }
}
