// Batch norm backward, the book's formulas, for the listed racers in one dispatch: with
// dxn = gamma dout, dbeta = sum dout, dgamma = sum xn dout, and since xc = xn std,
//   dxc = dxn / std - xc sum(dxn xc) / (N std^3) = (dxn - xn sum(dxn xn) / N) / std,
//   dX = dxc - mean(dxc)                                   (sums over the N rows).
// In place on dY: one thread per (racer, feature), the rows in a loop (their sums read first); dxc
// replaces dout, then the mean is taken off.
// Grid: (ceil(O / kWorkgroupSize), racers listed, 1).
// Bindings, group 0 (layouts: batch_norm_common.wgsl):
//   0 dY      storage, read_write  in: the gradient of gamma xn + beta (the activation's derivative and
//                                  the dropout mask already applied, as the next layer's backward-data
//                                  pass does); out: the gradient of the affine output, N x O per racer
//   1 params  storage, read        gamma of every racer
//   2 xn      storage, read        xn of the training forward pass, N x O per racer
//   3 stdDev  storage, read        std of the training forward pass, O per racer
//   4 grads   storage, read_write  dgamma and dbeta written at gamma's and beta's places
//   5 racers  storage, read        indices of the racers that use batch norm
//   6 bn      uniform              BatchNorm

@group(0) @binding(0) var<storage, read_write> dY: array<f32>;
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read> xn: array<f32>;
@group(0) @binding(3) var<storage, read> stdDev: array<f32>;
@group(0) @binding(4) var<storage, read_write> grads: array<f32>;
@group(0) @binding(5) var<storage, read> racers: array<u32>;
@group(0) @binding(6) var<uniform> bn: BatchNorm;

@compute @workgroup_size(kWorkgroupSize)
fn main(@builtin(global_invocation_id) id: vec3u, @builtin(workgroup_id) group: vec3u) {
  let O = bn.features;
  let o = id.x;
  if (o >= O) { return; }
  let N = bn.rows;
  let r = racers[group.y];
  let base = r * N * O + o;
  let gamma = params[r * bn.paramsPerRacer + bn.gammaOffset + o];
  var dBeta = 0.0;
  var dGamma = 0.0;
  for (var n = 0u; n < N; n++) {
    let d = dY[base + n * O];
    dBeta += d;
    dGamma += xn[base + n * O] * d;
  }
  // sum(dxn xn) = gamma dGamma.
  let projection = gamma * dGamma / f32(N);
  let invStd = 1.0 / stdDev[r * O + o];
  var dxcSum = 0.0;
  for (var n = 0u; n < N; n++) {
    let k = base + n * O;
    let dxc = (gamma * dY[k] - xn[k] * projection) * invStd;
    dY[k] = dxc;
    dxcSum += dxc;
  }
  let dxcMean = dxcSum / f32(N);
  for (var n = 0u; n < N; n++) { dY[base + n * O] -= dxcMean; }
  grads[r * bn.paramsPerRacer + bn.gammaOffset + o] = dGamma;
  grads[r * bn.paramsPerRacer + bn.betaOffset + o] = dBeta;
}
