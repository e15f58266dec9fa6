// The affine forward with dropout fused into its epilogue (appended to affine_forward.wgsl, after
// iteration.wgsl, hash.wgsl and regularization.wgsl): Y[r] = dropout(act(X[r] W[r] + b[r])), the
// mask of (seed, racer, iteration, row, firstUnit + o) in training, x (1 - ratio) in evaluation,
// for the racers whose dropout applies here (not the batch-norm racers: their batch-norm pass
// drops after its activation). Entry points mainDropout and directDropout; same grid as main.
// Bindings, group 0: 0-4 as affine_forward.wgsl, then
//   5 racerDropout  storage, read        RacerDropout of each racer (regularization.wgsl)
//   6 dropout       uniform              AffineDropout (regularization.wgsl)
//   7 iteration     uniform, dynamic     Iteration (iteration.wgsl): the 0-based iteration of the masks

@group(0) @binding(5) var<storage, read> racerDropout: array<RacerDropout>;
@group(0) @binding(6) var<uniform> dropout: AffineDropout;
@group(0) @binding(7) var<uniform> iteration: Iteration;

fn storeRowDropout(group: vec3u, local: vec3u, code: u32, n: u32, acc: vec4f) {
  let N = layer.rows;
  let O = layer.outputs;
  let r = group.z;
  let yRow = r * N * O + n * O;
  let bBase = r * layer.paramsPerRacer + layer.biasOffset;
  let own = racerDropout[r];
  for (var j = 0u; j < kMicro; j++) {
    let o = group.x * kTileN + local.x + j * kThreadsN;
    if (n < N && o < O) {
      let y = activate(code, acc[j] + params[bBase + o]);
      Y[yRow + o] = dropoutEpilogue(dropout.mode, own, y, dropout.seed, r, iteration.iteration, n, dropout.firstUnit + o);
    }
  }
}

@compute @workgroup_size(kThreadsN, kThreadsM)
fn mainDropout(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_id) local: vec3u,
               @builtin(local_invocation_index) t: u32) {
  let acc = tiledProduct(group, local, t);
  let code = resolveActivation(layer.outputActivation, racerActivations[group.z]);
  for (var i = 0u; i < kMicro; i++) {
    storeRowDropout(group, local, code, group.y * kTileM + local.y + i * kThreadsM, acc[i]);
  }
}

@compute @workgroup_size(kThreadsN, kThreadsM)
fn directDropout(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_id) local: vec3u) {
  let acc = directProduct(group, local);
  let code = resolveActivation(layer.outputActivation, racerActivations[group.z]);
  for (var i = 0u; i < kDirectRows; i++) {
    storeRowDropout(group, local, code, group.y * kDirectTileM + local.y + i * kThreadsM, acc[i]);
  }
}
