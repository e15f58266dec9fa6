// AdamW (PyTorch's torch.optim.AdamW): p -= lr*weight_decay*p; then exactly the seed's Adam step
// on the same g: m += (1-beta1)*(g-m); v += (1-beta2)*(g*g-v); p -= lr_t*m/(sqrt(v)+eps).
// Bindings, group 0 (one layout shared by every optimizer kernel):
//   0 params  storage, read_write  parameters of all racers, flat f32
//   1 grads   storage, read        gradients, same layout as params
//   2 stateA  storage, read_write  m, first moment (starts at 0)
//   3 stateB  storage, read_write  v, second moment (starts at 0)
//   4 step    uniform, dynamic     OptimStep: lr, beta1, beta2, weight_decay, correction, eps
// correction = sqrt(1-beta2^t)/(1-beta1^t) comes from the CPU in float64, as for Adam.
@group(0) @binding(0) var<storage, read_write> params: array<f32>;
@group(0) @binding(1) var<storage, read> grads: array<f32>;
@group(0) @binding(2) var<storage, read_write> moment1: array<f32>;
@group(0) @binding(3) var<storage, read_write> moment2: array<f32>;
@group(0) @binding(4) var<uniform> step: OptimStep;

@compute @workgroup_size(kWorkgroupSize)
fn main(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = flatIndex(id, groups);
  if (i >= step.count) { return; }
  let k = step.offset + i;
  let g = grads[k];
  let m = moment1[k] + (1.0 - step.beta1) * (g - moment1[k]);
  let v = moment2[k] + (1.0 - step.beta2) * (g * g - moment2[k]);
  moment1[k] = m;
  moment2[k] = v;
  let p = params[k] - step.lr * step.weight_decay * params[k];
  params[k] = p - step.lr * step.correction * m / (sqrt(v) + step.eps);
}
