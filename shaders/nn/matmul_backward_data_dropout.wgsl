// The backward-data pass with dropout fused (appended to matmul_backward_data.wgsl, after
// iteration.wgsl, hash.wgsl and regularization.wgsl): dX[r] = (dY[r] W[r]^T) * mask * act'(X[r]),
// the mask of the training forward pass that produced X (the layer's input, a hidden layer's
// output): the same (seed, racer, iteration, row, firstUnit + i). act' is taken through the stored
// output, which is act(.) where the unit was kept; where it was dropped the mask makes dX 0 anyway.
// Entry points mainDropout and directDropout; same grid as main.
// Bindings, group 0: 0-5 as matmul_backward_data.wgsl, then
//   6 racerDropout  storage, read        RacerDropout of each racer (regularization.wgsl)
//   7 dropout       uniform              AffineDropout (regularization.wgsl; mode kDropoutMask; firstUnit of the input's unit 0)
//   8 iteration     uniform, dynamic     Iteration (iteration.wgsl): the 0-based iteration of the masks

@group(0) @binding(6) var<storage, read> racerDropout: array<RacerDropout>;
@group(0) @binding(7) var<uniform> dropout: AffineDropout;
@group(0) @binding(8) var<uniform> iteration: Iteration;

fn storeRowDropout(group: vec3u, local: vec3u, code: u32, n: u32, acc: vec4f) {
  let N = layer.rows;
  let I = layer.inputs;
  let r = group.z;
  let xRow = r * layer.xRacerStride + n * I;
  let dxRow = r * N * I + n * I;
  let own = racerDropout[r];
  for (var j = 0u; j < kMicro; j++) {
    let c = group.x * kTileN + local.x + j * kThreadsN;
    if (n < N && c < I) {
      let masked = dropoutEpilogue(dropout.mode, own, acc[j], dropout.seed, r, iteration.iteration, n, dropout.firstUnit + c);
      dX[dxRow + c] = masked * activationSlope(code, X[xRow + c]);
    }
  }
}

@compute @workgroup_size(kThreadsN, kThreadsM)
fn mainDropout(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_id) local: vec3u,
               @builtin(local_invocation_index) t: u32) {
  let acc = tiledProduct(group, local, t);
  let code = resolveActivation(layer.inputActivation, racerActivations[group.z]);
  for (var i = 0u; i < kMicro; i++) {
    storeRowDropout(group, local, code, group.y * kTileM + local.y + i * kThreadsM, acc[i]);
  }
}

@compute @workgroup_size(kThreadsN, kThreadsM)
fn directDropout(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_id) local: vec3u) {
  let acc = directProduct(group, local);
  let code = resolveActivation(layer.inputActivation, racerActivations[group.z]);
  for (var i = 0u; i < kDirectRows; i++) {
    storeRowDropout(group, local, code, group.y * kDirectTileM + local.y + i * kThreadsM, acc[i]);
  }
}
