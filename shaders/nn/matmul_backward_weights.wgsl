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

// 'direct': kDirectRows x kMicro outputs per thread, written out by hand (see affine_forward.wgsl).
// Row I, the bias, is the column sum of dY, accumulated on the side (bias) by every thread; rows
// past I are clamped to I - 1 and never stored.
struct DirectSums {
  rows: array<vec4f, kDirectRows>,
  bias: vec4f,
}

fn directProduct(group: vec3u, local: vec3u) -> DirectSums {
  let N = layer.rows;
  let I = layer.inputs;
  let O = layer.outputs;
  let xBase = group.z * layer.xRacerStride;
  let dyBase = group.z * N * O;
  let row = group.y * kDirectTileM + local.y;
  let x0 = xBase + min(row, I - 1u);
  let x1 = xBase + min(row + kThreadsM, I - 1u);
  let x2 = xBase + min(row + 2u * kThreadsM, I - 1u);
  let x3 = xBase + min(row + 3u * kThreadsM, I - 1u);
  let x4 = xBase + min(row + 4u * kThreadsM, I - 1u);
  let x5 = xBase + min(row + 5u * kThreadsM, I - 1u);
  let x6 = xBase + min(row + 6u * kThreadsM, I - 1u);
  let x7 = xBase + min(row + 7u * kThreadsM, I - 1u);
  let col = group.x * kTileN + local.x;
  let c0 = dyBase + min(col, O - 1u);
  let c1 = dyBase + min(col + kThreadsN, O - 1u);
  let c2 = dyBase + min(col + 2u * kThreadsN, O - 1u);
  let c3 = dyBase + min(col + 3u * kThreadsN, O - 1u);
  var a0 = vec4f(0.0); var a1 = vec4f(0.0); var a2 = vec4f(0.0); var a3 = vec4f(0.0);
  var a4 = vec4f(0.0); var a5 = vec4f(0.0); var a6 = vec4f(0.0); var a7 = vec4f(0.0);
  var bias = vec4f(0.0);
  var nI = 0u;
  var nO = 0u;
  for (var n = 0u; n < N; n++) {
    let d = vec4f(dY[c0 + nO], dY[c1 + nO], dY[c2 + nO], dY[c3 + nO]);
    a0 += X[x0 + nI] * d; a1 += X[x1 + nI] * d; a2 += X[x2 + nI] * d; a3 += X[x3 + nI] * d;
    a4 += X[x4 + nI] * d; a5 += X[x5 + nI] * d; a6 += X[x6 + nI] * d; a7 += X[x7 + nI] * d;
    bias += d;
    nI += I;
    nO += O;
  }
  return DirectSums(array(a0, a1, a2, a3, a4, a5, a6, a7), bias);
}

// Row `row` of X^T dY (columns local.x + j kThreadsN of the workgroup's block): dW, or db at row I.
fn storeRow(group: vec3u, local: vec3u, row: u32, acc: vec4f) {
  let I = layer.inputs;
  let O = layer.outputs;
  let base = group.z * layer.paramsPerRacer;
  for (var j = 0u; j < kMicro; j++) {
    let o = group.x * kTileN + local.x + j * kThreadsN;
    if (o < O) {
      if (row < I) {
        grads[base + layer.weightOffset + row * O + o] = acc[j];
      } else if (row == I) {
        grads[base + layer.biasOffset + o] = acc[j];
      }
    }
  }
}

@compute @workgroup_size(kThreadsN, kThreadsM)
fn main(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_id) local: vec3u,
        @builtin(local_invocation_index) t: u32) {
  let acc = tiledProduct(group, local, t);
  for (var i = 0u; i < kMicro; i++) {
    storeRow(group, local, group.y * kTileM + local.y + i * kThreadsM, acc[i]);
  }
}

@compute @workgroup_size(kThreadsN, kThreadsM)
fn direct(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_id) local: vec3u) {
  let sums = directProduct(group, local);
  for (var i = 0u; i < kDirectRows; i++) {
    let row = group.y * kDirectTileM + local.y + i * kThreadsM;
    storeRow(group, local, row, select(sums.rows[i], sums.bias, row == layer.inputs));
  }
}
