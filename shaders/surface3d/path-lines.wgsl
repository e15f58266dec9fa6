// The racers' paths on the surface: each segment (a → b, scene units, lifted onto the surface by
// src/race2d/surface/surface-paths.ts) is one instance drawn as a screen-space quad
// scene.viewport.z pixels wide (WebGPU's line primitives are one pixel), depth-tested.
// Bindings: group 0 binding 0, scene (scene.wgsl, joined in front).
// Instance buffer 0: @location(0) a vec3f, @location(1) b vec3f, @location(2) colour vec4f.

struct PathOut {
  @builtin(position) clip: vec4f,
  @location(0) color: vec4f,
}

@vertex
fn vs(@builtin(vertex_index) vertex: u32, @location(0) a: vec3f, @location(1) b: vec3f, @location(2) color: vec4f) -> PathOut {
  // Two triangles: corners (end, side) = (0,-) (1,-) (1,+) / (0,-) (1,+) (0,+).
  let ends = array<f32, 6>(0.0, 1.0, 1.0, 0.0, 1.0, 0.0);
  let sides = array<f32, 6>(-1.0, -1.0, 1.0, -1.0, 1.0, 1.0);
  let ca = scene.viewProj * vec4f(a, 1.0);
  let cb = scene.viewProj * vec4f(b, 1.0);
  let size = scene.viewport.xy;
  let along = (cb.xy / cb.w - ca.xy / ca.w) * size;
  let direction = select(vec2f(1.0, 0.0), normalize(along), length(along) > 1e-6);
  let normal = vec2f(-direction.y, direction.x);
  let end = ends[vertex];
  // Half a width past each end so consecutive segments join without gaps.
  let offset = (normal * sides[vertex] + direction * (end * 2.0 - 1.0)) * scene.viewport.z / size;
  let clip = mix(ca, cb, end);
  var out: PathOut;
  out.clip = vec4f(clip.xy + offset * clip.w, clip.z, clip.w);
  out.color = color;
  return out;
}

@fragment
fn fs(in: PathOut) -> @location(0) vec4f {
  return in.color;
}
