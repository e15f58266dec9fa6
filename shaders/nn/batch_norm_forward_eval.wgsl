// Batch norm forward in evaluation, for the listed racers in one dispatch, in place on Y:
// Y = dropout(act(gamma (x - running mean) / sqrt(running var + eps) + beta)), the activation and
// the evaluation dropout, x (1 - ratio), fused. One thread per element (evaluation batches are
// large). Grid: (ceil(N O / kWorkgroupSize), racers listed, 1).
// Bindings, group 0 (layouts: batch_norm_common.wgsl):
//   0 Y        storage, read_write  in: the affine output; out: the layer's output, N x O per racer
//   1 params   storage, read        gamma and beta of every racer
//   2 running  storage, read        running mean and variance
//   3 racers   storage, read        indices of the racers that use batch norm
//   4 bn       uniform              BatchNorm
//   5 racerActivations  storage, read  activation code of each racer (bn.activation kRacerActivation)
//   6 racerDropout      storage, read  RacerDropout of each racer (regularization.wgsl)

@group(0) @binding(0) var<storage, read_write> Y: array<f32>;
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read> running: array<f32>;
@group(0) @binding(3) var<storage, read> racers: array<u32>;
@group(0) @binding(4) var<uniform> bn: BatchNorm;
@group(0) @binding(5) var<storage, read> racerActivations: array<u32>;
@group(0) @binding(6) var<storage, read> racerDropout: array<RacerDropout>;

@compute @workgroup_size(kWorkgroupSize)
fn main(@builtin(global_invocation_id) id: vec3u, @builtin(workgroup_id) group: vec3u) {
  let O = bn.features;
  let e = id.x;
  if (e >= bn.rows * O) { return; }
  let o = e % O;
  let r = racers[group.y];
  let code = resolveActivation(bn.activation, racerActivations[r]);
  let stats = r * bn.statsPerRacer + bn.statsOffset + o;
  let gamma = params[r * bn.paramsPerRacer + bn.gammaOffset + o];
  let beta = params[r * bn.paramsPerRacer + bn.betaOffset + o];
  let k = r * bn.rows * O + e;
  let y = activate(code, gamma * (Y[k] - running[stats]) / sqrt(running[stats + O] + kEpsilon) + beta);
  Y[k] = dropoutEpilogue(kDropoutScale, racerDropout[r], y, 0u, r, 0u, 0u, 0u);
}
