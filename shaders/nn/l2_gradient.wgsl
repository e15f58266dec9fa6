// The L2 term's gradient on one layer's weights, for the listed racers in one dispatch:
// dW += lambda W (regularization.wgsl's l2Gradient; biases, gamma and beta are never decayed). The
// standalone form of what the race fuses into its weight-gradient pass (matmul_backward_weights_l2.wgsl); run it after that pass.
// Grid: (ceil(I O / kWorkgroupSize), racers listed, 1).
// Bindings, group 0:
//   0 params   storage, read        every racer's parameters, W of the layer at r * P + weightOffset
//   1 grads    storage, read_write  same layout; dW of the layer gains lambda W
//   2 lambdas  storage, read        lambda (f32) of each racer, by racer index
//   3 racers   storage, read        indices of the racers with lambda > 0
//   4 layer    uniform              Layer (common.wgsl): inputs, outputs, paramsPerRacer, weightOffset

@group(0) @binding(0) var<storage, read> params: array<f32>;
@group(0) @binding(1) var<storage, read_write> grads: array<f32>;
@group(0) @binding(2) var<storage, read> lambdas: array<f32>;
@group(0) @binding(3) var<storage, read> racers: array<u32>;
@group(0) @binding(4) var<uniform> layer: Layer;

override kWorkgroupSize: u32 = 64u;

@compute @workgroup_size(kWorkgroupSize)
fn main(@builtin(global_invocation_id) id: vec3u, @builtin(workgroup_id) group: vec3u) {
  let e = id.x;
  if (e >= layer.inputs * layer.outputs) { return; }
  let r = racers[group.y];
  let k = r * layer.paramsPerRacer + layer.weightOffset + e;
  grads[k] = l2Gradient(grads[k], params[k], lambdas[r]);
}
