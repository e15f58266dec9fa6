/**
 * Nesterov (seed): p += momentum² v; p -= (1 + momentum) lr g; v = momentum v - lr g. The
 * WebAssembly rule of the registry's 'nesterov' (src/optim/registry.ts; shaders/optim/nesterov.wgsl).
 */
export function update(p: usize, g: usize, v: usize, count: i32, lr: f32, momentum: f32): void {
  const LR = f32x4.splat(lr);
  const MU = f32x4.splat(momentum);
  const MU2 = f32x4.splat(momentum * momentum);
  const LR1 = f32x4.splat((1 + momentum) * lr);
  for (let i: usize = 0, end = (<usize>count) << 2; i < end; i += 16) {
    const gi = v128.load(g + i);
    const vi = v128.load(v + i);
    const pi = f32x4.sub(f32x4.add(v128.load(p + i), f32x4.mul(MU2, vi)), f32x4.mul(LR1, gi));
    v128.store(p + i, pi);
    v128.store(v + i, f32x4.sub(f32x4.mul(MU, vi), f32x4.mul(LR, gi)));
  }
}
