// The book's non-inverted dropout on one hidden layer, for the listed racers in one dispatch, built
// on regularization.wgsl's functions (the standalone form of what the race fuses into its activation passes):
//   mode kMask   Y = X * mask   training forward, and backward (X = dout, Y = dX)
//   mode kScale  Y = X * (1 - ratio)   evaluation forward
// mask = dropoutKeeps(racer's threshold, seed, racer, iteration, row, firstUnit + o).
// One thread per element. Grid: (ceil(N O / kWorkgroupSize), racers listed, 1).
// Bindings, group 0:
//   0 X             storage, read        N x O per racer, X[r * N * O + n * O + o]
//   1 Y             storage, read_write  N x O per racer, same layout
//   2 racerDropout  storage, read        RacerDropout of each racer (regularization.wgsl), by racer index
//   3 racers        storage, read        indices of the racers that use dropout
//   4 shape         uniform              DropoutShape
//   5 iteration     uniform, dynamic     Iteration (iteration.wgsl): the 0-based iteration

struct DropoutShape {
  rows: u32,      // N
  units: u32,     // O
  firstUnit: u32, // index of the layer's unit 0 among all hidden units of the network
  seed: u32,      // the race's seed
  mode: u32,      // kMask or kScale
  _pad0: u32,
  _pad1: u32,
  _pad2: u32,
}

const kMask = 0u;
const kScale = 1u;

@group(0) @binding(0) var<storage, read> X: array<f32>;
@group(0) @binding(1) var<storage, read_write> Y: array<f32>;
@group(0) @binding(2) var<storage, read> racerDropout: array<RacerDropout>;
@group(0) @binding(3) var<storage, read> racers: array<u32>;
@group(0) @binding(4) var<uniform> shape: DropoutShape;
@group(0) @binding(5) var<uniform> iteration: Iteration;

override kWorkgroupSize: u32 = 64u;

@compute @workgroup_size(kWorkgroupSize)
fn main(@builtin(global_invocation_id) id: vec3u, @builtin(workgroup_id) group: vec3u) {
  let O = shape.units;
  let e = id.x;
  if (e >= shape.rows * O) { return; }
  let r = racers[group.y];
  let k = r * shape.rows * O + e;
  let own = racerDropout[r];
  if (shape.mode == kScale) {
    Y[k] = dropoutScaled(X[k], own.keepScale);
  } else {
    let keeps = dropoutKeeps(own.threshold, shape.seed, r, iteration.iteration, e / O, shape.firstUnit + e % O);
    Y[k] = dropoutMasked(X[k], keeps);
  }
}
