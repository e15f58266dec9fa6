// Per-iteration values (prepended to the kernels that need them), one 16-byte slot per iteration in
// a uniform ring bound with a dynamic offset, so many iterations can be encoded before one submit.

struct Iteration {
  iteration: u32, // 0-based training iteration: selects the minibatch (batch_gather)
  slot: u32,      // row of the per-racer result buffers: losses[slot * R + r], correct[slot * R + r]
  first: u32,     // first image of a sequential (evaluation) gather
  _pad: u32,
}

// Label of a padding row (past the end of a sequential gather): never counted, never correct.
const kNoLabel = 0xffffffffu;
