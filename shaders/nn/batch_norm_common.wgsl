// Shared by the batch-norm kernels (prepended to each, after common.wgsl for the activations): the
// uniform and the book's constants
// (src/nn/batch-norm-reference.ts). One dispatch serves only the racers that use batch norm: they
// are listed in `racers` (u32 racer indices) and workgroup y is a racer's place in that list.
// Per-racer arrays are indexed by the racer's own index r:
//   activations  X, Y, xn, dOut, dX   N x O per racer: [r * N * O + n * O + o]
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
}

// The book's 10e-7 and momentum (kBatchNormEpsilon, kBatchNormMomentum).
const kEpsilon = 1e-6;
const kMomentum = 0.9;

override kWorkgroupSize: u32 = 64u;
