// The L2 term of the loss, 0.5 lambda sum ||W||^2 over every affine weight matrix (the last
// included), added to each listed racer's loss of this iteration: losses[slot * R + r] += term.
// Run it after the softmax pass has written the loss. One workgroup per listed racer, a fixed
// summation order (strided partial sums, then one thread adds them in order), so the result does
// not depend on scheduling. Grid: (1, racers listed, 1).
// Bindings, group 0:
//   0 params     storage, read        every racer's parameters, racer r's block at r * P
//   1 losses     storage, read_write  f32, slots x R: losses[iteration.slot * R + r]
//   2 lambdas    storage, read        lambda (f32) of each racer, by racer index
//   3 racers     storage, read        indices of the racers with lambda > 0
//   4 weights    storage, read        WeightRange of each layer: its W within a racer's block
//   5 shape      uniform              L2Shape
//   6 iteration  uniform, dynamic     Iteration (iteration.wgsl): the slot

struct L2Shape {
  paramsPerRacer: u32, // P
  racers: u32,         // R, all racers (the losses' row length)
  layers: u32,         // entries of weights
  _pad: u32,
}

struct WeightRange {
  offset: u32, // weightOffset
  count: u32,  // I * O
}

@group(0) @binding(0) var<storage, read> params: array<f32>;
@group(0) @binding(1) var<storage, read_write> losses: array<f32>;
@group(0) @binding(2) var<storage, read> lambdas: array<f32>;
@group(0) @binding(3) var<storage, read> racers: array<u32>;
@group(0) @binding(4) var<storage, read> weights: array<WeightRange>;
@group(0) @binding(5) var<uniform> shape: L2Shape;
@group(0) @binding(6) var<uniform> iteration: Iteration;

override kWorkgroupSize: u32 = 64u;
var<workgroup> partial: array<f32, kWorkgroupSize>;

@compute @workgroup_size(kWorkgroupSize)
fn main(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_index) t: u32) {
  let r = racers[group.y];
  let base = r * shape.paramsPerRacer;
  var sum = 0.0;
  for (var l = 0u; l < shape.layers; l++) {
    let range = weights[l];
    for (var e = t; e < range.count; e += kWorkgroupSize) {
      let w = params[base + range.offset + e];
      sum += w * w;
    }
  }
  partial[t] = sum;
  workgroupBarrier();
  if (t == 0u) {
    var total = 0.0;
    for (var k = 0u; k < kWorkgroupSize; k++) { total += partial[k]; }
    losses[iteration.slot * shape.racers + r] += 0.5 * lambdas[r] * total;
  }
}
