// Shared by every optimizer kernel: the workgroup size, the step records and how a workgroup finds
// its racer and its parameter. The record struct OptimStep is generated from each optimizer's
// registry entry and prepended (src/optim/step-records.ts): offset and count of the racer's
// parameters, then its named scalars. One dispatch per optimizer serves all of its racers:
// grid (ceil(count / kWorkgroupSize), racers of this optimizer, z when x would pass 65535).
// Bindings, group 0, shared by every optimizer kernel (the kernel declares 0-3 itself):
//   4 optimSteps   storage, read  records[slot * R + racer], one per racer per step
//   5 optimRacers  storage, read  racer indices grouped by optimizer (active racers first)
//   6 optimDispatch uniform, dynamic  where this dispatch's slot and racer group start

override kWorkgroupSize: u32 = 64;

struct OptimDispatch {
  steps: u32,   // first record of the slot: slot * R
  racers: u32,  // first entry of this optimizer's racers in optimRacers
}

@group(0) @binding(4) var<storage, read> optimSteps: array<OptimStep>;
@group(0) @binding(5) var<storage, read> optimRacers: array<u32>;
@group(0) @binding(6) var<uniform> optimDispatch: OptimDispatch;

// The kernel's entry point takes this: `fn main(at: OptimInvocation)`.
struct OptimInvocation {
  @builtin(workgroup_id) group: vec3u,
  @builtin(num_workgroups) groups: vec3u,
  @builtin(local_invocation_index) lane: u32,
}

// The step record of this workgroup's racer (workgroup y is its place in the group).
fn racerStep(at: OptimInvocation) -> OptimStep {
  return optimSteps[optimDispatch.steps + optimRacers[optimDispatch.racers + at.group.y]];
}

// This thread's parameter within its racer (compare with step.count, add step.offset).
fn paramIndex(at: OptimInvocation) -> u32 {
  return (at.group.x + at.group.z * at.groups.x) * kWorkgroupSize + at.lane;
}
