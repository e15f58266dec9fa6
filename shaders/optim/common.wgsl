// Shared by every optimizer kernel: the per-step uniform and the flat thread index.
// One OptimStep is written per racer per step into a ring of 256-byte slots (dynamic offset),
// so many steps can be encoded before one submit.

struct OptimStep {
  lr: f32,       // learning rate
  h1: f32,       // momentum | decay | beta1 (unused by SGD and AdaGrad)
  h2: f32,       // beta2 (Adam only)
  eps: f32,      // 1e-7, as in the seed
  t: f32,        // 1-based step number
  correction: f32, // Adam: sqrt(1-beta2^t)/(1-beta1^t), from the CPU in float64 (see adam.wgsl)
  offset: u32,   // first parameter of this racer in the shared buffers
  count: u32,    // number of parameters of this racer
}

override kWorkgroupSize: u32 = 64;

// Dispatches may be 2D when a segment needs more than 65535 workgroups.
fn flatIndex(id: vec3u, groups: vec3u) -> u32 {
  return id.x + id.y * groups.x * kWorkgroupSize;
}
