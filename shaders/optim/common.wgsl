// Shared by every optimizer kernel: the workgroup size and the flat thread index.
// The per-step uniform OptimStep is generated from each optimizer's registry entry and prepended
// (src/optim/step-uniform.ts): offset and count of the racer's parameters, then its named scalars.
// One OptimStep is written per racer per step into a ring of aligned slots (dynamic offset), so
// many steps can be encoded before one submit.

override kWorkgroupSize: u32 = 64;

// Dispatches may be 2D when a segment needs more than 65535 workgroups.
fn flatIndex(id: vec3u, groups: vec3u) -> u32 {
  return id.x + id.y * groups.x * kWorkgroupSize;
}
