// AdamW (PyTorch's torch.optim.AdamW): p -= lr*weight_decay*p; then exactly the seed's Adam step
// on the same g: m += (1-beta1)*(g-m); v += (1-beta2)*(g*g-v); p -= lr_t*m/(sqrt(v)+eps).
// Bindings, group 0 (one layout shared by every optimizer kernel; one dispatch per optimizer, racer = workgroup y):
//   0 params  storage, read_write  parameters of all racers, flat f32
//   1 grads   storage, read        gradients, same layout as params
//   2 stateA  storage, read_write  m, first moment (starts at 0)
//   3 stateB  storage, read_write  v, second moment (starts at 0)
//   4-6 (common.wgsl)             this racer's OptimStep record, racerStep(at): lr, beta1, beta2, weight_decay, correction, eps
// correction = sqrt(1-beta2^t)/(1-beta1^t) comes from the CPU in float64, as for Adam.
@group(0) @binding(0) var<storage, read_write> params: array<f32>;
@group(0) @binding(1) var<storage, read> grads: array<f32>;
@group(0) @binding(2) var<storage, read_write> moment1: array<f32>;
@group(0) @binding(3) var<storage, read_write> moment2: array<f32>;

@compute @workgroup_size(kWorkgroupSize)
fn main(at: OptimInvocation) {
  let step = racerStep(at);
  let i = paramIndex(at);
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
