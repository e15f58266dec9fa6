/**
 * AdaDelta (PyTorch's torch.optim.Adadelta): v = rho v + (1 - rho) g²; d = sqrt(u + eps) / sqrt(v + eps) g;
 * u = rho u + (1 - rho) d²; p -= lr d. The WebAssembly rule of the registry's 'adadelta'
 * (src/optim/registry.ts; shaders/optim/adadelta.wgsl).
 */
export function update(p: usize, g: usize, v: usize, u: usize, count: i32, lr: f32, rho: f32, eps: f32): void {
  const LR = f32x4.splat(lr);
  const RHO = f32x4.splat(rho);
  const RHO1 = f32x4.splat(1 - rho);
  const EPS = f32x4.splat(eps);
  for (let i: usize = 0, end = (<usize>count) << 2; i < end; i += 16) {
    const gi = v128.load(g + i);
    const vi = f32x4.add(f32x4.mul(RHO, v128.load(v + i)), f32x4.mul(RHO1, f32x4.mul(gi, gi)));
    const ui = v128.load(u + i);
    const d = f32x4.mul(f32x4.div(f32x4.sqrt(f32x4.add(ui, EPS)), f32x4.sqrt(f32x4.add(vi, EPS))), gi);
    v128.store(v + i, vi);
    v128.store(u + i, f32x4.add(f32x4.mul(RHO, ui), f32x4.mul(RHO1, f32x4.mul(d, d))));
    v128.store(p + i, f32x4.sub(v128.load(p + i), f32x4.mul(LR, d)));
  }
}
