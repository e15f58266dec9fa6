// Affine backward, parameter gradients: dW[r] = X[r]^T dY[r] and db[r] = column sums of dY[r],
// written into grads (same layout as params). The bias is one more row of the product: row I of
// X^T is all ones, so one tiled matmul of (I + 1) x N by N x O yields both.
// One dispatch serves every racer (racer = workgroup_id.z). Grid: (ceil(O / kTileN), ceil((I + 1) / kTileM), R).
// Entry points: main (shared-memory tiles) and direct (no workgroup memory), see common.wgsl.
// Bindings, group 0:
//   0 X      storage, read        the layer's input, X[r * layer.xRacerStride + n * I + i]
//   1 dY     storage, read        N x O per racer, dY[r * N * O + n * O + o]
//   2 grads  storage, read_write  gradients of every racer, racer r's block at r * P
//   3 layer  uniform              Layer (common.wgsl)

@group(0) @binding(0) var<storage, read> X: array<f32>;
@group(0) @binding(1) var<storage, read> dY: array<f32>;
@group(0) @binding(2) var<storage, read_write> grads: array<f32>;
@group(0) @binding(3) var<uniform> layer: Layer;

var<workgroup> tileX: array<f32, kTileM * (kTileK + 1u)>;   // [m = i][k = n], padded rows
var<workgroup> tileD: array<f32, kTileK * kTileN>;          // [k = n][c = o]

fn tiledProduct(group: vec3u, local: vec3u, t: u32) -> array<vec4f, kMicro> {
  let N = layer.rows;
  let I = layer.inputs;
  let O = layer.outputs;
  let xBase = group.z * layer.xRacerStride;
  let dyBase = group.z * N * O;
  let row0 = group.y * kTileM;
  let col0 = group.x * kTileN;
  let strideX = kTileK + 1u;
  var acc: array<vec4f, kMicro>;
  for (var k0 = 0u; k0 < N; k0 += kTileK) {
    // X^T[i][n] = X[n * I + i]: consecutive threads take consecutive i, adjacent in memory.
    for (var e = t; e < kTileM * kTileK; e += kThreads) {
      let m = e % kTileM;
      let k = e / kTileM;
      let i = row0 + m;
      let n = k0 + k;
      var v = 0.0;
      if (n < N) {
        if (i < I) { v = X[xBase + n * I + i]; } else if (i == I) { v = 1.0; }
      }
      tileX[m * strideX + k] = v;
    }
    for (var e = t; e < kTileK * kTileN; e += kThreads) {
      let k = e / kTileN;
      let c = e % kTileN;
      let n = k0 + k;
      let o = col0 + c;
      var v = 0.0;
      if (n < N && o < O) { v = dY[dyBase + n * O + o]; }
      tileD[e] = v;
    }
    workgroupBarrier();
    for (var k = 0u; k < kTileK; k++) {
      let d = vec4f(tileD[k * kTileN + local.x], tileD[k * kTileN + local.x + kThreadsN],
                    tileD[k * kTileN + local.x + 2u * kThreadsN], tileD[k * kTileN + local.x + 3u * kThreadsN]);
      for (var i = 0u; i < kMicro; i++) {
        acc[i] += tileX[(local.y + i * kThreadsM) * strideX + k] * d;
      }
    }
    workgroupBarrier();
  }
  return acc;
}

fn directProduct(group: vec3u, local: vec3u) -> array<vec4f, kMicro> {
  let N = layer.rows;
  let I = layer.inputs;
  let O = layer.outputs;
  // Row I (the bias) reads ones: its X column is clamped and multiplied by 0, plus 1.
  var xCol: array<u32, kMicro>;
  var isBias: vec4f;
  var dyCol: array<u32, kMicro>;
  for (var i = 0u; i < kMicro; i++) {
    let row = group.y * kTileM + local.y + i * kThreadsM;
    xCol[i] = group.z * layer.xRacerStride + min(row, I - 1u);
    isBias[i] = select(0.0, 1.0, row >= I);
    dyCol[i] = group.z * N * O + min(group.x * kTileN + local.x + i * kThreadsN, O - 1u);
  }
  let keep = vec4f(1.0) - isBias;
  var acc: array<vec4f, kMicro>;
  for (var n = 0u; n < N; n++) {
    let d = vec4f(dY[dyCol[0] + n * O], dY[dyCol[1] + n * O], dY[dyCol[2] + n * O], dY[dyCol[3] + n * O]);
    for (var i = 0u; i < kMicro; i++) {
      acc[i] += (X[xCol[i] + n * I] * keep[i] + isBias[i]) * d;
    }
  }
  return acc;
}

fn store(group: vec3u, local: vec3u, acc: array<vec4f, kMicro>) {
  let I = layer.inputs;
  let O = layer.outputs;
  let base = group.z * layer.paramsPerRacer;
  for (var i = 0u; i < kMicro; i++) {
    let row = group.y * kTileM + local.y + i * kThreadsM;
    for (var j = 0u; j < kMicro; j++) {
      let o = group.x * kTileN + local.x + j * kThreadsN;
      if (o < O) {
        if (row < I) {
          grads[base + layer.weightOffset + row * O + o] = acc[i][j];
        } else if (row == I) {
          grads[base + layer.biasOffset + o] = acc[i][j];
        }
      }
    }
  }
}

@compute @workgroup_size(kThreadsN, kThreadsM)
fn main(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_id) local: vec3u,
        @builtin(local_invocation_index) t: u32) {
  store(group, local, tiledProduct(group, local, t));
}

@compute @workgroup_size(kThreadsN, kThreadsM)
fn direct(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_id) local: vec3u) {
  store(group, local, directProduct(group, local));
}
