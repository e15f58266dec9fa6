/**
 * The book's non-inverted dropout with the mask of src/nn/dropout-mask.ts (the recipe is in its
 * header): keep <=> (h >> 8) > threshold, h = pcg(unit + pcg(row + pcg(iteration + pcg(racer +
 * pcg(seed ^ 0x64726f70))))), all u32 arithmetic wrapping mod 2^32, so the keep decisions are
 * bit-identical to the float64 engine's and the GPU's. The threshold is dropoutThreshold(ratio),
 * computed by the host. The mask is never stored: backward recomputes it (one hash per unit; the
 * row's prefix once per row). The hash stays scalar: its shift amount differs per lane, and wasm
 * SIMD shifts every lane by one amount. work(plan) (race-step.ts) applies dropoutApply after a hidden
 * activation and on its input gradient, dropoutEval in evaluation mode; the others are test entries.
 */

/** pcgHash of src/nn/batch.ts (batch_gather.wgsl's), in u32 arithmetic. */
function pcg(v: u32): u32 {
  const state: u32 = v * <u32>747796405 + <u32>2891336453;
  const word: u32 = ((state >> ((state >> 28) + 4)) ^ state) * <u32>277803737;
  return (word >> 22) ^ word;
}

/** "drop" in ASCII: masks and minibatches are different streams. */
const kDropoutStream: u32 = 0x64726f70;

/** The hash's prefix shared by one row's units: pcg(row + pcg(iteration + pcg(racer + pcg(seed ^ drop)))). */
export function rowKey(seed: u32, racer: u32, iteration: u32, row: u32): u32 {
  return pcg(row + pcg(iteration + pcg(racer + pcg(seed ^ kDropoutStream))));
}

/** Whether `unit` (its index among all hidden units of the network) is kept in the row of `key`. */
export function unitKeeps(key: u32, unit: u32, threshold: u32): bool {
  return pcg(unit + key) >> 8 > threshold;
}

/** The full hash h of one coordinate (dropoutHash's value; a test entry). */
export function dropoutHash(seed: u32, racer: u32, iteration: u32, row: u32, unit: u32): u32 {
  return pcg(unit + rowKey(seed, racer, iteration, row));
}

/**
 * y (N x O, in place) times the mask of rows 0..N-1, units firstUnit..firstUnit+O-1: the training
 * forward (x · mask) and, called on dout with the same coordinates, the backward (dout · mask).
 * A multiply by 1 or 0, so it is exact and a dropped negative value becomes -0 as x · 0 does.
 */
export function dropoutApply(y: usize, n: i32, o: i32, threshold: u32, seed: u32, racer: u32, iteration: u32, firstUnit: u32): void {
  for (let r = 0; r < n; r++) {
    const key = rowKey(seed, racer, iteration, <u32>r);
    const row = y + ((<usize>(r * o)) << 2);
    for (let k = 0; k < o; k++) {
      const p = row + ((<usize>k) << 2);
      store<f32>(p, load<f32>(p) * (unitKeeps(key, firstUnit + <u32>k, threshold) ? <f32>1 : <f32>0));
    }
  }
}

/** The mask itself (N x O f32, 1 keep, 0 drop), as dropoutMask lays it out; a test entry. */
export function dropoutMaskRows(mask: usize, n: i32, o: i32, threshold: u32, seed: u32, racer: u32, iteration: u32, firstUnit: u32): void {
  for (let r = 0; r < n; r++) {
    const key = rowKey(seed, racer, iteration, <u32>r);
    const row = mask + ((<usize>(r * o)) << 2);
    for (let k = 0; k < o; k++) store<f32>(row + ((<usize>k) << 2), unitKeeps(key, firstUnit + <u32>k, threshold) ? 1 : 0);
  }
}

/** Evaluation: y (count floats, in place) times keepFraction = f32(1 - ratio), from the host. */
export function dropoutEval(y: usize, count: i32, keepFraction: f32): void {
  const s = f32x4.splat(keepFraction);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const p = y + ((<usize>i) << 2);
    v128.store(p, f32x4.mul(v128.load(p), s));
  }
  for (; i < count; i++) {
    const p = y + ((<usize>i) << 2);
    store<f32>(p, load<f32>(p) * keepFraction);
  }
}
