// The surface of f: a triangle list of grid vertices evaluated on the CPU
// (src/race2d/surface/surface-mesh.ts), filled in the contour bands, flat-shaded, with the level
// lines drawn on it. TypeScript reference: src/race2d/surface/surface-shading.ts.
// Bindings: group 0 binding 0, scene (scene.wgsl, joined in front).
// Vertex buffer 0: @location(0) position vec3f (scene units), @location(1) level position f32.

struct SurfaceOut {
  @builtin(position) clip: vec4f,
  @location(0) world: vec3f,
  @location(1) level: f32,
}

@vertex
fn vs(@location(0) position: vec3f, @location(1) level: f32) -> SurfaceOut {
  var out: SurfaceOut;
  out.clip = scene.viewProj * vec4f(position, 1.0);
  out.world = position;
  out.level = level;
  return out;
}

@fragment
fn fs(in: SurfaceOut) -> @location(0) vec4f {
  // The face normal from the screen-space derivatives: flat shading, as the canvas painter's.
  let normal = normalize(cross(dpdx(in.world), dpdy(in.world)));
  let ambient = scene.viewport.w;
  let shade = ambient + (1.0 - ambient) * abs(dot(normal, scene.light.xyz));
  let levels = scene.light.w;
  let band = clamp(floor(in.level) + 1.0, 0.0, levels);
  let t = select(0.0, band / levels, levels > 0.0);
  var color = mix(scene.low.rgb, scene.high.rgb, t) * shade;
  // A level line where the level position crosses a whole number, about 1.2 pixels wide.
  let width = max(fwidth(in.level), 1e-6);
  let distance = abs(in.level - round(in.level));
  let onLevel = select(0.0, 1.0, levels > 0.0 && in.level > -0.25 && in.level < levels - 0.75);
  let line = (1.0 - smoothstep(0.3 * width, 0.9 * width, distance)) * onLevel;
  color = mix(color, scene.line.rgb, line);
  return vec4f(color, 1.0);
}
