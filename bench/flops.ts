/**
 * Floating-point work of the race, counted from the layer sizes (multiply-adds of the matmuls
 * only: biases, activations, softmax and the optimizers are elementwise and add under 1%).
 * N = batch, I = inputs, O = outputs of a layer, R = racers.
 *
 * Per racer and iteration, every matmul is 2*N*I*O:
 *   forward (every layer), backward data (every layer but the first: the input needs no dX),
 *   backward weights (every layer), and the second forward that measures the loss after the update.
 */

export interface MatmulShape {
  /** M x K times K x N. */
  rows: number;
  inner: number;
  cols: number;
}

export const matmulFlops = (s: MatmulShape): number => 2 * s.rows * s.inner * s.cols;

export function raceFlopsPerIteration(sizes: readonly number[], batchSize: number, racers: number): number {
  if (sizes.length < 2) throw new Error(`a network needs at least two layer sizes, got ${sizes.join('-')}`);
  let perRacer = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const io = sizes[l] * sizes[l + 1];
    const passes = l === 0 ? 3 : 4; // forward, backward weights, forward after the update; + backward data
    perRacer += passes * 2 * batchSize * io;
  }
  return perRacer * racers;
}

/** The matmul that measures the adapter's throughput: large on real GPUs, smaller on CPU emulations. */
export function throughputShape(emulated: boolean): MatmulShape {
  return emulated ? { rows: 256, inner: 512, cols: 512 } : { rows: 1024, inner: 1024, cols: 1024 };
}
