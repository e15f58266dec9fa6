// Adamax (PyTorch's torch.optim.Adamax):
//   m = beta1*m + (1-beta1)*g; u = max(beta2*u, abs(g) + eps); p -= lr/(1-beta1^t) * m/u
// Bindings, group 0 (one layout shared by every optimizer kernel; one dispatch per optimizer, racer = workgroup y):
//   0 params  storage, read_write  parameters of all racers, flat f32
//   1 grads   storage, read        gradients, same layout as params
//   2 stateA  storage, read_write  m, first moment (starts at 0)
//   3 stateB  storage, read_write  u, the infinity norm (starts at 0)
//   4-6 (common.wgsl)             this racer's OptimStep record, racerStep(at): lr, beta1, beta2, correction, eps
// correction = 1/(1-beta1^t) comes from the CPU in float64 (1 - beta1^t cancels in float32).
@group(0) @binding(0) var<storage, read_write> params: array<f32>;
@group(0) @binding(1) var<storage, read> grads: array<f32>;
@group(0) @binding(2) var<storage, read_write> moment: array<f32>;
@group(0) @binding(3) var<storage, read_write> norm: array<f32>;

@compute @workgroup_size(kWorkgroupSize)
fn main(at: OptimInvocation) {
  let step = racerStep(at);
  let i = paramIndex(at);
  if (i >= step.count) { return; }
  let k = step.offset + i;
  let g = grads[k];
  let m = step.beta1 * moment[k] + (1.0 - step.beta1) * g;
  let u = max(step.beta2 * norm[k], abs(g) + step.eps);
  moment[k] = m;
  norm[k] = u;
  params[k] -= step.lr * step.correction * m / u;
}
