/**
 * The dropout mask of every engine: a counter-based hash of (seed, racer, iteration, row, unit),
 * so the WebGPU, WebAssembly and float64 engines draw identical masks with u32 arithmetic only and
 * a race is reproducible from its seed.
 *
 * The exact recipe (all arithmetic mod 2^32; pcg is pcgHash of ./batch.ts, shaders/nn/hash.wgsl's
 * `pcgHash`, the one owner of the hash):
 *
 *   h = pcg(unit + pcg(row + pcg(iteration + pcg(racer + pcg(seed ^ 0x64726f70)))))
 *   m = h >> 8                           // 24 random bits; u = m * 2^-24 is uniform in [0, 1)
 *   keep  <=>  u > ratio  <=>  m > floor(ratio * 2^24)   // dropoutThreshold(ratio), from the host
 *
 * - 0x64726f70 ("drop") separates this stream from the minibatch draw (batchHash), which nests
 *   the same hash from pcg(seed).
 * - `iteration` is 0-based, `row` the row of the minibatch, `unit` the unit's index among ALL
 *   hidden units of the network (layer l's unit o is (sizes[1] + ... + sizes[l]) + o), so each
 *   hidden layer gets its own mask; `racer` is the racer's index in the race.
 * - The book keeps a unit where `np.random.rand() > ratio`; comparing the integer m with the
 *   integer threshold is that comparison done exactly (ratio * 2^24 is exact in float64), so an
 *   f32 copy of the ratio on the GPU cannot round a draw to the other side.
 *
 * In WGSL (pcgHash of shaders/nn/hash.wgsl, dropoutKeeps in shaders/nn/regularization.wgsl; AssemblyScript: the same with u32 locals, whose
 * arithmetic wraps mod 2^32 too):
 *
 *   fn dropoutKeeps(threshold: u32, seed: u32, racer: u32, it: u32, row: u32, unit: u32) -> bool {
 *     let h = pcgHash(unit + pcgHash(row + pcgHash(it + pcgHash(racer + pcgHash(seed ^ 0x64726f70u)))));
 *     return (h >> 8u) > threshold;
 *   }
 *
 * (Checked once by hand, not by a committed test: on Dawn/lavapipe this WGSL and an asc -O3 build
 * of the AssemblyScript form gave dropoutHash's value for 4,096 and 100,000 coordinates.)
 *
 * Where this departs from the book: the book draws masks from numpy's global generator
 * (`np.random.rand(*x.shape) > ratio`), one draw per unit per forward pass; ours are a hash of the
 * unit's coordinates, so the numbers differ from the book's while the distribution is the same.
 */
import { pcgHash } from './batch';

/** XORed into the seed so masks and minibatches are different streams ("drop" in ASCII). */
export const kDropoutStream = 0x64726f70;
/** The bits of a draw: u = (h >> 8) * 2^-24. */
const kDrawScale = 2 ** 24;

/** The u32 hash of one unit's draw (see the recipe above). */
export function dropoutHash(seed: number, racer: number, iteration: number, row: number, unit: number): number {
  const s = pcgHash((seed ^ kDropoutStream) >>> 0);
  const r = pcgHash((racer + s) >>> 0);
  const i = pcgHash((iteration + r) >>> 0);
  const n = pcgHash((row + i) >>> 0);
  return pcgHash((unit + n) >>> 0);
}

/** The draw as the book's uniform in [0, 1): (h >> 8) * 2^-24. */
export function dropoutUniform(seed: number, racer: number, iteration: number, row: number, unit: number): number {
  return (dropoutHash(seed, racer, iteration, row, unit) >>> 8) / kDrawScale;
}

/** floor(ratio * 2^24): a unit is kept when (h >> 8) > this, i.e. when u > ratio. Ratio in [0, 1). */
export function dropoutThreshold(ratio: number): number {
  if (!(ratio >= 0 && ratio < 1)) throw new Error(`a dropout ratio is in [0, 1), got ${ratio}`);
  return Math.floor(ratio * kDrawScale);
}

/** Whether the unit is kept (mask 1) in this iteration's training forward pass. */
export function dropoutKeeps(threshold: number, seed: number, racer: number, iteration: number, row: number, unit: number): boolean {
  return dropoutHash(seed, racer, iteration, row, unit) >>> 8 > threshold;
}

/** Where a mask is drawn: the race's seed, the racer's index and the 0-based iteration. */
export interface MaskCoordinates {
  seed: number;
  racer: number;
  iteration: number;
}

/**
 * The N x O mask (1 keep, 0 drop) of a hidden layer whose first unit has network-wide index
 * `firstUnit`: mask[n * O + o] for row n, unit firstUnit + o.
 */
export function dropoutMask(ratio: number, at: MaskCoordinates, rows: number, units: number, firstUnit = 0): Float64Array {
  const threshold = dropoutThreshold(ratio);
  const mask = new Float64Array(rows * units);
  for (let n = 0; n < rows; n++) {
    for (let o = 0; o < units; o++) mask[n * units + o] = dropoutKeeps(threshold, at.seed, at.racer, at.iteration, n, firstUnit + o) ? 1 : 0;
  }
  return mask;
}
