// RMSprop (seed): h = decay*h + (1-decay)*g*g; p -= lr*g/(sqrt(h)+eps)
// Bindings, group 0 (one layout shared by every optimizer kernel):
//   0 params  storage, read_write  parameters of all racers, flat f32
//   1 grads   storage, read        gradients, same layout as params
//   2 stateA  storage, read_write  h, the running mean of squared gradients (starts at 0)
//   3 stateB  storage, read_write  (unused)
//   4 step    uniform, dynamic     OptimStep: lr, decay, eps
@group(0) @binding(0) var<storage, read_write> params: array<f32>;
@group(0) @binding(1) var<storage, read> grads: array<f32>;
@group(0) @binding(2) var<storage, read_write> meanSquares: array<f32>;
@group(0) @binding(4) var<uniform> step: OptimStep;

@compute @workgroup_size(kWorkgroupSize)
fn main(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = flatIndex(id, groups);
  if (i >= step.count) { return; }
  let k = step.offset + i;
  let g = grads[k];
  let h = step.decay * meanSquares[k] + (1.0 - step.decay) * g * g;
  meanSquares[k] = h;
  params[k] -= step.lr * g / (sqrt(h) + step.eps);
}
