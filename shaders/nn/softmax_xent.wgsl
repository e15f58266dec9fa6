// Softmax with cross-entropy, exactly the seed's SoftmaxWithLoss, for every racer in one dispatch
// (one workgroup per racer, racer = workgroup_id.z; grid (1, 1, R)):
//   p = softmax(logits) (row max subtracted first), loss = -mean_n log(p[n, t_n] + 1e-7),
//   dLogits = (p - onehot(t)) / N, correct = #{n : argmax_c logits[n, c] == t_n} (first maximum).
// Rows labelled kNoLabel (padding) count p[t] = 0 and are never correct.
// Bindings, group 0:
//   0 logits     storage, read        N x C per racer, logits[r * N * C + n * C + c]
//   1 labels     storage, read        N labels (u32), shared by every racer
//   2 dLogits    storage, read_write  N x C per racer, same layout as logits
//   3 losses     storage, read_write  losses[iteration.slot * R + r] (f32)
//   4 correct    storage, read_write  correct[iteration.slot * R + r] (u32)
//   5 shape      uniform              LossShape
//   6 iteration  uniform, dynamic     Iteration (iteration.wgsl)

struct LossShape {
  rows: u32,    // N
  classes: u32, // C
  racers: u32,  // R
  _pad: u32,
}

@group(0) @binding(0) var<storage, read> logits: array<f32>;
@group(0) @binding(1) var<storage, read> labels: array<u32>;
@group(0) @binding(2) var<storage, read_write> dLogits: array<f32>;
@group(0) @binding(3) var<storage, read_write> losses: array<f32>;
@group(0) @binding(4) var<storage, read_write> correct: array<u32>;
@group(0) @binding(5) var<uniform> shape: LossShape;
@group(0) @binding(6) var<uniform> iteration: Iteration;

override kWorkgroupSize: u32 = 64u;
var<workgroup> partialLoss: array<f32, kWorkgroupSize>;
var<workgroup> partialCorrect: array<u32, kWorkgroupSize>;

@compute @workgroup_size(kWorkgroupSize)
fn main(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_index) t: u32) {
  let N = shape.rows;
  let C = shape.classes;
  let r = group.z;
  let scale = 1.0 / f32(N);
  var loss = 0.0;
  var hits = 0u;
  for (var n = t; n < N; n += kWorkgroupSize) {
    let row = r * N * C + n * C;
    var best = logits[row];
    var argmax = 0u;
    for (var c = 1u; c < C; c++) {
      let z = logits[row + c];
      if (z > best) { best = z; argmax = c; }
    }
    var sum = 0.0;
    for (var c = 0u; c < C; c++) { sum += exp(logits[row + c] - best); }
    let label = labels[n];
    var pLabel = 0.0;
    for (var c = 0u; c < C; c++) {
      let p = exp(logits[row + c] - best) / sum;
      let isLabel = c == label;
      if (isLabel) { pLabel = p; }
      dLogits[row + c] = (p - select(0.0, 1.0, isLabel)) * scale;
    }
    loss -= log(pLabel + 1e-7);
    hits += select(0u, 1u, argmax == label);
  }
  partialLoss[t] = loss;
  partialCorrect[t] = hits;
  workgroupBarrier();
  if (t == 0u) {
    // A fixed order, so a racer's loss does not depend on scheduling.
    var total = 0.0;
    var count = 0u;
    for (var k = 0u; k < kWorkgroupSize; k++) {
      total += partialLoss[k];
      count += partialCorrect[k];
    }
    losses[iteration.slot * shape.racers + r] = total * scale;
    correct[iteration.slot * shape.racers + r] = count;
  }
}
