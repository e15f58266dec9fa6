// The 3D view's per-frame uniforms, shared by surface.wgsl and path-lines.wgsl (joined in front of
// each). Written by src/race2d/surface/surface-renderer.ts (SceneUniforms, 128 bytes).
// Bindings, group 0:
//   0 scene  uniform  Scene

struct Scene {
  viewProj: mat4x4f,   // scene → clip space (src/race2d/surface/camera.ts viewProjection)
  low: vec4f,          // colour of the lowest band (rgb)
  high: vec4f,         // colour of the band above the last level (rgb)
  line: vec4f,         // level lines (rgb)
  light: vec4f,        // xyz: unit light direction; w: number of contour levels
  viewport: vec4f,     // x, y: target size in pixels; z: path width in pixels; w: ambient
}

@group(0) @binding(0) var<uniform> scene: Scene;
