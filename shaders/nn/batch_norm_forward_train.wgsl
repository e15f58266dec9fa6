// Batch norm forward in training, for the listed racers in one dispatch, in place on Y: per
// (racer, feature) over the N rows, mu = mean(x), xc = x - mu, var = mean(xc^2) (biased),
// std = sqrt(var + eps), xn = xc / std, Y = dropout(act(gamma xn + beta)) (the layer's activation
// and the racer's dropout mask fused: no dispatch of their own); keeps xn and std for the backward
// pass and moves the running statistics: running = 0.9 running + 0.1 batch statistic. One thread
// per (racer, feature), the rows in a loop (two passes: mean, then centred squares); each thread
// reads its column whole before it writes it. Grid: (ceil(O / kWorkgroupSize), racers listed, 1).
// Bindings, group 0 (layouts: batch_norm_common.wgsl):
//   0 Y        storage, read_write  in: the affine output; out: dropout(act(gamma xn + beta)), N x O per racer
//   1 params   storage, read        gamma and beta of every racer
//   2 xn       storage, read_write  xn, N x O per racer (for the backward pass)
//   3 stdDev   storage, read_write  std, O per racer (for the backward pass)
//   4 running  storage, read_write  running mean and variance, updated in place
//   5 racers   storage, read        indices of the racers that use batch norm
//   6 bn       uniform              BatchNorm
//   7 racerActivations  storage, read    activation code of each racer (bn.activation kRacerActivation)
//   8 racerDropout      storage, read    RacerDropout of each racer (regularization.wgsl)
//   9 iteration         uniform, dynamic Iteration (iteration.wgsl): the 0-based iteration of the masks

@group(0) @binding(0) var<storage, read_write> Y: array<f32>;
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read_write> xn: array<f32>;
@group(0) @binding(3) var<storage, read_write> stdDev: array<f32>;
@group(0) @binding(4) var<storage, read_write> running: array<f32>;
@group(0) @binding(5) var<storage, read> racers: array<u32>;
@group(0) @binding(6) var<uniform> bn: BatchNorm;
@group(0) @binding(7) var<storage, read> racerActivations: array<u32>;
@group(0) @binding(8) var<storage, read> racerDropout: array<RacerDropout>;
@group(0) @binding(9) var<uniform> iteration: Iteration;

@compute @workgroup_size(kWorkgroupSize)
fn main(@builtin(global_invocation_id) id: vec3u, @builtin(workgroup_id) group: vec3u) {
  let O = bn.features;
  let o = id.x;
  if (o >= O) { return; }
  let N = bn.rows;
  let r = racers[group.y];
  let code = resolveActivation(bn.activation, racerActivations[r]);
  let own = racerDropout[r];
  let base = r * N * O + o;
  var sum = 0.0;
  for (var n = 0u; n < N; n++) { sum += Y[base + n * O]; }
  let mean = sum / f32(N);
  var squares = 0.0;
  for (var n = 0u; n < N; n++) {
    let c = Y[base + n * O] - mean;
    squares += c * c;
  }
  let variance = squares / f32(N);
  let s = sqrt(variance + kEpsilon);
  let gamma = params[r * bn.paramsPerRacer + bn.gammaOffset + o];
  let beta = params[r * bn.paramsPerRacer + bn.betaOffset + o];
  for (var n = 0u; n < N; n++) {
    let k = base + n * O;
    let v = (Y[k] - mean) / s;
    xn[k] = v;
    let y = activate(code, gamma * v + beta);
    Y[k] = dropoutEpilogue(kDropoutMask, own, y, bn.seed, r, iteration.iteration, n, bn.firstUnit + o);
  }
  stdDev[r * O + o] = s;
  let stats = r * bn.statsPerRacer + bn.statsOffset + o;
  running[stats] = kMomentum * running[stats] + (1.0 - kMomentum) * mean;
  running[stats + O] = kMomentum * running[stats + O] + (1.0 - kMomentum) * variance;
}
