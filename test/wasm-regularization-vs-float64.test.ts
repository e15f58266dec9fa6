/**
 * Chapter 6's WebAssembly kernels (src/wasm/assembly/batch-norm.ts, dropout.ts, weight-decay.ts)
 * called on their own through the module's exports, against the float64 references
 * (src/nn/batch-norm-reference.ts, regularization-reference.ts, dropout-mask.ts), at sizes that are
 * no multiple of 4 (batch N = 7, F = 13 features, a 13-11-7-10 network), for 3 racers with their
 * own parameters, so every f32x4 loop's scalar tail runs. The race that calls them from work(plan):
 * test/wasm-chapter6-race.test.ts.
 *
 * Every input is a float32 value given to both sides, so the bounds count only the kernel's own
 * roundings, each at most u = 2^-24 relative (first order; Higham's γ_K for a K-term sum):
 * - batch norm, training, per feature with S = max_n |x| and κ = max(1, S / std): the mean is
 *   within (N+1)uS, x - mean within (N+3)uS, the variance within (5N+14)uS² (it is at most S²), so
 *   std within ((5N+14)/2·κ² + 2)u·std and xn = (x - mean)/std within (3N+10)uκ²(1 + |xn|);
 *   out = γ xn + β adds 2u(|γ xn| + |β|). The running statistics contract by 0.9 per pass and
 *   gain 0.1 × the batch's error plus 3 roundings (f32 0.9, f32 0.1, the sum) each pass, so they
 *   stay below the fixed points (N+31)uS and (5N+44)uS² (S the largest over the passes);
 * - evaluation: x - mean, var + eps (eps in f32), sqrt, γ·, /std, +β are 6 roundings, so out is
 *   within 8u(|γ (x - mean)/std| + |β|);
 * - backward, from xn and std in f32 (the reference gets the same numbers and xc = xn·std, exact
 *   in float64, so both compute the same function): dβ within N·u·Σ|dout|, dγ within
 *   (N+1)u·G with G = Σ|xn dout|; dxc = (γ/std)(dout - xn dγ/N) within (N+6)u·T_n,
 *   T_n = |γ/std|(|dout_n| + |xn_n| G/N), the mean of dxc within (2N+7)u·mean(T), so dx within
 *   (2N+8)u(T_n + mean T) + u|dx_n|;
 * - dropout: the mask is u32 arithmetic, so the hash, the keep decisions and x · mask (a multiply
 *   by 1 or 0) are bit-identical; evaluation's x · f32(1 - ratio) is within 2u|x (1 - ratio)|;
 * - L2: dW + f32(λ)·W within 3u(|dW| + |λW|); ½λΣW² is summed in f64 from f32 weights (squares
 *   exact), so the kernel and the reference are each within K·2^-53 of the exact sum of K squares.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  batchNormBackward,
  batchNormForwardEval,
  batchNormForwardTrain,
  nextRunningStats,
  type RunningStats,
  zeroRunningStats,
} from '../src/nn/batch-norm-reference';
import { dropoutHash, dropoutMask, dropoutThreshold } from '../src/nn/dropout-mask';
import { networkLayout } from '../src/nn/layout';
import { addL2Gradient, dropoutBackward, dropoutForwardEval, dropoutForwardTrain, l2Term } from '../src/nn/regularization-reference';
import { seededRandom } from '../src/util/random';
import { instantiateRaceWasm, type RaceWasmExports } from '../src/wasm/module';
import { expectWithin, wasmArena } from './fixtures/wasm-arena';

const u = 2 ** -24;
const N = 7; // batch rows
const F = 13; // features (a hidden layer's outputs)
const kRacers = 3;

let memory: WebAssembly.Memory;
let k: RaceWasmExports;
const { alloc, putF32, f32At, reset } = wasmArena(() => memory);
/** The bits of float32 values: equal bits, equal numbers (-0 included). */
const bits = (values: ArrayLike<number>): Uint32Array => new Uint32Array(Float32Array.from(values).buffer);

beforeAll(async () => {
  memory = new WebAssembly.Memory({ initial: 8 });
  k = await instantiateRaceWasm(memory);
});

/** Float32 values in ±[lo, hi] plus `offset`, deterministic. */
function values(random: () => number, length: number, lo: number, hi: number, offset = 0): Float32Array {
  return Float32Array.from({ length }, () => offset + (random() < 0.5 ? -1 : 1) * (lo + (hi - lo) * random()));
}

/** Per feature o of an N x F batch: max_n |x|. */
const columnMaxAbs = (x: ArrayLike<number>): Float64Array =>
  Float64Array.from({ length: F }, (_, o) => Math.max(...Array.from({ length: N }, (_, n) => Math.abs(x[n * F + o]))));

describe('batch norm (N 7 x F 13, 3 racers)', () => {
  it('training forward, 3 passes per racer: out, xn, std and the running statistics as the float64 reference', () => {
    for (let r = 0; r < kRacers; r++) {
      reset();
      const random = seededRandom(601 + r);
      const gamma = values(random, F, 0.5, 2);
      const beta = values(random, F, 0, 1);
      const g = putF32(gamma);
      const b = putF32(beta);
      const runMean = putF32(new Float32Array(F));
      const runVar = putF32(new Float32Array(F));
      const xn = alloc(N * F * 4);
      const std = alloc(F * 4);
      const out = alloc(N * F * 4);
      let running: RunningStats = zeroRunningStats(F);
      const sMax = new Float64Array(F);
      for (let pass = 0; pass < 3; pass++) {
        // Racer 2's features sit off zero, so the two-pass variance is what keeps it accurate.
        const x = values(random, N * F, 0, 1, r === 2 ? 3 : 0);
        const X = putF32(x);
        k.batchNormTrain(X, out, N, F, g, b, xn, std, runMean, runVar);
        const expected = batchNormForwardTrain(x, N, F, gamma, beta);
        running = nextRunningStats(running, expected.cache);
        const S = columnMaxAbs(x);
        S.forEach((s, o) => {
          sMax[o] = Math.max(sMax[o], s);
        });
        const kappa2 = Float64Array.from(S, (s, o) => Math.max(1, s / expected.cache.std[o]) ** 2);
        const at = `racer ${r} pass ${pass}`;
        expectWithin(
          `${at} std`,
          f32At(std, F),
          expected.cache.std,
          (o) => ((5 * N + 14) / 2) * kappa2[o] * u * expected.cache.std[o] + 2 * u * expected.cache.std[o],
        );
        const xnBound = (i: number): number => (3 * N + 10) * u * kappa2[i % F] * (1 + Math.abs(expected.cache.xn[i]));
        expectWithin(`${at} xn`, f32At(xn, N * F), expected.cache.xn, xnBound);
        expectWithin(`${at} out`, f32At(out, N * F), expected.out, (i) => {
          const o = i % F;
          return Math.abs(gamma[o]) * xnBound(i) + 2 * u * (Math.abs(gamma[o] * expected.cache.xn[i]) + Math.abs(beta[o]));
        });
        expectWithin(`${at} running mean`, f32At(runMean, F), running.mean, (o) => (N + 31) * u * sMax[o]);
        expectWithin(`${at} running variance`, f32At(runVar, F), running.variance, (o) => (5 * N + 44) * u * sMax[o] ** 2);
      }
    }
  });

  it('training forward in place (out = x) gives the same bits', () => {
    reset();
    const random = seededRandom(611);
    const x = values(random, N * F, 0, 1);
    const gamma = values(random, F, 0.5, 2);
    const beta = values(random, F, 0, 1);
    const [g, b] = [putF32(gamma), putF32(beta)];
    const [xn, std, out] = [alloc(N * F * 4), alloc(F * 4), alloc(N * F * 4)];
    const X = putF32(x);
    k.batchNormTrain(X, out, N, F, g, b, xn, std, putF32(new Float32Array(F)), putF32(new Float32Array(F)));
    k.batchNormTrain(X, X, N, F, g, b, xn, std, putF32(new Float32Array(F)), putF32(new Float32Array(F)));
    expect(bits(f32At(X, N * F))).toEqual(bits(f32At(out, N * F)));
  });

  it('evaluation forward with running statistics (one of them still zero) as the float64 reference', () => {
    for (let r = 0; r < kRacers; r++) {
      reset();
      const random = seededRandom(621 + r);
      const x = values(random, N * F, 0, 2);
      const gamma = values(random, F, 0.5, 2);
      const beta = values(random, F, 0, 1);
      const mean = values(random, F, 0, 0.5);
      const variance = Float32Array.from({ length: F }, (_, o) => (o === 5 ? 0 : 0.01 + random()));
      const out = alloc(N * F * 4);
      k.batchNormEval(putF32(x), out, N, F, putF32(gamma), putF32(beta), putF32(mean), putF32(variance));
      const running = { mean: Float64Array.from(mean), variance: Float64Array.from(variance) };
      const expected = batchNormForwardEval(x, N, F, gamma, beta, running);
      expectWithin(`racer ${r} out`, f32At(out, N * F), expected, (i) => {
        const o = i % F;
        return 8 * u * (Math.abs(expected[i] - beta[o]) + Math.abs(beta[o]));
      });
    }
  });

  it('backward: dγ, dβ and dx (also in place, dx = dout) as the float64 reference', () => {
    for (let r = 0; r < kRacers; r++) {
      reset();
      const random = seededRandom(631 + r);
      const x = values(random, N * F, 0, 1, r === 2 ? 3 : 0);
      const gamma = values(random, F, 0.5, 2);
      const forward = batchNormForwardTrain(x, N, F, gamma, new Float64Array(F));
      // The kernel's inputs in f32; the reference gets the same numbers (xn·std is exact in float64).
      const xn32 = Float32Array.from(forward.cache.xn);
      const std32 = Float32Array.from(forward.cache.std);
      const cache = {
        ...forward.cache,
        xn: Float64Array.from(xn32),
        std: Float64Array.from(std32),
        xc: Float64Array.from(xn32, (v, i) => v * std32[i % F]),
      };
      const dout = values(random, N * F, 0, 1);
      const D = putF32(dout);
      const [G, XN, STD] = [putF32(gamma), putF32(xn32), putF32(std32)];
      const [dx, dgamma, dbeta] = [alloc(N * F * 4), alloc(F * 4), alloc(F * 4)];
      k.batchNormBackward(D, dx, N, F, G, XN, STD, dgamma, dbeta);
      const expected = batchNormBackward(dout, N, F, gamma, cache);
      const sumOverRows = (term: (n: number) => number): number => Array.from({ length: N }, (_, n) => term(n)).reduce((a, v) => a + v, 0);
      const sumAbs = Float64Array.from({ length: F }, (_, o) => sumOverRows((n) => Math.abs(dout[n * F + o])));
      const sumXnD = Float64Array.from({ length: F }, (_, o) => sumOverRows((n) => Math.abs(xn32[n * F + o] * dout[n * F + o])));
      expectWithin(`racer ${r} dβ`, f32At(dbeta, F), expected.dBeta, (o) => N * u * sumAbs[o] + Number.MIN_VALUE);
      expectWithin(`racer ${r} dγ`, f32At(dgamma, F), expected.dGamma, (o) => (N + 1) * u * sumXnD[o] + Number.MIN_VALUE);
      const T = Float64Array.from({ length: N * F }, (_, i) => {
        const o = i % F;
        return Math.abs(gamma[o] / std32[o]) * (Math.abs(dout[i]) + (Math.abs(xn32[i]) * sumXnD[o]) / N);
      });
      const meanT = Float64Array.from({ length: F }, (_, o) => sumOverRows((n) => T[n * F + o]) / N);
      expectWithin(`racer ${r} dx`, f32At(dx, N * F), expected.dX, (i) => (2 * N + 8) * u * (T[i] + meanT[i % F]) + u * Math.abs(expected.dX[i]));
      k.batchNormBackward(D, D, N, F, G, XN, STD, dgamma, dbeta);
      expect(bits(f32At(D, N * F)), 'in place').toEqual(bits(f32At(dx, N * F)));
    }
  });
});

describe('dropout', () => {
  it('hashes 17,920 coordinates (u32 wrap-around included) bit-identically to dropoutHash', () => {
    const seeds = [0, 1, 2026, 0x7fffffff, 0x80000000, 0xffffffff, 0x64726f70];
    const iterations = [0, 1, 299, 0xfffffffe];
    const actual: number[] = [];
    const expected: number[] = [];
    for (const seed of seeds)
      for (let racer = 0; racer < 4; racer++)
        for (const it of iterations)
          for (let row = 0; row < 4; row++)
            for (let unit = 0; unit < 40; unit++) {
              actual.push(k.dropoutHash(seed, racer, it, row, unit * 97 + 3) >>> 0);
              expected.push(dropoutHash(seed, racer, it, row, unit * 97 + 3));
            }
    expect(actual.length).toBe(17920);
    expect(actual).toEqual(expected);
  });

  it.each([0, 0.15, 0.2, 0.5, 0.999])('draws the masks of ratio %f (37 rows x 113 units, 3 racers, 2 iterations) as dropoutMask', (ratio) => {
    reset();
    const threshold = dropoutThreshold(ratio);
    const rows = 37;
    const units = 113;
    const firstUnit = 100;
    const mask = alloc(rows * units * 4);
    for (let racer = 0; racer < kRacers; racer++) {
      for (const iteration of [0, 7]) {
        const at = { seed: 0xdeadbeef, racer, iteration };
        k.dropoutMaskRows(mask, rows, units, threshold, at.seed, racer, iteration, firstUnit);
        const expected = dropoutMask(ratio, at, rows, units, firstUnit);
        expect(bits(f32At(mask, rows * units)), `racer ${racer} iteration ${iteration}`).toEqual(bits(expected));
      }
    }
  });

  it('drops a unit whose draw equals the ratio (the book keeps u > ratio), as dropoutMask', () => {
    reset();
    const at = { seed: 99, racer: 1, iteration: 5 };
    for (const [row, unit] of [
      [3, 4],
      [6, 12],
    ]) {
      // ratio = this unit's own draw u = m · 2^-24 (exact), so its threshold is m and u > ratio is false.
      const m = dropoutHash(at.seed, at.racer, at.iteration, row, unit) >>> 8;
      const ratio = m / 2 ** 24;
      expect(dropoutThreshold(ratio)).toBe(m);
      const mask = alloc(N * F * 4);
      k.dropoutMaskRows(mask, N, F, m, at.seed, at.racer, at.iteration, 0);
      const expected = dropoutMask(ratio, at, N, F);
      expect(expected[row * F + unit]).toBe(0);
      expect(bits(f32At(mask, N * F))).toEqual(bits(expected));
    }
  });

  it('applies the mask in training (x · mask) and in backward (dout · mask) bit-identically, 3 racers', () => {
    const ratio = 0.2;
    const threshold = dropoutThreshold(ratio);
    for (let racer = 0; racer < kRacers; racer++) {
      reset();
      const random = seededRandom(701 + racer);
      const at = { seed: 12345, racer, iteration: 41 + racer };
      const mask = dropoutMask(ratio, at, N, F, 26);
      const x = values(random, N * F, 0, 2);
      const dout = values(random, N * F, 0, 1);
      const [X, D] = [putF32(x), putF32(dout)];
      k.dropoutApply(X, N, F, threshold, at.seed, racer, at.iteration, 26);
      k.dropoutApply(D, N, F, threshold, at.seed, racer, at.iteration, 26);
      expect(bits(f32At(X, N * F)), `racer ${racer} forward`).toEqual(bits(dropoutForwardTrain(x, mask)));
      expect(bits(f32At(D, N * F)), `racer ${racer} backward`).toEqual(bits(dropoutBackward(dout, mask)));
      expect(mask.includes(0) && mask.includes(1), 'the mask both keeps and drops').toBe(true);
    }
  });

  it.each([0.15, 0.2, 0.5])('scales by 1 - %f in evaluation, as the float64 reference', (ratio) => {
    reset();
    const x = values(seededRandom(711), N * F, 0, 2);
    const X = putF32(x);
    k.dropoutEval(X, N * F, 1 - ratio);
    const expected = dropoutForwardEval(x, ratio);
    expectWithin('x · (1 - ratio)', f32At(X, N * F), expected, (i) => 2 * u * Math.abs(expected[i]) + Number.MIN_VALUE);
  });
});

describe('L2 weight decay (a 13-11-7-10 network, 3 racers with their own λ)', () => {
  const layout = networkLayout([13, 11, 7, 10]);
  const P = layout.paramsPerRacer;
  const lambdas = [0.1, 1e-3, 3.86e-7];

  it('adds λ W into each dW and leaves the bias gradients alone', () => {
    reset();
    const random = seededRandom(801);
    const params = values(random, kRacers * P, 0, 1);
    const grads = values(random, kRacers * P, 0, 0.3);
    const [W, dW] = [putF32(params), putF32(grads)];
    for (let r = 0; r < kRacers; r++) {
      for (const layer of layout.layers) {
        const at = (r * P + layer.weightOffset) * 4;
        k.addL2Gradient(W + at, dW + at, layer.inputs * layer.outputs, lambdas[r]);
      }
    }
    const after = f32At(dW, kRacers * P);
    for (let r = 0; r < kRacers; r++) {
      for (const [l, layer] of layout.layers.entries()) {
        const start = r * P + layer.weightOffset;
        const count = layer.inputs * layer.outputs;
        const w = params.subarray(start, start + count);
        const before = grads.subarray(start, start + count);
        const expected = addL2Gradient(lambdas[r], w, Float64Array.from(before));
        expectWithin(
          `racer ${r} layer ${l} dW`,
          after.subarray(start, start + count),
          expected,
          (i) => 3 * u * (Math.abs(before[i]) + Math.abs(lambdas[r] * w[i])),
        );
        const bias = r * P + layer.biasOffset;
        expect(bits(after.subarray(bias, bias + layer.outputs)), `racer ${r} layer ${l} db`).toEqual(bits(grads.subarray(bias, bias + layer.outputs)));
      }
    }
  });

  it('gives ½λΣ‖W‖² over every weight matrix as the float64 reference', () => {
    reset();
    const random = seededRandom(811);
    const params = values(random, kRacers * P, 0, 1);
    const W = putF32(params);
    const K = layout.layers.reduce((sum, layer) => sum + layer.inputs * layer.outputs, 0);
    for (let r = 0; r < kRacers; r++) {
      const matrices = layout.layers.map((layer) => params.subarray(r * P + layer.weightOffset, r * P + layer.weightOffset + layer.inputs * layer.outputs));
      const term = layout.layers.reduce((sum, layer) => sum + k.l2Term(W + (r * P + layer.weightOffset) * 4, layer.inputs * layer.outputs, lambdas[r]), 0);
      const expected = l2Term(lambdas[r], matrices);
      expect(Math.abs(term - expected), `racer ${r}: ${term} vs ${expected}`).toBeLessThanOrEqual(2 * (K + 2) * 2 ** -53 * expected);
    }
  });
});
