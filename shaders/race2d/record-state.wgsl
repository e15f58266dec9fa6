// Records, after each step's optimizer dispatches, every racer's gradient and optimizer state
// into the race's trace, so the UI can draw the state the kernels used, read back once at the end.
// One invocation per racer; row `step` of the trace holds, per racer, 6 floats:
// (g.x, g.y, stateA.x, stateA.y, stateB.x, stateB.y).
// Bindings, group 0:
//   0 grads   storage, read        gradient of every racer (2 floats each), as the optimizers used it
//   1 stateA  storage, read        first state vector of every racer (2 floats each)
//   2 stateB  storage, read        second state vector of every racer (2 floats each)
//   3 trace   storage, read_write  trace[(step * racers + r) * 6 + k]
//   4 step    uniform, dynamic     RecordStep (the gradient kernel's GradientStep slot)

struct RecordStep {
  func: u32,
  racers: u32,
  step: u32,     // trace row to write: update step + 1
  _pad: u32,
}

@group(0) @binding(0) var<storage, read> grads: array<f32>;
@group(0) @binding(1) var<storage, read> stateA: array<f32>;
@group(0) @binding(2) var<storage, read> stateB: array<f32>;
@group(0) @binding(3) var<storage, read_write> trace: array<f32>;
@group(0) @binding(4) var<uniform> step: RecordStep;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let r = id.x;
  if (r >= step.racers) { return; }
  let o = (step.step * step.racers + r) * 6u;
  trace[o] = grads[2u * r];
  trace[o + 1u] = grads[2u * r + 1u];
  trace[o + 2u] = stateA[2u * r];
  trace[o + 3u] = stateA[2u * r + 1u];
  trace[o + 4u] = stateB[2u * r];
  trace[o + 5u] = stateB[2u * r + 1u];
}
