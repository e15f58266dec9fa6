// Shared by the affine kernels (prepended to each): the per-layer uniform and the activations.
// Dimension key: N = batch, I = inputs of the layer, O = outputs, R = racers, P = floats per racer.

struct Layer {
  rows: u32,             // N
  inputs: u32,           // I
  outputs: u32,          // O
  paramsPerRacer: u32,   // P: racer r's parameters (and gradients) start at r * P
  weightOffset: u32,     // W (I x O, row-major) within a racer's block
  biasOffset: u32,       // b (O) within a racer's block
  xRacerStride: u32,     // floats between racers in X: N * I, or 0 when every racer reads X0
  outputActivation: u32, // applied to Y by the forward pass
  inputActivation: u32,  // the one that produced X: its derivative masks dX (backward data)
  _pad0: u32,
  _pad1: u32,
  _pad2: u32,
}

// Activation codes, as activationCode() in src/nn/layout.ts; kRacerActivation means "the racer's
// own", read from the racerActivations array, so racers with different activations share a dispatch.
const kIdentity = 0u;
const kRelu = 1u;
const kSigmoid = 2u;
const kTanh = 3u;
const kRacerActivation = 4u;

fn resolveActivation(code: u32, racerCode: u32) -> u32 {
  return select(code, racerCode, code == kRacerActivation);
}

fn activate(code: u32, x: f32) -> f32 {
  switch code {
    case kRelu: { return max(x, 0.0); }
    case kSigmoid: { return 1.0 / (1.0 + exp(-x)); }
    // tanh(15) rounds to 1 in f32; the clamp keeps implementations that use exp from overflowing to NaN.
    case kTanh: { return tanh(clamp(x, -15.0, 15.0)); }
    default: { return x; }
  }
}

// The activation's derivative, expressed through its output y = act(x).
fn activationSlope(code: u32, y: f32) -> f32 {
  switch code {
    case kRelu: { return select(0.0, 1.0, y > 0.0); }
    case kSigmoid: { return y * (1.0 - y); }
    case kTanh: { return 1.0 - y * y; }
    default: { return 1.0; }
  }
}

// Every matmul kernel: a workgroup of kThreadsN x kThreadsM threads computes a
// (kMicro kThreadsM) x (kMicro kThreadsN) block of the output, each thread a kMicro x kMicro
// micro-tile in registers, rows local.y + i kThreadsM and columns local.x + j kThreadsN (strided,
// so neighbouring threads read neighbouring shared-memory words and write neighbouring outputs).
// The reduction dimension advances in shared-memory tiles of depth kTileK.
const kMicro = 4u;
override kThreadsM: u32 = 8u;
override kThreadsN: u32 = 8u;
override kTileK: u32 = 16u;
override kTileM: u32 = kThreadsM * kMicro;
override kTileN: u32 = kThreadsN * kMicro;
override kThreads: u32 = kThreadsM * kThreadsN;
// 'direct' threads own kDirectRows rows (kMicro columns) each: a workgroup covers kDirectTileM rows.
const kDirectRows = 8u;
override kDirectTileM: u32 = kThreadsM * kDirectRows;

// Two entry points per matmul kernel, one product each (the epilogue is shared):
//   main    shared-memory tiles of depth kTileK between workgroup barriers: for real GPUs.
//   direct  the same micro-tiles read straight from the storage buffers, no barriers: faster on
//           CPU emulations of WebGPU (SwiftShader, lavapipe), where barriers and workgroup memory
//           are expensive and caches make repeated loads cheap.
