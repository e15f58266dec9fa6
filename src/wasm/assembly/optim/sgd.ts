/**
 * SGD (seed): p -= lr * g. The WebAssembly rule of the registry's 'sgd' (src/optim/registry.ts,
 * whose float64 `reference` it is checked against; shaders/optim/sgd.wgsl is the WGSL one).
 * Parameters: the vectors p and g, then the state vectors (none), `count` floats (a multiple of 4),
 * then the step scalars named and ordered as the entry's stepFields.
 */
export function update(p: usize, g: usize, count: i32, lr: f32): void {
  const LR = f32x4.splat(lr);
  for (let i: usize = 0, end = (<usize>count) << 2; i < end; i += 16) {
    v128.store(p + i, f32x4.sub(v128.load(p + i), f32x4.mul(LR, v128.load(g + i))));
  }
}
