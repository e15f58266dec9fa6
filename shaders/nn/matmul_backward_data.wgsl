// Affine backward, data gradient: dX[r] = (dY[r] W[r]^T) * act'(X[r]), where X is the layer's input,
// the output of the previous layer, whose activation's derivative is taken through that output
// (relu: X > 0; sigmoid: X (1 - X); tanh: 1 - X^2; identity: 1). Not used for the first layer.
// One dispatch serves every racer (racer = workgroup_id.z). Grid: (ceil(I / kTileN), ceil(N / kTileM), R).
// Entry points: main (shared-memory tiles) and direct (no workgroup memory), see common.wgsl.
// Bindings, group 0:
//   0 dY                storage, read        N x O per racer, dY[r * N * O + n * O + o]
//   1 params            storage, read        every racer's parameters (W read transposed)
//   2 X                 storage, read        the layer's input, X[r * layer.xRacerStride + n * I + i]
//   3 dX                storage, read_write  N x I per racer, dX[r * N * I + n * I + i]
//   4 racerActivations  storage, read        activation code of each racer
//   5 layer             uniform              Layer (common.wgsl); inputActivation masks dX

@group(0) @binding(0) var<storage, read> dY: array<f32>;
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read> X: array<f32>;
@group(0) @binding(3) var<storage, read_write> dX: array<f32>;
@group(0) @binding(4) var<storage, read> racerActivations: array<u32>;
@group(0) @binding(5) var<uniform> layer: Layer;

// Both tiles padded by one word per row so that the transposed W load and the column reads
// avoid shared-memory bank conflicts.
var<workgroup> tileD: array<f32, kTileM * (kTileK + 1u)>;   // [m = n][k = o]
var<workgroup> tileW: array<f32, kTileK * (kTileN + 1u)>;   // [k = o][c = i]

fn tiledProduct(group: vec3u, local: vec3u, t: u32) -> array<vec4f, kMicro> {
  let N = layer.rows;
  let I = layer.inputs;
  let O = layer.outputs;
  let dyBase = group.z * N * O;
  let wBase = group.z * layer.paramsPerRacer + layer.weightOffset;
  let row0 = group.y * kTileM;
  let col0 = group.x * kTileN;
  let strideD = kTileK + 1u;
  let strideW = kTileN + 1u;
  var acc: array<vec4f, kMicro>;
  for (var k0 = 0u; k0 < O; k0 += kTileK) {
    for (var e = t; e < kTileM * kTileK; e += kThreads) {
      let m = e / kTileK;
      let k = e % kTileK;
      let n = row0 + m;
      let o = k0 + k;
      var v = 0.0;
      if (n < N && o < O) { v = dY[dyBase + n * O + o]; }
      tileD[m * strideD + k] = v;
    }
    // W^T[o][i] = W[i * O + o]: consecutive threads take consecutive o, which are adjacent in memory.
    for (var e = t; e < kTileK * kTileN; e += kThreads) {
      let k = e % kTileK;
      let c = e / kTileK;
      let o = k0 + k;
      let i = col0 + c;
      var v = 0.0;
      if (o < O && i < I) { v = params[wBase + i * O + o]; }
      tileW[k * strideW + c] = v;
    }
    workgroupBarrier();
    for (var k = 0u; k < kTileK; k++) {
      let w = vec4f(tileW[k * strideW + local.x], tileW[k * strideW + local.x + kThreadsN],
                    tileW[k * strideW + local.x + 2u * kThreadsN], tileW[k * strideW + local.x + 3u * kThreadsN]);
      for (var i = 0u; i < kMicro; i++) {
        acc[i] += tileD[(local.y + i * kThreadsM) * strideD + k] * w;
      }
    }
    workgroupBarrier();
  }
  return acc;
}

// 'direct': kDirectRows x kMicro outputs per thread, written out by hand (see affine_forward.wgsl).
fn directProduct(group: vec3u, local: vec3u) -> array<vec4f, kDirectRows> {
  let N = layer.rows;
  let I = layer.inputs;
  let O = layer.outputs;
  let dyBase = group.z * N * O;
  let wBase = group.z * layer.paramsPerRacer + layer.weightOffset;
  // Rows and columns past the matrix are clamped to its edge; their results are never stored.
  let row = group.y * kDirectTileM + local.y;
  let d0 = dyBase + min(row, N - 1u) * O;
  let d1 = dyBase + min(row + kThreadsM, N - 1u) * O;
  let d2 = dyBase + min(row + 2u * kThreadsM, N - 1u) * O;
  let d3 = dyBase + min(row + 3u * kThreadsM, N - 1u) * O;
  let d4 = dyBase + min(row + 4u * kThreadsM, N - 1u) * O;
  let d5 = dyBase + min(row + 5u * kThreadsM, N - 1u) * O;
  let d6 = dyBase + min(row + 6u * kThreadsM, N - 1u) * O;
  let d7 = dyBase + min(row + 7u * kThreadsM, N - 1u) * O;
  let col = group.x * kTileN + local.x;
  let w0 = wBase + min(col, I - 1u) * O;
  let w1 = wBase + min(col + kThreadsN, I - 1u) * O;
  let w2 = wBase + min(col + 2u * kThreadsN, I - 1u) * O;
  let w3 = wBase + min(col + 3u * kThreadsN, I - 1u) * O;
  var a0 = vec4f(0.0); var a1 = vec4f(0.0); var a2 = vec4f(0.0); var a3 = vec4f(0.0);
  var a4 = vec4f(0.0); var a5 = vec4f(0.0); var a6 = vec4f(0.0); var a7 = vec4f(0.0);
  for (var o = 0u; o < O; o++) {
    let w = vec4f(params[w0 + o], params[w1 + o], params[w2 + o], params[w3 + o]);
    a0 += dY[d0 + o] * w; a1 += dY[d1 + o] * w; a2 += dY[d2 + o] * w; a3 += dY[d3 + o] * w;
    a4 += dY[d4 + o] * w; a5 += dY[d5 + o] * w; a6 += dY[d6 + o] * w; a7 += dY[d7 + o] * w;
  }
  return array(a0, a1, a2, a3, a4, a5, a6, a7);
}

// Row n of the thread's outputs (columns local.x + j kThreadsN of the workgroup's block).
fn storeRow(group: vec3u, local: vec3u, code: u32, n: u32, acc: vec4f) {
  let N = layer.rows;
  let I = layer.inputs;
  let xRow = group.z * layer.xRacerStride + n * I;
  let dxRow = group.z * N * I + n * I;
  for (var j = 0u; j < kMicro; j++) {
    let c = group.x * kTileN + local.x + j * kThreadsN;
    if (n < N && c < I) {
      dX[dxRow + c] = acc[j] * activationSlope(code, X[xRow + c]);
    }
  }
}

@compute @workgroup_size(kThreadsN, kThreadsM)
fn main(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_id) local: vec3u,
        @builtin(local_invocation_index) t: u32) {
  let acc = tiledProduct(group, local, t);
  let code = resolveActivation(layer.inputActivation, racerActivations[group.z]);
  for (var i = 0u; i < kMicro; i++) {
    storeRow(group, local, code, group.y * kTileM + local.y + i * kThreadsM, acc[i]);
  }
}

@compute @workgroup_size(kThreadsN, kThreadsM)
fn direct(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_id) local: vec3u) {
  let acc = directProduct(group, local);
  let code = resolveActivation(layer.inputActivation, racerActivations[group.z]);
  for (var i = 0u; i < kDirectRows; i++) {
    storeRow(group, local, code, group.y * kDirectTileM + local.y + i * kThreadsM, acc[i]);
  }
}
