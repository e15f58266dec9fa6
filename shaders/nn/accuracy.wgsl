// Correct predictions of every racer on an evaluation batch, ADDED to
// correct[iteration.slot * R + r], so a test set evaluated in chunks accumulates into one count
// (clear the buffer before the first chunk). One workgroup per racer (racer = workgroup_id.z;
// grid (1, 1, R)). Prediction: the first maximum of the row; rows labelled kNoLabel never count.
// Bindings, group 0:
//   0 logits     storage, read        N x C per racer, logits[r * N * C + n * C + c]
//   1 labels     storage, read        N labels (u32), shared by every racer
//   2 correct    storage, read_write  correct[iteration.slot * R + r] (u32)
//   3 shape      uniform              AccuracyShape
//   4 iteration  uniform, dynamic     Iteration (iteration.wgsl)

struct AccuracyShape {
  rows: u32,    // N
  classes: u32, // C
  racers: u32,  // R
  _pad: u32,
}

@group(0) @binding(0) var<storage, read> logits: array<f32>;
@group(0) @binding(1) var<storage, read> labels: array<u32>;
@group(0) @binding(2) var<storage, read_write> correct: array<u32>;
@group(0) @binding(3) var<uniform> shape: AccuracyShape;
@group(0) @binding(4) var<uniform> iteration: Iteration;

override kWorkgroupSize: u32 = 64u;
var<workgroup> partialCorrect: array<u32, kWorkgroupSize>;

@compute @workgroup_size(kWorkgroupSize)
fn main(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_index) t: u32) {
  let N = shape.rows;
  let C = shape.classes;
  let r = group.z;
  var hits = 0u;
  for (var n = t; n < N; n += kWorkgroupSize) {
    let row = r * N * C + n * C;
    var best = logits[row];
    var argmax = 0u;
    for (var c = 1u; c < C; c++) {
      let z = logits[row + c];
      if (z > best) { best = z; argmax = c; }
    }
    hits += select(0u, 1u, argmax == labels[n]);
  }
  partialCorrect[t] = hits;
  workgroupBarrier();
  if (t == 0u) {
    var count = 0u;
    for (var k = 0u; k < kWorkgroupSize; k++) { count += partialCorrect[k]; }
    correct[iteration.slot * shape.racers + r] += count;
  }
}
