// AdaDelta (PyTorch's torch.optim.Adadelta):
//   v = rho*v + (1-rho)*g*g; d = sqrt(u+eps)/sqrt(v+eps)*g; u = rho*u + (1-rho)*d*d; p -= lr*d
// Bindings, group 0 (one layout shared by every optimizer kernel; one dispatch per optimizer, racer = workgroup y):
//   0 params  storage, read_write  parameters of all racers, flat f32
//   1 grads   storage, read        gradients, same layout as params
//   2 stateA  storage, read_write  v, the running mean of g^2 (starts at 0)
//   3 stateB  storage, read_write  u, the running mean of d^2 (starts at 0)
//   4-6 (common.wgsl)             this racer's OptimStep record, racerStep(at): lr, rho, eps
@group(0) @binding(0) var<storage, read_write> params: array<f32>;
@group(0) @binding(1) var<storage, read> grads: array<f32>;
@group(0) @binding(2) var<storage, read_write> squares: array<f32>;
@group(0) @binding(3) var<storage, read_write> deltas: array<f32>;

@compute @workgroup_size(kWorkgroupSize)
fn main(at: OptimInvocation) {
  let step = racerStep(at);
  let i = paramIndex(at);
  if (i >= step.count) { return; }
  let k = step.offset + i;
  let g = grads[k];
  let v = step.rho * squares[k] + (1.0 - step.rho) * g * g;
  let d = sqrt(deltas[k] + step.eps) / sqrt(v + step.eps) * g;
  squares[k] = v;
  deltas[k] = step.rho * deltas[k] + (1.0 - step.rho) * d * d;
  params[k] -= step.lr * d;
}
