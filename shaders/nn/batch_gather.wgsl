// Minibatch gather: X0[n, d] = pixel / 255 (as f32(pixel) * f32(1/255), so the TypeScript
// reference is bit-exact) and labels[n] for the N images of this iteration's batch, shared by
// every racer. Training (sequential == 0): image index = batchHash(seed, iteration, n) % count,
// drawn with replacement like np.random.choice (the modulo bias, count / 2^32, is below 2e-5 for
// 60,000 images). Evaluation (sequential == 1): image first + n, rows past the set are zero with
// label kNoLabel. Grid: (ceil(D / kWorkgroupSize), N, 1). pcgHash: hash.wgsl (prepended).
// Bindings, group 0:
//   0 images       storage, read        uint8 pixels packed 4 per u32, little-endian: pixel d of image j is byte j * D + d
//   1 imageLabels  storage, read        one u32 label per image
//   2 X0           storage, read_write  N x D f32, X0[n * D + d]
//   3 labels       storage, read_write  N u32
//   4 shape        uniform              GatherShape
//   5 iteration    uniform, dynamic     Iteration (iteration.wgsl)

struct GatherShape {
  rows: u32,       // N
  pixels: u32,     // D
  count: u32,      // images in the set
  seed: u32,
  sequential: u32, // 0: random batch of the iteration; 1: images first .. first + N - 1
  _pad0: u32,
  _pad1: u32,
  _pad2: u32,
}

@group(0) @binding(0) var<storage, read> images: array<u32>;
@group(0) @binding(1) var<storage, read> imageLabels: array<u32>;
@group(0) @binding(2) var<storage, read_write> X0: array<f32>;
@group(0) @binding(3) var<storage, read_write> labels: array<u32>;
@group(0) @binding(4) var<uniform> shape: GatherShape;
@group(0) @binding(5) var<uniform> iteration: Iteration;

override kWorkgroupSize: u32 = 64u;
const kInv255 = 1.0 / 255.0;

// Nested hashing of the three inputs, as the paper suggests for multidimensional seeds.
fn batchHash(seed: u32, it: u32, n: u32) -> u32 {
  return pcgHash(n + pcgHash(it + pcgHash(seed)));
}

@compute @workgroup_size(kWorkgroupSize)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let d = id.x;
  let n = id.y;
  let D = shape.pixels;
  if (d >= D || n >= shape.rows) { return; }
  var index: u32;
  var valid = true;
  if (shape.sequential != 0u) {
    index = iteration.first + n;
    valid = index < shape.count;
  } else {
    index = batchHash(shape.seed, iteration.iteration, n) % shape.count;
  }
  var value = 0.0;
  if (valid) {
    let byte = index * D + d;
    value = f32((images[byte >> 2u] >> ((byte & 3u) * 8u)) & 0xffu) * kInv255;
  }
  X0[n * D + d] = value;
  if (d == 0u) {
    labels[n] = select(kNoLabel, imageLabels[index], valid);
  }
}
