// The gradient of a 2D function at every racer's point, and the racer's path.
// One invocation per racer; racer r's point is params[2r], params[2r+1]. Before each update it
// records the point in the path, so the whole race runs with no read-back until the end.
// `fn gradient(func, x, y) -> vec2f` comes first: functions2d.wgsl for the named functions or
// the WGSL generated for a typed one. A gradient that is NaN or infinite marks the racer diverged.
// Bindings, group 0:
//   0 params  storage, read        (x, y) of every racer, flat f32
//   1 grads   storage, read_write  gradient of every racer, same layout
//   2 path    storage, read_write  path[step * racers + r] = (x, y) before update `step`
//   3 step    uniform, dynamic     GradientStep
//   4 diverged storage, read_write diverged[r] = first step whose gradient was not finite, + 1 (0: none)

struct GradientStep {
  func: u32,     // FunctionId index (src/race2d/functions.ts)
  racers: u32,
  step: u32,     // path row to write
  _pad: u32,
}

@group(0) @binding(0) var<storage, read> params: array<f32>;
@group(0) @binding(1) var<storage, read_write> grads: array<f32>;
@group(0) @binding(2) var<storage, read_write> path: array<vec2f>;
@group(0) @binding(3) var<uniform> step: GradientStep;
@group(0) @binding(4) var<storage, read_write> diverged: array<u32>;

// By the bits: WGSL lets a compiler assume no NaN in comparisons.
fn is_finite(v: vec2f) -> bool {
  let bits = bitcast<vec2u>(v) & vec2u(0x7f800000u);
  return all(bits != vec2u(0x7f800000u));
}


@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let r = id.x;
  if (r >= step.racers) { return; }
  let p = vec2f(params[2u * r], params[2u * r + 1u]);
  path[step.step * step.racers + r] = p;
  let g = gradient(step.func, p.x, p.y);
  if (!is_finite(g) && diverged[r] == 0u) { diverged[r] = step.step + 1u; }
  grads[2u * r] = g.x;
  grads[2u * r + 1u] = g.y;
}
