/**
 * Float64 reference of batch normalisation, exactly the book's `BatchNormalization`
 * (common/layers.py; ../shared/docs/CHAPTER6.md): per feature over the batch, biased variance,
 * eps 1e-6, running statistics that start at zero and move with momentum 0.9 (no bias
 * correction). Arrays are row-major N x O (N = batch, O = features: the outputs of the affine
 * layer it follows); γ, β and the statistics hold O numbers.
 *
 * CHAPTER6.md and the issue say the bias of an affine layer feeding a batch norm gets an EXACT
 * zero gradient: so it does in exact arithmetic (Σ_n dx = 0); in float64 the sum is rounding,
 * about 1e-17 here (the book's numpy gives the same kind of residue), so its bias barely moves.
 */

/** The book's `10e-7`. */
export const kBatchNormEpsilon = 1e-6;
/** running = momentum * running + (1 - momentum) * batch statistic. */
export const kBatchNormMomentum = 0.9;

export interface RunningStats {
  mean: Float64Array;
  /** The running biased variance. */
  variance: Float64Array;
}

/** The statistics before the first training pass: zeros, as the book's. */
export function zeroRunningStats(features: number): RunningStats {
  return { mean: new Float64Array(features), variance: new Float64Array(features) };
}

/** What the training forward pass keeps for the backward pass and the running statistics. */
export interface BatchNormCache {
  /** x - μ, N x O. */
  xc: Float64Array;
  /** xc / std, N x O. */
  xn: Float64Array;
  /** sqrt(var + eps), O. */
  std: Float64Array;
  /** The batch's mean and biased variance, O each. */
  mean: Float64Array;
  variance: Float64Array;
}

export interface BatchNormTrainResult {
  /** γ xn + β, N x O. */
  out: Float64Array;
  cache: BatchNormCache;
}

function checkSizes(x: ArrayLike<number>, N: number, O: number, gamma: ArrayLike<number>, beta: ArrayLike<number>): void {
  if (x.length !== N * O) throw new Error(`batch norm: x holds ${x.length} numbers, N x O is ${N * O}`);
  if (gamma.length !== O || beta.length !== O) throw new Error(`batch norm: γ and β need ${O} numbers, got ${gamma.length} and ${beta.length}`);
}

/** Training mode: normalise with the batch's own mean and biased variance. */
export function batchNormForwardTrain(x: ArrayLike<number>, N: number, O: number, gamma: ArrayLike<number>, beta: ArrayLike<number>): BatchNormTrainResult {
  checkSizes(x, N, O, gamma, beta);
  const mean = new Float64Array(O);
  const variance = new Float64Array(O);
  const std = new Float64Array(O);
  const xc = new Float64Array(N * O);
  const xn = new Float64Array(N * O);
  const out = new Float64Array(N * O);
  for (let o = 0; o < O; o++) {
    let sum = 0;
    for (let n = 0; n < N; n++) sum += x[n * O + o];
    mean[o] = sum / N;
    let squares = 0;
    for (let n = 0; n < N; n++) {
      const c = x[n * O + o] - mean[o];
      xc[n * O + o] = c;
      squares += c * c;
    }
    variance[o] = squares / N;
    std[o] = Math.sqrt(variance[o] + kBatchNormEpsilon);
    for (let n = 0; n < N; n++) {
      xn[n * O + o] = xc[n * O + o] / std[o];
      out[n * O + o] = gamma[o] * xn[n * O + o] + beta[o];
    }
  }
  return { out, cache: { xc, xn, std, mean, variance } };
}

/** The running statistics after one training pass: 0.9 running + 0.1 batch (a new object). */
export function nextRunningStats(running: RunningStats, cache: Pick<BatchNormCache, 'mean' | 'variance'>): RunningStats {
  const m = kBatchNormMomentum;
  return {
    mean: running.mean.map((r, o) => m * r + (1 - m) * cache.mean[o]),
    variance: running.variance.map((r, o) => m * r + (1 - m) * cache.variance[o]),
  };
}

/** Evaluation mode: γ (x - running mean) / sqrt(running var + eps) + β. */
export function batchNormForwardEval(
  x: ArrayLike<number>,
  N: number,
  O: number,
  gamma: ArrayLike<number>,
  beta: ArrayLike<number>,
  running: RunningStats,
): Float64Array {
  checkSizes(x, N, O, gamma, beta);
  const out = new Float64Array(N * O);
  for (let o = 0; o < O; o++) {
    const std = Math.sqrt(running.variance[o] + kBatchNormEpsilon);
    for (let n = 0; n < N; n++) out[n * O + o] = (gamma[o] * (x[n * O + o] - running.mean[o])) / std + beta[o];
  }
  return out;
}

export interface BatchNormGradients {
  dX: Float64Array;
  dGamma: Float64Array;
  dBeta: Float64Array;
}

/**
 * The book's backward pass, with dxn = γ dout: dβ = Σ dout, dγ = Σ xn dout,
 * dxc = dxn / std − xc Σ(dxn xc) / (N std³), dx = dxc − mean(dxc) (sums over the batch).
 */
export function batchNormBackward(dOut: ArrayLike<number>, N: number, O: number, gamma: ArrayLike<number>, cache: BatchNormCache): BatchNormGradients {
  if (dOut.length !== N * O) throw new Error(`batch norm: dout holds ${dOut.length} numbers, N x O is ${N * O}`);
  const { xc, xn, std } = cache;
  const dX = new Float64Array(N * O);
  const dGamma = new Float64Array(O);
  const dBeta = new Float64Array(O);
  const dxc = new Float64Array(N);
  for (let o = 0; o < O; o++) {
    let dxnXc = 0;
    for (let n = 0; n < N; n++) {
      const d = dOut[n * O + o];
      dBeta[o] += d;
      dGamma[o] += xn[n * O + o] * d;
      dxnXc += gamma[o] * d * xc[n * O + o];
    }
    const s = std[o];
    let dxcSum = 0;
    for (let n = 0; n < N; n++) {
      dxc[n] = (gamma[o] * dOut[n * O + o]) / s - (xc[n * O + o] * dxnXc) / (N * s * s * s);
      dxcSum += dxc[n];
    }
    for (let n = 0; n < N; n++) dX[n * O + o] = dxc[n] - dxcSum / N;
  }
  return { dX, dGamma, dBeta };
}
