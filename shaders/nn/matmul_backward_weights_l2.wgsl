// The weight-gradient pass of a race with chapter-6 racers (appended to matmul_backward_weights.wgsl,
// after regularization.wgsl): dW[r] = X[r]^T dY[r] + lambda_r W[r] for the racers with lambda > 0,
// db as without it (biases are not decayed), except that a hidden layer's bias feeding a batch norm
// gets exactly 0: its true gradient is 0 (the normalisation removes any shift), and the float32
// rounding noise of the column sum would be scaled up to full steps by Adam or RMSprop.
// Entry points mainL2 and directL2; same grid as main.
// Bindings, group 0: 0-3 as matmul_backward_weights.wgsl, then
//   4 params             storage, read   every racer's parameters (W)
//   5 lambdas            storage, read   lambda (f32) of each racer, 0 without the L2 term
//   6 affineActivations  storage, read   each racer's hidden affine activation code: identity for
//                                        a batch-norm racer (its batch norm applies the activation)

@group(0) @binding(4) var<storage, read> params: array<f32>;
@group(0) @binding(5) var<storage, read> lambdas: array<f32>;
@group(0) @binding(6) var<storage, read> affineActivations: array<u32>;

fn storeRowL2(group: vec3u, local: vec3u, row: u32, acc: vec4f) {
  let I = layer.inputs;
  let O = layer.outputs;
  let base = group.z * layer.paramsPerRacer;
  let lambda = lambdas[group.z];
  let biasFeedsBatchNorm = layer.outputActivation == kRacerActivation && affineActivations[group.z] == kIdentity;
  for (var j = 0u; j < kMicro; j++) {
    let o = group.x * kTileN + local.x + j * kThreadsN;
    if (o < O) {
      if (row < I) {
        let w = base + layer.weightOffset + row * O + o;
        grads[w] = select(acc[j], l2Gradient(acc[j], params[w], lambda), lambda > 0.0);
      } else if (row == I) {
        grads[base + layer.biasOffset + o] = select(acc[j], 0.0, biasFeedsBatchNorm);
      }
    }
  }
}

@compute @workgroup_size(kThreadsN, kThreadsM)
fn mainL2(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_id) local: vec3u,
          @builtin(local_invocation_index) t: u32) {
  let acc = tiledProduct(group, local, t);
  for (var i = 0u; i < kMicro; i++) {
    storeRowL2(group, local, group.y * kTileM + local.y + i * kThreadsM, acc[i]);
  }
}

@compute @workgroup_size(kThreadsN, kThreadsM)
fn directL2(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_id) local: vec3u) {
  let sums = directProduct(group, local);
  for (var i = 0u; i < kDirectRows; i++) {
    let row = group.y * kDirectTileM + local.y + i * kThreadsM;
    storeRowL2(group, local, row, select(sums.rows[i], sums.bias, row == layer.inputs));
  }
}
