// The gradients of the named 2D functions (src/race2d/functions.ts), by FunctionId index.
// Joined in front of gradient2d.wgsl; a typed function supplies its own generated `gradient`
// (src/race2d/expression-wgsl.ts) instead. No bindings.

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
