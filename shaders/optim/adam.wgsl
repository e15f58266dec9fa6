// Adam (seed): t += 1; lr_t = lr*sqrt(1-beta2^t)/(1-beta1^t);
//   m += (1-beta1)*(g-m); v += (1-beta2)*(g*g-v); p -= lr_t*m/(sqrt(v)+eps)
// Bindings, group 0 (one layout shared by every optimizer kernel; one dispatch per optimizer, racer = workgroup y):
//   0 params  storage, read_write  parameters of all racers, flat f32
//   1 grads   storage, read        gradients, same layout as params
//   2 stateA  storage, read_write  m, first moment (starts at 0)
//   3 stateB  storage, read_write  v, second moment (starts at 0)
//   4-6 (common.wgsl)             this racer's OptimStep record, racerStep(at): lr, beta1, beta2, correction, eps
// The bias correction sqrt(1-beta2^t)/(1-beta1^t) comes from the CPU in float64: in float32,
// 1 - pow(0.999, t) loses most of its digits to cancellation at small t (1e-3 relative error
// on lavapipe at t = 1), which would make the first steps wrong by far more than rounding.
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
  let lrT = step.lr * step.correction;
  let g = grads[k];
  let m = moment1[k] + (1.0 - step.beta1) * (g - moment1[k]);
  let v = moment2[k] + (1.0 - step.beta2) * (g * g - moment2[k]);
  moment1[k] = m;
  moment2[k] = v;
  params[k] -= lrT * m / (sqrt(v) + step.eps);
}
