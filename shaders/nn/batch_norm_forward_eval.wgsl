// Batch norm forward in evaluation, for the listed racers in one dispatch:
// Y = act(gamma (x - running mean) / sqrt(running var + eps) + beta), the activation fused. One
// thread per element (evaluation batches are large). Grid: (ceil(N O / kWorkgroupSize), racers listed, 1).
// Bindings, group 0 (layouts: batch_norm_common.wgsl):
//   0 X        storage, read        the affine output, N x O per racer
//   1 params   storage, read        gamma and beta of every racer
//   2 Y        storage, read_write  act(normalised), N x O per racer
//   3 running  storage, read        running mean and variance
//   4 racers   storage, read        indices of the racers that use batch norm
//   5 bn       uniform              BatchNorm
//   6 racerActivations  storage, read  activation code of each racer (bn.activation kRacerActivation)

@group(0) @binding(0) var<storage, read> X: array<f32>;
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read_write> Y: array<f32>;
@group(0) @binding(3) var<storage, read> running: array<f32>;
@group(0) @binding(4) var<storage, read> racers: array<u32>;
@group(0) @binding(5) var<uniform> bn: BatchNorm;
@group(0) @binding(6) var<storage, read> racerActivations: array<u32>;

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
  Y[k] = activate(code, gamma * (X[k] - running[stats]) / sqrt(running[stats + O] + kEpsilon) + beta);
}
