// Momentum (seed): v = momentum*v - lr*g; p += v
// Bindings, group 0 (one layout shared by every optimizer kernel):
//   0 params  storage, read_write  parameters of all racers, flat f32
//   1 grads   storage, read        gradients, same layout as params
//   2 stateA  storage, read_write  v, the velocity (starts at 0)
//   3 stateB  storage, read_write  (unused)
//   4 step    uniform, dynamic     OptimStep: lr, momentum
@group(0) @binding(0) var<storage, read_write> params: array<f32>;
@group(0) @binding(1) var<storage, read> grads: array<f32>;
@group(0) @binding(2) var<storage, read_write> velocity: array<f32>;
@group(0) @binding(4) var<uniform> step: OptimStep;

@compute @workgroup_size(kWorkgroupSize)
fn main(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = flatIndex(id, groups);
  if (i >= step.count) { return; }
  let k = step.offset + i;
  let v = step.momentum * velocity[k] - step.lr * grads[k];
  velocity[k] = v;
  params[k] += v;
}
