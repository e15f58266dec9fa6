/**
 * Which training images make up each minibatch: drawn with replacement (like the seed's
 * np.random.choice) from an integer hash of (seed, iteration, row), the same on the GPU
 * (batch_gather.wgsl) and in TypeScript, so both backends train on identical batches.
 */

/** Label of a padding row past the end of a sequential gather (kNoLabel in iteration.wgsl). */
export const kNoLabel = 0xffffffff;

/**
 * The PCG hash (Jarzynski and Olano, "Hash Functions for GPU Rendering", JCGT 2020): one step of
 * a PCG generator with an RXS-M-XS output permutation, in u32 arithmetic.
 */
export function pcgHash(v: number): number {
  const state = (Math.imul(v >>> 0, 747796405) + 2891336453) >>> 0;
  const word = Math.imul(((state >>> ((state >>> 28) + 4)) ^ state) >>> 0, 277803737) >>> 0;
  return ((word >>> 22) ^ word) >>> 0;
}

/** Nested hashing of the three inputs: pcg(row + pcg(iteration + pcg(seed))), all mod 2^32. */
export function batchHash(seed: number, iteration: number, row: number): number {
  return pcgHash((row + pcgHash((iteration + pcgHash(seed)) >>> 0)) >>> 0);
}

function checkU32(what: string, n: number): void {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new Error(`${what} must be a whole number from 0 to 2^32-1, got ${n}`);
}

/** Image indices of iteration `iteration`'s minibatch (0-based iteration). */
export function batchIndices(seed: number, iteration: number, batchSize: number, trainCount: number): Uint32Array {
  checkU32('seed', seed);
  checkU32('iteration', iteration);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batch size must be a positive whole number, got ${batchSize}`);
  if (!Number.isInteger(trainCount) || trainCount < 1 || trainCount > 0xffffffff) {
    throw new Error(`the training set must hold at least one image, got ${trainCount}`);
  }
  return Uint32Array.from({ length: batchSize }, (_, n) => batchHash(seed, iteration, n) % trainCount);
}

/** Image indices of an evaluation chunk: first .. first + rows - 1 (indices past the set are padding). */
export function sequentialIndices(first: number, rows: number): Uint32Array {
  checkU32('first image', first);
  return Uint32Array.from({ length: rows }, (_, n) => first + n);
}

/** pixel / 255 exactly as the GPU computes it: f32(pixel) * f32(1/255), correctly rounded. */
const kInv255 = Math.fround(1 / 255);
export function pixelValue(byte: number): number {
  return Math.fround(byte * kInv255);
}
