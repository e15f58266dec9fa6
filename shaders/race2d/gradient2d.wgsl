// The gradient of a 2D test function at every racer's point, and the racer's path.
// One invocation per racer; racer r's point is params[2r], params[2r+1]. Before each update it
// records the point in the path, so the whole race runs with no read-back until the end.
// Bindings, group 0:
//   0 params  storage, read        (x, y) of every racer, flat f32
//   1 grads   storage, read_write  gradient of every racer, same layout
//   2 path    storage, read_write  path[step * racers + r] = (x, y) before update `step`
//   3 step    uniform, dynamic     GradientStep

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

fn gradient(func: u32, x: f32, y: f32) -> vec2f {
  switch func {
    case 0u: { return vec2f(x / 10.0, 2.0 * y); }                       // x^2/20 + y^2
    case 1u: { return vec2f(y, x); }                                     // xy
    case 2u: { return vec2f(2.0 * x + y, x); }                           // x^2 + xy
    case 3u: {                                                           // Rosenbrock
      return vec2f(-2.0 * (1.0 - x) - 400.0 * x * (y - x * x), 200.0 * (y - x * x));
    }
    case 4u: {                                                           // Beale
      let a = 1.5 - x + x * y;
      let b = 2.25 - x + x * y * y;
      let c = 2.625 - x + x * y * y * y;
      return vec2f(2.0 * a * (y - 1.0) + 2.0 * b * (y * y - 1.0) + 2.0 * c * (y * y * y - 1.0),
                   2.0 * a * x + 4.0 * b * x * y + 6.0 * c * x * y * y);
    }
    default: {                                                           // Himmelblau
      let a = x * x + y - 11.0;
      let b = x + y * y - 7.0;
      return vec2f(4.0 * a * x + 2.0 * b, 2.0 * a + 4.0 * b * y);
    }
  }
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let r = id.x;
  if (r >= step.racers) { return; }
  let p = vec2f(params[2u * r], params[2u * r + 1u]);
  path[step.step * step.racers + r] = p;
  let g = gradient(step.func, p.x, p.y);
  grads[2u * r] = g.x;
  grads[2u * r + 1u] = g.y;
}
