// Lion (Chen et al. 2023, arXiv 2302.06675, Algorithm 2):
//   c = beta1*m + (1-beta1)*g; p -= lr*(sign(c) + weight_decay*p); m = beta2*m + (1-beta2)*g
// sign(0) = 0, as WGSL's sign() gives.
// Bindings, group 0 (one layout shared by every optimizer kernel; one dispatch per optimizer, racer = workgroup y):
//   0 params  storage, read_write  parameters of all racers, flat f32
//   1 grads   storage, read        gradients, same layout as params
//   2 stateA  storage, read_write  m, the momentum (starts at 0)
//   4-6 (common.wgsl)             this racer's OptimStep record, racerStep(at): lr, beta1, beta2, weight_decay
@group(0) @binding(0) var<storage, read_write> params: array<f32>;
@group(0) @binding(1) var<storage, read> grads: array<f32>;
@group(0) @binding(2) var<storage, read_write> momentum: array<f32>;

@compute @workgroup_size(kWorkgroupSize)
fn main(at: OptimInvocation) {
  let step = racerStep(at);
  let i = paramIndex(at);
  if (i >= step.count) { return; }
  let k = step.offset + i;
  let g = grads[k];
  let m = momentum[k];
  let c = step.beta1 * m + (1.0 - step.beta1) * g;
  let p = params[k];
  params[k] = p - step.lr * (sign(c) + step.weight_decay * p);
  momentum[k] = step.beta2 * m + (1.0 - step.beta2) * g;
}
