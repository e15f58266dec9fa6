// Affine forward with the activation fused: Y[r] = act(X[r] W[r] + b[r]) for every racer r in one
// dispatch (racer = workgroup_id.z). Grid: (ceil(O / kTileN), ceil(N / kTileM), R).
// Entry points: main (shared-memory tiles) and direct (no workgroup memory), see common.wgsl.
// Bindings, group 0:
//   0 X                 storage, read        N x I per racer, X[r * layer.xRacerStride + n * I + i]
//   1 params            storage, read        every racer's parameters, racer r's block at r * P
//   2 Y                 storage, read_write  N x O per racer, Y[r * N * O + n * O + o]
//   3 racerActivations  storage, read        activation code of each racer
//   4 layer             uniform              Layer (common.wgsl); outputActivation applies to Y

@group(0) @binding(0) var<storage, read> X: array<f32>;
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read_write> Y: array<f32>;
@group(0) @binding(3) var<storage, read> racerActivations: array<u32>;
@group(0) @binding(4) var<uniform> layer: Layer;

// X tile stored [m][k] with a padded row (kTileK + 1) so that column reads avoid bank conflicts.
var<workgroup> tileX: array<f32, kTileM * (kTileK + 1u)>;
var<workgroup> tileW: array<f32, kTileK * kTileN>;

fn tiledProduct(group: vec3u, local: vec3u, t: u32) -> array<vec4f, kMicro> {
  let N = layer.rows;
  let I = layer.inputs;
  let O = layer.outputs;
  let xBase = group.z * layer.xRacerStride;
  let wBase = group.z * layer.paramsPerRacer + layer.weightOffset;
  let row0 = group.y * kTileM;
  let col0 = group.x * kTileN;
  let strideX = kTileK + 1u;
  var acc: array<vec4f, kMicro>;
  for (var k0 = 0u; k0 < I; k0 += kTileK) {
    // Consecutive threads load consecutive i (X) and o (W): coalesced; zeros outside the matrices.
    for (var e = t; e < kTileM * kTileK; e += kThreads) {
      let m = e / kTileK;
      let k = e % kTileK;
      let n = row0 + m;
      let i = k0 + k;
      var v = 0.0;
      if (n < N && i < I) { v = X[xBase + n * I + i]; }
      tileX[m * strideX + k] = v;
    }
    for (var e = t; e < kTileK * kTileN; e += kThreads) {
      let k = e / kTileN;
      let c = e % kTileN;
      let i = k0 + k;
      let o = col0 + c;
      var v = 0.0;
      if (i < I && o < O) { v = params[wBase + i * O + o]; }
      tileW[e] = v;
    }
    workgroupBarrier();
    for (var k = 0u; k < kTileK; k++) {
      let w = vec4f(tileW[k * kTileN + local.x], tileW[k * kTileN + local.x + kThreadsN],
                    tileW[k * kTileN + local.x + 2u * kThreadsN], tileW[k * kTileN + local.x + 3u * kThreadsN]);
      for (var i = 0u; i < kMicro; i++) {
        acc[i] += tileX[(local.y + i * kThreadsM) * strideX + k] * w;
      }
    }
    workgroupBarrier();
  }
  return acc;
}

// 'direct': each thread owns kDirectRows x kMicro outputs (rows local.y + i kThreadsM, columns
// local.x + j kThreadsN), written out by hand: SwiftShader's JIT keeps named accumulators in
// registers, and each k costs kDirectRows + 4 loads for 4 kDirectRows multiply-adds.
fn directProduct(group: vec3u, local: vec3u) -> array<vec4f, kDirectRows> {
  let N = layer.rows;
  let I = layer.inputs;
  let O = layer.outputs;
  let wBase = group.z * layer.paramsPerRacer + layer.weightOffset;
  let xBase = group.z * layer.xRacerStride;
  // Rows and columns past the matrix are clamped to its edge; their results are never stored.
  let row = group.y * kDirectTileM + local.y;
  let x0 = xBase + min(row, N - 1u) * I;
  let x1 = xBase + min(row + kThreadsM, N - 1u) * I;
  let x2 = xBase + min(row + 2u * kThreadsM, N - 1u) * I;
  let x3 = xBase + min(row + 3u * kThreadsM, N - 1u) * I;
  let x4 = xBase + min(row + 4u * kThreadsM, N - 1u) * I;
  let x5 = xBase + min(row + 5u * kThreadsM, N - 1u) * I;
  let x6 = xBase + min(row + 6u * kThreadsM, N - 1u) * I;
  let x7 = xBase + min(row + 7u * kThreadsM, N - 1u) * I;
  let col = group.x * kTileN + local.x;
  let c0 = wBase + min(col, O - 1u);
  let c1 = wBase + min(col + kThreadsN, O - 1u);
  let c2 = wBase + min(col + 2u * kThreadsN, O - 1u);
  let c3 = wBase + min(col + 3u * kThreadsN, O - 1u);
  var a0 = vec4f(0.0); var a1 = vec4f(0.0); var a2 = vec4f(0.0); var a3 = vec4f(0.0);
  var a4 = vec4f(0.0); var a5 = vec4f(0.0); var a6 = vec4f(0.0); var a7 = vec4f(0.0);
  var kO = 0u;
  for (var k = 0u; k < I; k++) {
    let w = vec4f(params[c0 + kO], params[c1 + kO], params[c2 + kO], params[c3 + kO]);
    a0 += X[x0 + k] * w; a1 += X[x1 + k] * w; a2 += X[x2 + k] * w; a3 += X[x3 + k] * w;
    a4 += X[x4 + k] * w; a5 += X[x5 + k] * w; a6 += X[x6 + k] * w; a7 += X[x7 + k] * w;
    kO += O;
  }
  return array(a0, a1, a2, a3, a4, a5, a6, a7);
}

// Row n of the thread's outputs (columns local.x + j kThreadsN of the workgroup's block).
fn storeRow(group: vec3u, local: vec3u, code: u32, n: u32, acc: vec4f) {
  let N = layer.rows;
  let O = layer.outputs;
  let yRow = group.z * N * O + n * O;
  let bBase = group.z * layer.paramsPerRacer + layer.biasOffset;
  for (var j = 0u; j < kMicro; j++) {
    let o = group.x * kTileN + local.x + j * kThreadsN;
    if (n < N && o < O) {
      Y[yRow + o] = activate(code, acc[j] + params[bBase + o]);
    }
  }
}

@compute @workgroup_size(kThreadsN, kThreadsM)
fn main(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_id) local: vec3u,
        @builtin(local_invocation_index) t: u32) {
  let acc = tiledProduct(group, local, t);
  let code = resolveActivation(layer.outputActivation, racerActivations[group.z]);
  for (var i = 0u; i < kMicro; i++) {
    storeRow(group, local, code, group.y * kTileM + local.y + i * kThreadsM, acc[i]);
  }
}

@compute @workgroup_size(kThreadsN, kThreadsM)
fn direct(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_id) local: vec3u) {
  let acc = directProduct(group, local);
  let code = resolveActivation(layer.outputActivation, racerActivations[group.z]);
  for (var i = 0u; i < kDirectRows; i++) {
    storeRow(group, local, code, group.y * kDirectTileM + local.y + i * kThreadsM, acc[i]);
  }
}
