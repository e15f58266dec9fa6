/**
 * The seed's smooth_curve in TypeScript against golden values from numpy running the seed's code
 * verbatim (numpy 2.4, float64):
 *
 *   def smooth_curve(x):
 *       window_len = 11
 *       s = np.r_[x[window_len-1:0:-1], x, x[-1:-window_len:-1]]
 *       w = np.kaiser(window_len, 2)
 *       y = np.convolve(w/w.sum(), s, mode='valid')
 *       return y[5:len(y)-5]
 *
 * on x_i = ((i*37) % 17)/8 + i/10 (exact in both languages), plus the properties the charts rely on.
 */
import { describe, expect, it } from 'vitest';
import { besselI0, IncrementalSmoother, kaiserWindow, kSmoothHalf, smoothCurve, smoothingWeights } from '../src/ui/charts/smoothing';

const input = (n: number): number[] => Array.from({ length: n }, (_, i) => ((i * 37) % 17) / 8 + i / 10);

/** repr(np.kaiser(11, 2)). */
const kNumpyKaiser11Beta2 = [
  0.4386762798370488, 0.6113943543616491, 0.7676749968275236, 0.8921614338542881, 0.9723298008693713, 1.0, 0.9723298008693713, 0.8921614338542881,
  0.7676749968275236, 0.6113943543616491, 0.4386762798370488,
];

/** repr of smooth_curve(input(30)). */
const kNumpySmooth30 = [
  1.1015283145919703, 1.0468701126142401, 1.0587656975609288, 1.132285840545313, 1.2613692602190654, 1.4395253256936815, 1.6604746743063186, 1.7770076603913227,
  1.870028332997824, 1.9549716670021757, 2.0479923396086774, 2.164525325693681, 2.2740286796655313, 2.3466825264111897, 2.3999999999999995, 2.4533174735888106,
  2.5259713203344685, 2.6354746743063187, 2.7520076603913224, 2.845028332997824, 2.929971667002176, 3.0229923396086775, 3.1395253256936813, 3.3604746743063183,
  3.477007660391323, 3.5451168753722366, 3.6569635529353466, 3.742452404056644, 3.7968983205939875, 3.8815061184149293,
];

/** repr of smooth_curve(input(11)): the shortest series the seed returns in full. */
const kNumpySmooth11 = [
  1.1015283145919703, 1.0468701126142401, 1.0587656975609288, 1.132285840545313, 1.2613692602190654, 1.4395253256936815, 1.6355632166807308, 1.7789995463244934,
  1.8644883974457909, 1.8873446619024814, 1.844023783717288,
];

/** Largest |a-b| / max(1, |b|); the orders of summation differ from numpy's, so a few ulps. */
function maxError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i])));
  return worst;
}

describe('Kaiser window', () => {
  it('I0 matches known values (Abramowitz & Stegun table 9.8)', () => {
    expect(besselI0(0)).toBe(1);
    expect(besselI0(1)).toBeCloseTo(1.2660658777520084, 15);
    expect(besselI0(2)).toBeCloseTo(2.2795853023360673, 15);
    expect(besselI0(10)).toBeCloseTo(2815.716628466254, 9);
  });

  it('kaiser(11, 2) equals numpy', () => {
    expect(maxError(kaiserWindow(11, 2), kNumpyKaiser11Beta2)).toBeLessThan(1e-15);
    expect(Array.from(kaiserWindow(1, 2))).toEqual([1]);
    expect(() => kaiserWindow(0, 2)).toThrow(/positive integer/);
  });

  it('the normalised weights sum to 1 and are symmetric', () => {
    const w = smoothingWeights();
    expect(w.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 15);
    for (let k = 0; k < w.length; k++) expect(w[k]).toBe(w[w.length - 1 - k]);
  });
});

describe('smoothCurve', () => {
  it('equals the seed (numpy) on 30 and on 11 values', () => {
    expect(maxError(smoothCurve(input(30)), kNumpySmooth30)).toBeLessThan(1e-14);
    expect(maxError(smoothCurve(input(11)), kNumpySmooth11)).toBeLessThan(1e-14);
  });

  it('returns one value per input value, also for the short series where the seed does not', () => {
    for (let n = 0; n <= 12; n++) expect(smoothCurve(input(n)).length).toBe(n);
    expect(smoothCurve([3.5])[0]).toBeCloseTo(3.5, 14); // the weights sum to 1 up to rounding
    // Short series use the same window with clamped reflections: still a weighted mean of the inputs.
    for (let n = 1; n < 11; n++) {
      const x = input(n);
      const y = smoothCurve(x);
      for (const v of y) {
        expect(v).toBeGreaterThanOrEqual(Math.min(...x) - 1e-12);
        expect(v).toBeLessThanOrEqual(Math.max(...x) + 1e-12);
      }
    }
  });

  it('keeps a constant series constant', () => {
    for (const n of [1, 3, 7, 11, 50]) {
      for (const v of smoothCurve(new Array(n).fill(0.731))) expect(v).toBeCloseTo(0.731, 14);
    }
  });

  it('keeps a linear series linear away from the ends', () => {
    const x = Array.from({ length: 40 }, (_, i) => 2 - 0.05 * i);
    const y = smoothCurve(x);
    // A symmetric window maps a line onto itself wherever it does not reach an end.
    for (let i = kSmoothHalf; i < x.length - kSmoothHalf; i++) expect(y[i]).toBeCloseTo(x[i], 13);
    // At the ends the reflection bends it (the seed's figure does the same).
    expect(Math.abs(y[0] - x[0])).toBeGreaterThan(1e-3);
  });

  it('does not smear NaN: a finite prefix smooths as the seed smooths that prefix alone', () => {
    const x = input(20);
    for (let i = 15; i < 20; i++) x[i] = NaN;
    const y = smoothCurve(x);
    const prefix = smoothCurve(x.slice(0, 15));
    for (let i = 0; i < 15; i++) expect(y[i]).toBe(prefix[i]);
    for (let i = 15; i < 20; i++) expect(y[i]).toBeNaN();
    // numpy would make y[10..14] NaN; the values before the window's reach agree with the seed.
    expect(maxError(y.slice(0, 10), kNumpySmooth30.slice(0, 10))).toBeLessThan(1e-14);
  });

  it('treats Infinity like NaN and smooths each finite run on its own', () => {
    const x = [...input(12), Infinity, ...input(8)];
    const y = smoothCurve(x);
    expect(y[12]).toBeNaN();
    const before = smoothCurve(x.slice(0, 12));
    const after = smoothCurve(x.slice(13));
    for (let i = 0; i < 12; i++) expect(y[i]).toBe(before[i]);
    for (let i = 0; i < 8; i++) expect(y[13 + i]).toBe(after[i]);
  });
});

describe('IncrementalSmoother', () => {
  it('equals smoothCurve exactly after every append, and recomputes only the last 5 values', () => {
    const full = input(230).map((v, i) => v + Math.sin(i / 7));
    full[200] = NaN; // an isolated bad value, then more data
    for (let i = 220; i < 230; i++) full[i] = NaN; // and a diverged tail
    const smoother = new IncrementalSmoother();
    const live: number[] = [];
    let offset = 0;
    for (const chunk of [1, 2, 3, 5, 7, 50, 50, 1, 13, 48, 50]) {
      const before = live.length;
      live.push(...full.slice(offset, offset + chunk));
      offset += chunk;
      const from = smoother.update(live);
      expect(from).toBe(Math.max(0, before - kSmoothHalf));
      expect(Array.from(smoother.values)).toEqual(Array.from(smoothCurve(live)));
    }
    expect(offset).toBe(full.length);
    expect(smoother.update(live)).toBe(live.length); // nothing new
  });

  it('refuses a series that shrank, and starts over after reset()', () => {
    const smoother = new IncrementalSmoother();
    smoother.update(input(20));
    expect(() => smoother.update(input(10))).toThrow(/shrank from 20 to 10/);
    smoother.reset();
    expect(smoother.update(input(10))).toBe(0);
    expect(Array.from(smoother.values)).toEqual(Array.from(smoothCurve(input(10))));
    expect(smoother.at(9)).toBe(smoother.values[9]);
    expect(smoother.at(10)).toBeUndefined();
  });
});
