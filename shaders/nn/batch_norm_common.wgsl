// Shared by the batch-norm kernels (prepended to each, after common.wgsl for the activations, and
// for the forward kernels iteration.wgsl, hash.wgsl and regularization.wgsl for the fused dropout):
// the uniform and the book's constants (src/nn/batch-norm-reference.ts). One dispatch serves only
// the racers that use batch norm: they are listed in `racers` (u32 racer indices) and workgroup y is
// a racer's place in that list. Each kernel works IN PLACE on one activation (or gradient) buffer,
// so the race's layer buffers serve plain and batch-norm racers alike. Per-racer arrays are indexed
// by the racer's own index r:
//   activations  Y, xn, dY          N x O per racer: [r * N * O + n * O + o]
//   std          O per racer: [r * O + o]
//   gamma, beta  in params (and dgamma, dbeta in grads): [r * P + gammaOffset + o], [r * P + betaOffset + o]
//   running      [r * statsPerRacer + statsOffset + o] the mean, [... + O + o] the biased variance

struct BatchNorm {
  rows: u32,           // N
  features: u32,       // O
  paramsPerRacer: u32, // P
  gammaOffset: u32,    // gamma within a racer's block of params (dgamma within grads)
  betaOffset: u32,     // beta likewise
  statsPerRacer: u32,  // floats between racers in running
  statsOffset: u32,    // this layer's running mean within a racer's block (its variance follows, O later)
  activation: u32,     // applied to the forward passes' Y (an activation code, kRacerActivation: the racer's own)
  seed: u32,           // the race's seed (the fused dropout's masks)
  firstUnit: u32,      // index among all hidden units of this layer's unit 0 (the masks' unit)
  _pad0: u32,
  _pad1: u32,
}

// The book's 10e-7 and momentum (kBatchNormEpsilon, kBatchNormMomentum).
const kEpsilon = 1e-6;
const kMomentum = 0.9;

override kWorkgroupSize: u32 = 64u;
