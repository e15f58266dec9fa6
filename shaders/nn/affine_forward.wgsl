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

fn directProduct(group: vec3u, local: vec3u) -> array<vec4f, kMicro> {
  let N = layer.rows;
  let I = layer.inputs;
  let O = layer.outputs;
  let wBase = group.z * layer.paramsPerRacer + layer.weightOffset;
  // Rows and columns past the matrix are clamped to its edge; their results are never stored.
  var xRow: array<u32, kMicro>;
  var col: array<u32, kMicro>;
  for (var i = 0u; i < kMicro; i++) {
    xRow[i] = group.z * layer.xRacerStride + min(group.y * kTileM + local.y + i * kThreadsM, N - 1u) * I;
    col[i] = wBase + min(group.x * kTileN + local.x + i * kThreadsN, O - 1u);
  }
  var acc: array<vec4f, kMicro>;
  for (var k = 0u; k < I; k++) {
    let w = vec4f(params[col[0] + k * O], params[col[1] + k * O], params[col[2] + k * O], params[col[3] + k * O]);
    for (var i = 0u; i < kMicro; i++) {
      acc[i] += X[xRow[i] + k] * w;
    }
  }
  return acc;
}

fn store(group: vec3u, local: vec3u, acc: array<vec4f, kMicro>) {
  let N = layer.rows;
  let O = layer.outputs;
  let r = group.z;
  let code = resolveActivation(layer.outputActivation, racerActivations[r]);
  let yBase = r * N * O;
  let bBase = r * layer.paramsPerRacer + layer.biasOffset;
  for (var i = 0u; i < kMicro; i++) {
    let n = group.y * kTileM + local.y + i * kThreadsM;
    for (var j = 0u; j < kMicro; j++) {
      let o = group.x * kTileN + local.x + j * kThreadsN;
      if (n < N && o < O) {
        Y[yBase + n * O + o] = activate(code, acc[i][j] + params[bBase + o]);
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
