/**
 * The seed's smooth_curve (deep-learning-from-scratch common/util.py), used by its MNIST race figure:
 *
 *   window_len = 11
 *   s = np.r_[x[window_len-1:0:-1], x, x[-1:-window_len:-1]]
 *   w = np.kaiser(window_len, 2)
 *   y = np.convolve(w/w.sum(), s, mode='valid')
 *   return y[5:len(y)-5]
 *
 * For n >= 11 finite values this is a centred, normalised Kaiser window where output i averages
 * x[i-5..i+5], with the ends extended by reflection: on the left WITHOUT repeating x[0]
 * (x[1], x[2], ... like numpy's pad mode 'reflect'), on the right REPEATING x[n-1]
 * (x[n-1], x[n-2], ... like pad mode 'symmetric'). smoothAt reproduces exactly that.
 *
 * Where we differ from the seed, on purpose:
 * - Short series. For n < 11 the seed's reflections are shorter than the window and it returns
 *   3n-21 values (none for n <= 7, and numpy raises for n = 0) that no longer line up with the
 *   iterations. We always return n values: the same centred window and the same edge rules, with a
 *   reflected index that would still fall outside the series (runs shorter than 6) clamped to the
 *   nearest end. A single value smooths to itself and a
 *   constant series stays constant (up to rounding: the weights sum to 1 within an ulp).
 * - Non-finite values (a diverged racer's NaN/Infinity tail). numpy lets NaN spread over the whole
 *   window, so the last 5 finite points before a divergence become NaN too. Here a non-finite input
 *   stays NaN in the output and does not spread at all: each run of finite values is smoothed on its
 *   own, as if it were the whole series (reflected at the run's ends). A finite prefix therefore
 *   smooths exactly as the seed would smooth that prefix alone.
 */

/** The seed's window length and Kaiser beta. */
export const kSmoothWindow = 11;
export const kSmoothBeta = 2;
/** Half the window: the number of smoothed values that may still change when points are appended. */
export const kSmoothHalf = (kSmoothWindow - 1) / 2;

/** Zeroth-order modified Bessel function of the first kind, I0(x) = sum_k ((x/2)^k / k!)^2. */
export function besselI0(x: number): number {
  const q = (x * x) / 4;
  let term = 1;
  let sum = 1;
  // Terms shrink like q^k/(k!)^2; stop when they no longer change the sum (k ~ 20 for x = 2).
  for (let k = 1; k < 500; k++) {
    term *= q / (k * k);
    const next = sum + term;
    if (next === sum) break;
    sum = next;
  }
  return sum;
}

/** np.kaiser(m, beta): w[n] = I0(beta * sqrt(1 - ((n - a)/a)^2)) / I0(beta), a = (m-1)/2. */
export function kaiserWindow(m: number, beta: number): Float64Array {
  if (!Number.isInteger(m) || m < 1) throw new RangeError(`kaiserWindow: length must be a positive integer, got ${m}`);
  if (!Number.isFinite(beta)) throw new RangeError(`kaiserWindow: beta must be finite, got ${beta}`);
  const w = new Float64Array(m);
  if (m === 1) {
    w[0] = 1; // numpy: np.kaiser(1, beta) == [1.]
    return w;
  }
  const alpha = (m - 1) / 2;
  const i0Beta = besselI0(beta);
  for (let n = 0; n < m; n++) {
    const r = (n - alpha) / alpha;
    w[n] = besselI0(beta * Math.sqrt(1 - r * r)) / i0Beta;
  }
  return w;
}

/** The seed's weights, normalised like `w / w.sum()` (numpy sums the 11 values in order). */
const kWeights: Float64Array = (() => {
  const w = kaiserWindow(kSmoothWindow, kSmoothBeta);
  let sum = 0;
  for (const v of w) sum += v;
  return w.map((v) => v / sum);
})();

/** The normalised smoothing weights (a copy). */
export function smoothingWeights(): Float64Array {
  return kWeights.slice();
}

/**
 * The smoothed value at index i of the first n values of x (NaN where x[i] is not finite).
 * Depends only on x[i-5..i+5] and on where the finite run holding i starts and ends.
 */
export function smoothAt(x: ArrayLike<number>, n: number, i: number): number {
  if (!Number.isFinite(x[i])) return NaN;
  // The run [a, b) of finite values around i, looked for no further than the window reaches:
  // a boundary further away than kSmoothHalf is never reflected at.
  let a = i;
  while (a > 0 && a > i - kSmoothHalf && Number.isFinite(x[a - 1])) a--;
  let b = i + 1;
  while (b < n && b <= i + kSmoothHalf && Number.isFinite(x[b])) b++;
  const m = b - a;
  let sum = 0;
  for (let k = 0; k < kSmoothWindow; k++) {
    let j = i - a + k - kSmoothHalf; // index within the run
    if (j < 0) j = -j; // left: reflect without repeating the edge
    if (j > m - 1) j = 2 * m - 1 - j; // right: reflect repeating the edge
    j = Math.min(Math.max(j, 0), m - 1); // runs shorter than 6: clamp
    sum += kWeights[k] * x[a + j];
  }
  return sum;
}

/** The seed's smooth_curve over the whole series: one value per input value (see the module notes). */
export function smoothCurve(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = smoothAt(x, n, i);
  return y;
}

/**
 * smoothCurve for a series that only grows (live losses): update() smooths the new values and
 * recomputes only the last kSmoothHalf old ones, the only ones whose window reached past the old
 * end. Results equal smoothCurve(values) exactly (same arithmetic, same order).
 */
export class IncrementalSmoother {
  private buffer = new Float64Array(256);
  private count = 0;

  /** Number of smoothed values. */
  get length(): number {
    return this.count;
  }

  /** The smoothed values (a view into a buffer that is reused; copy it to keep it). */
  get values(): Float64Array {
    return this.buffer.subarray(0, this.count);
  }

  /** Smoothed value i (undefined past the end). */
  at(i: number): number | undefined {
    return i >= 0 && i < this.count ? this.buffer[i] : undefined;
  }

  /**
   * Brings the smoothed values up to date with x, which must be the previous input with values
   * appended (call reset() otherwise). Returns the first index whose value was (re)computed, or
   * x.length when nothing changed.
   */
  update(x: ArrayLike<number>): number {
    const n = x.length;
    if (n < this.count) throw new RangeError(`IncrementalSmoother: the series shrank from ${this.count} to ${n} values; call reset() first`);
    if (n === this.count) return n;
    if (n > this.buffer.length) {
      const grown = new Float64Array(Math.max(n, this.buffer.length * 2));
      grown.set(this.values);
      this.buffer = grown;
    }
    const from = Math.max(0, this.count - kSmoothHalf);
    for (let i = from; i < n; i++) this.buffer[i] = smoothAt(x, n, i);
    this.count = n;
    return from;
  }

  /** Forgets every value (the buffer is kept). */
  reset(): void {
    this.count = 0;
  }
}
