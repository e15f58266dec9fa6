// Momentum (seed): v = momentum*v - lr*g; p += v
// Bindings, group 0 (one layout shared by every optimizer kernel; one dispatch per optimizer, racer = workgroup y):
//   0 params  storage, read_write  parameters of all racers, flat f32
//   1 grads   storage, read        gradients, same layout as params
//   2 stateA  storage, read_write  v, the velocity (starts at 0)
//   3 stateB  storage, read_write  (unused)
//   4-6 (common.wgsl)             this racer's OptimStep record, racerStep(at): lr, momentum
@group(0) @binding(0) var<storage, read_write> params: array<f32>;
@group(0) @binding(1) var<storage, read> grads: array<f32>;
@group(0) @binding(2) var<storage, read_write> velocity: array<f32>;

@compute @workgroup_size(kWorkgroupSize)
fn main(at: OptimInvocation) {
  let step = racerStep(at);
  let i = paramIndex(at);
  if (i >= step.count) { return; }
  let k = step.offset + i;
  let v = step.momentum * velocity[k] - step.lr * grads[k];
  velocity[k] = v;
  params[k] += v;
}
