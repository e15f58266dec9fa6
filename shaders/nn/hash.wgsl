// The project's one u32 hash (prepended to the kernels that draw random numbers: the minibatch
// gather, dropout). Mirrored by pcgHash() in src/nn/batch.ts.

// PCG hash (Jarzynski and Olano, "Hash Functions for GPU Rendering", JCGT 2020): one round of a
// PCG generator with an RXS-M-XS output permutation.
fn pcgHash(v: u32) -> u32 {
  let state = v * 747796405u + 2891336453u;
  let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
  return (word >> 22u) ^ word;
}
