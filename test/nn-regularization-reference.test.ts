/**
 * The float64 references of chapter 6 (src/nn/regularized-mlp.ts and its parts): batch norm,
 * the book's non-inverted dropout, the L2 term, and the dropout-mask hash. Expected values come
 * from central differences, from the book's formulas written out again here on plain arrays (the
 * book's own backward, with its dvar/dmu steps, not the reference's shorter form), and from hash
 * values computed independently (BigInt here, Python for the goldens).
 */
import { describe, expect, it } from 'vitest';
import { dropoutHash, dropoutKeeps, dropoutMask, dropoutThreshold, dropoutUniform, kDropoutStream } from '../src/nn/dropout-mask';
import { networkLayout } from '../src/nn/layout';
import {
  accuracy,
  dropoutMasks,
  emptyParams,
  evaluationLoss,
  forward,
  gradient,
  initialRunningStats,
  loss,
  type RegularizedMlpOptions,
  type RegularizedMlpParams,
} from '../src/nn/regularized-mlp';

type Mat = number[][];

/** Deterministic values in about [-1, 1] (no generator under test). */
const wave = (k: number, scale = 1): number => scale * Math.sin(1.7 * k + 0.3) * Math.cos(0.37 * k);
const matrix = (rows: number, cols: number, salt: number, scale = 1): Mat =>
  Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => wave(salt * 101 + i * cols + j, scale)));

/** Writes W (I x O matrices) and b into the reference's params (the layout of src/nn/layout.ts). */
function paramsFrom(options: RegularizedMlpOptions, Ws: Mat[], bs: number[][], gammas: number[][] = [], betas: number[][] = []): RegularizedMlpParams {
  const params = emptyParams(options);
  networkLayout(options.sizes).layers.forEach((layer, l) => {
    for (let i = 0; i < layer.inputs; i++) for (let o = 0; o < layer.outputs; o++) params.weights[layer.weightOffset + i * layer.outputs + o] = Ws[l][i][o];
    for (let o = 0; o < layer.outputs; o++) params.weights[layer.biasOffset + o] = bs[l][o];
  });
  gammas.forEach((g, l) => params.gamma[l].set(g));
  betas.forEach((b, l) => params.beta[l].set(b));
  return params;
}

function readW(options: RegularizedMlpOptions, weights: Float64Array, l: number): Mat {
  const { weightOffset, inputs, outputs } = networkLayout(options.sizes).layers[l];
  return Array.from({ length: inputs }, (_, i) => Array.from(weights.subarray(weightOffset + i * outputs, weightOffset + (i + 1) * outputs)));
}
function readB(options: RegularizedMlpOptions, weights: Float64Array, l: number): number[] {
  const { biasOffset, outputs } = networkLayout(options.sizes).layers[l];
  return Array.from(weights.subarray(biasOffset, biasOffset + outputs));
}

const flat = (m: Mat): number[] => m.flat();

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let k = 0; k < expected.length; k++) {
    const scale = Math.max(1, Math.abs(expected[k]));
    expect(Math.abs(actual[k] - expected[k]) / scale, `${what}[${k}]: ${actual[k]} vs ${expected[k]}`).toBeLessThan(tolerance);
  }
}

// ---- The book's MultiLayerNetExtend, written out on plain arrays -------------------------------
const dot = (A: Mat, B: Mat): Mat => A.map((row) => B[0].map((_, j) => row.reduce((s, a, k) => s + a * B[k][j], 0)));
const transpose = (A: Mat): Mat => A[0].map((_, j) => A.map((r) => r[j]));
const colSum = (A: Mat): number[] => A[0].map((_, j) => A.reduce((s, r) => s + r[j], 0));
const zip = (A: Mat, B: Mat, f: (a: number, b: number) => number): Mat => A.map((r, i) => r.map((a, j) => f(a, B[i][j])));
const rowwise = (A: Mat, v: number[], f: (a: number, b: number) => number): Mat => A.map((r) => r.map((a, j) => f(a, v[j])));

interface BookNet {
  W: Mat[];
  b: number[][];
  gamma: number[][];
  beta: number[][];
  runMean: number[][];
  runVar: number[][];
}
interface BookOptions {
  bn: boolean;
  dropout: number;
  lambda: number;
}

/** common/layers.py BatchNormalization.__forward (train_flg=True), momentum 0.9, eps 10e-7. */
function bookBnForward(x: Mat, gamma: number[], beta: number[], net: BookNet, l: number) {
  const N = x.length;
  const mu = colSum(x).map((s) => s / N);
  const xc = rowwise(x, mu, (a, m) => a - m);
  const variance = colSum(xc.map((r) => r.map((v) => v * v))).map((s) => s / N);
  const std = variance.map((v) => Math.sqrt(v + 10e-7));
  const xn = rowwise(xc, std, (a, s) => a / s);
  net.runMean[l] = net.runMean[l].map((r, j) => 0.9 * r + (1 - 0.9) * mu[j]);
  net.runVar[l] = net.runVar[l].map((r, j) => 0.9 * r + (1 - 0.9) * variance[j]);
  const out = rowwise(
    rowwise(xn, gamma, (a, g) => a * g),
    beta,
    (a, b) => a + b,
  );
  return { out, xc, xn, std };
}

/** BatchNormalization.__backward, as the book writes it (dstd, dvar, dmu). */
function bookBnBackward(dout: Mat, gamma: number[], cache: { xc: Mat; xn: Mat; std: number[] }) {
  const N = dout.length;
  const { xc, xn, std } = cache;
  const dbeta = colSum(dout);
  const dgamma = colSum(zip(xn, dout, (a, b) => a * b));
  const dxn = rowwise(dout, gamma, (a, g) => a * g);
  let dxc = rowwise(dxn, std, (a, s) => a / s);
  const dstd = colSum(zip(dxn, xc, (a, b) => (a * b) / 1)).map((s, j) => -s / (std[j] * std[j]));
  const dvar = dstd.map((d, j) => (0.5 * d) / std[j]);
  dxc = dxc.map((r, i) => r.map((a, j) => a + (2.0 / N) * xc[i][j] * dvar[j]));
  const dmu = colSum(dxc);
  const dx = rowwise(dxc, dmu, (a, m) => a - m / N);
  return { dx, dgamma, dbeta };
}

/** network.gradient(x, t) of MultiLayerNetExtend with ReLU, for given dropout masks. */
function bookGradient(net: BookNet, opt: BookOptions, X: Mat, t: number[], masks: Mat[]) {
  const L = net.W.length;
  const caches: { input: Mat; bn?: ReturnType<typeof bookBnForward>; reluOut: Mat }[] = [];
  let h = X;
  for (let l = 0; l + 1 < L; l++) {
    let a = rowwise(dot(h, net.W[l]), net.b[l], (x, b) => x + b);
    let bn: ReturnType<typeof bookBnForward> | undefined;
    if (opt.bn) {
      bn = bookBnForward(a, net.gamma[l], net.beta[l], net, l);
      a = bn.out;
    }
    const reluOut = a.map((r) => r.map((v) => Math.max(v, 0))); // the book: zero where x <= 0
    caches.push({ input: h, bn, reluOut });
    h = opt.dropout > 0 ? zip(reluOut, masks[l], (v, m) => v * m) : reluOut;
  }
  const scores = rowwise(dot(h, net.W[L - 1]), net.b[L - 1], (x, b) => x + b);
  const N = X.length;
  const y = scores.map((r) => {
    const m = Math.max(...r);
    const e = r.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / s);
  });
  let weightDecay = 0;
  for (const W of net.W) weightDecay += 0.5 * opt.lambda * W.flat().reduce((s, w) => s + w * w, 0);
  const lossValue = -y.reduce((s, r, n) => s + Math.log(r[t[n]] + 1e-7), 0) / N + weightDecay;
  let dout: Mat = y.map((r, n) => r.map((v, c) => (v - (c === t[n] ? 1 : 0)) / N));
  const dW: Mat[] = [];
  const db: number[][] = [];
  const dgamma: number[][] = [];
  const dbeta: number[][] = [];
  for (let l = L - 1; l >= 0; l--) {
    const input = l === L - 1 ? h : caches[l].input;
    dW[l] = zip(dot(transpose(input), dout), net.W[l], (g, w) => g + opt.lambda * w);
    db[l] = colSum(dout);
    if (l === 0) break;
    let dx = dot(dout, transpose(net.W[l]));
    const below = caches[l - 1];
    if (opt.dropout > 0) dx = zip(dx, masks[l - 1], (d, m) => d * m);
    dx = zip(dx, below.reluOut, (d, v) => (v > 0 ? d : 0));
    if (opt.bn && below.bn) {
      const g = bookBnBackward(dx, net.gamma[l - 1], below.bn);
      dgamma[l - 1] = g.dgamma;
      dbeta[l - 1] = g.dbeta;
      dx = g.dx;
    }
    dout = dx;
  }
  return { loss: lossValue, dW, db, dgamma, dbeta };
}

// ---- gradients against central differences -----------------------------------------------------
describe('the regularized MLP reference: gradients', () => {
  const N = 6;
  for (const activation of ['tanh', 'sigmoid', 'relu'] as const) {
    it(`agree with central differences with bn, dropout and l2 (${activation}, float64, relative error < 1e-6)`, () => {
      const options: RegularizedMlpOptions = { sizes: [4, 5, 3, 3], activation, bn: true, dropout: 0.3, l2: 0.05 };
      const layout = networkLayout(options.sizes);
      const params = paramsFrom(
        options,
        layout.layers.map((layer, l) => matrix(layer.inputs, layer.outputs, l + 1, 0.8)),
        layout.layers.map((layer, l) => matrix(1, layer.outputs, l + 7, 0.3)[0]),
        [matrix(1, 5, 11, 0.4)[0].map((v) => 1 + v), matrix(1, 3, 12, 0.4)[0].map((v) => 1 + v)],
        [matrix(1, 5, 13, 0.2)[0], matrix(1, 3, 14, 0.2)[0]],
      );
      const X = matrix(N, 4, 21).flat();
      const labels = [0, 2, 1, 1, 0, 2];
      const masks = dropoutMasks(options, { seed: 7, racer: 2, iteration: 3 }, N);
      expect(masks.map((m) => m.reduce((a, b) => a + b, 0))).not.toContain(0);
      const running = initialRunningStats(options);
      const { grads } = gradient(options, params, X, labels, N, running, masks);
      const f = (): number => loss(options, params, forward(options, params, X, N, { train: true, masks }, running), labels).loss;

      const h = 1e-5;
      const numeric = (array: Float64Array, k: number): number => {
        const saved = array[k];
        array[k] = saved + h;
        const up = f();
        array[k] = saved - h;
        const down = f();
        array[k] = saved;
        return (up - down) / (2 * h);
      };
      const relativeError = (a: ArrayLike<number>, n: ArrayLike<number>): number => {
        let diff = 0;
        let size = 0;
        for (let k = 0; k < a.length; k++) {
          diff += (a[k] - n[k]) ** 2;
          size += a[k] ** 2 + n[k] ** 2;
        }
        return Math.sqrt(diff) / Math.sqrt(size);
      };
      layout.layers.forEach((layer, l) => {
        const w = Array.from({ length: layer.inputs * layer.outputs }, (_, k) => layer.weightOffset + k);
        const b = Array.from({ length: layer.outputs }, (_, k) => layer.biasOffset + k);
        const numW = w.map((k) => numeric(params.weights, k));
        expect(
          relativeError(
            w.map((k) => grads.weights[k]),
            numW,
          ),
          `dW of layer ${l}`,
        ).toBeLessThan(1e-6);
        const numB = b.map((k) => numeric(params.weights, k));
        if (l + 1 < layout.layers.length) {
          // The bias feeding a batch norm: its gradient is zero (exactly in exact arithmetic; here up to rounding).
          for (const k of b) expect(Math.abs(grads.weights[k]), `db of layer ${l}`).toBeLessThan(1e-15);
          for (const n of numB) expect(Math.abs(n)).toBeLessThan(1e-9);
        } else {
          expect(
            relativeError(
              b.map((k) => grads.weights[k]),
              numB,
            ),
            `db of layer ${l}`,
          ).toBeLessThan(1e-6);
        }
      });
      params.gamma.forEach((g, l) => {
        expect(
          relativeError(
            grads.gamma[l],
            Array.from(g, (_, k) => numeric(g, k)),
          ),
          `dγ of hidden layer ${l}`,
        ).toBeLessThan(1e-6);
      });
      params.beta.forEach((b, l) => {
        expect(
          relativeError(
            grads.beta[l],
            Array.from(b, (_, k) => numeric(b, k)),
          ),
          `dβ of hidden layer ${l}`,
        ).toBeLessThan(1e-6);
      });
    });
  }
});

// ---- one SGD step against the book's formulas --------------------------------------------------
describe('the regularized MLP reference: one SGD step', () => {
  it('with bn, dropout and l2 equals the book written out (loss, gradients, parameters, running statistics)', () => {
    const sizes = [3, 4, 4, 2];
    const options: RegularizedMlpOptions = { sizes, activation: 'relu', bn: true, dropout: 0.25, l2: 0.1 };
    const N = 5;
    const lr = 0.1;
    const Ws = [matrix(3, 4, 1), matrix(4, 4, 2), matrix(4, 2, 3)];
    const bs = [matrix(1, 4, 4, 0.1)[0], matrix(1, 4, 5, 0.1)[0], matrix(1, 2, 6, 0.1)[0]];
    const gammas = [
      [1, 1.2, 0.8, 1],
      [0.9, 1, 1.1, 1.3],
    ];
    const betas = [
      [0, 0.1, -0.1, 0.2],
      [0.05, 0, -0.2, 0.1],
    ];
    // Fixed masks (the hash has its own tests below); every row keeps some units.
    const masks: Mat[] = [
      [
        [1, 0, 1, 1],
        [1, 1, 0, 1],
        [0, 1, 1, 1],
        [1, 1, 1, 0],
        [1, 0, 1, 1],
      ],
      [
        [1, 1, 0, 1],
        [0, 1, 1, 1],
        [1, 1, 1, 1],
        [1, 0, 1, 0],
        [1, 1, 0, 1],
      ],
    ];
    const X = matrix(N, 3, 9);
    const t = [0, 1, 1, 0, 1];

    const book: BookNet = {
      W: Ws.map((W) => W.map((r) => [...r])),
      b: bs.map((b) => [...b]),
      gamma: gammas.map((g) => [...g]),
      beta: betas.map((b) => [...b]),
      runMean: [Array(4).fill(0), Array(4).fill(0)],
      runVar: [Array(4).fill(0), Array(4).fill(0)],
    };
    const expected = bookGradient(book, { bn: true, dropout: 0.25, lambda: 0.1 }, X, t, masks);

    const params = paramsFrom(options, Ws, bs, gammas, betas);
    const result = gradient(
      options,
      params,
      X.flat(),
      t,
      N,
      initialRunningStats(options),
      masks.map((m) => Float64Array.from(m.flat())),
    );
    expect(Math.abs(result.loss - expected.loss)).toBeLessThan(1e-13);
    for (let l = 0; l < 3; l++) {
      expectClose(flat(readW(options, result.grads.weights, l)), flat(expected.dW[l]), 1e-13, `dW${l}`);
      expectClose(readB(options, result.grads.weights, l), expected.db[l], 1e-13, `db${l}`);
    }
    for (let l = 0; l < 2; l++) {
      expectClose(result.grads.gamma[l], expected.dgamma[l], 1e-13, `dγ${l}`);
      expectClose(result.grads.beta[l], expected.dbeta[l], 1e-13, `dβ${l}`);
      expectClose(result.running[l].mean, book.runMean[l], 1e-15, `running mean ${l}`);
      expectClose(result.running[l].variance, book.runVar[l], 1e-15, `running var ${l}`);
    }
    // SGD: p -= lr g, on both sides; the L2 term is in dW only.
    const stepped = params.weights.map((p, k) => p - lr * result.grads.weights[k]);
    for (let l = 0; l < 3; l++) {
      const bookW = zip(Ws[l], expected.dW[l], (w, g) => w - lr * g);
      expectClose(flat(readW(options, stepped, l)), flat(bookW), 1e-14, `W${l} after the step`);
      expectClose(
        readB(options, stepped, l),
        bs[l].map((b, o) => b - lr * expected.db[l][o]),
        1e-14,
        `b${l} after the step`,
      );
    }
    // The decay is λW exactly: the same step without l2 differs by lr λ W in W and by nothing in b, γ, β.
    const plain = gradient(
      { ...options, l2: 0 },
      params,
      X.flat(),
      t,
      N,
      initialRunningStats(options),
      masks.map((m) => Float64Array.from(m.flat())),
    );
    expect(result.loss - plain.loss).toBeCloseTo(0.05 * Ws.flat(2).reduce((s, w) => s + w * w, 0), 14);
    for (let l = 0; l < 3; l++) {
      const { weightOffset: w, biasOffset: b, inputs, outputs } = networkLayout(sizes).layers[l];
      for (let k = 0; k < inputs * outputs; k++) expect(result.grads.weights[w + k] - plain.grads.weights[w + k]).toBeCloseTo(0.1 * params.weights[w + k], 14);
      for (let o = 0; o < outputs; o++) expect(result.grads.weights[b + o]).toBe(plain.grads.weights[b + o]);
    }
    expect(result.grads.gamma).toEqual(plain.grads.gamma);
    expect(result.grads.beta).toEqual(plain.grads.beta);
  });
});

// ---- running statistics and evaluation ---------------------------------------------------------
describe('the regularized MLP reference: running statistics and evaluation', () => {
  const options: RegularizedMlpOptions = { sizes: [3, 4, 2], activation: 'relu', bn: true, dropout: 0, l2: 0 };
  const W0 = matrix(3, 4, 1);
  const b0 = [0.1, -0.2, 0.05, 0];
  const gamma = [1.5, 0.5, 1, 2];
  const beta = [0.1, 0, -0.3, 0.2];
  const params = paramsFrom(options, [W0, matrix(4, 2, 2)], [b0, [0, 0.1]], [gamma], [beta]);
  const N = 4;
  const batches = [matrix(N, 3, 31), matrix(N, 3, 32), matrix(N, 3, 33)];
  const labels = [0, 1, 1, 0];
  const affine = (X: Mat): Mat => rowwise(dot(X, W0), b0, (a, b) => a + b);

  it('after k training passes are Σ 0.1 · 0.9^(k−j) · (batch j statistic), from zero, no bias correction', () => {
    let running = initialRunningStats(options);
    for (const X of batches) running = gradient(options, params, X.flat(), labels, N, running).running;
    const k = batches.length;
    const mean = [0, 0, 0, 0];
    const variance = [0, 0, 0, 0];
    batches.forEach((X, j) => {
      const a = affine(X);
      for (let o = 0; o < 4; o++) {
        const m = a.reduce((s, r) => s + r[o], 0) / N;
        const v = a.reduce((s, r) => s + (r[o] - m) ** 2, 0) / N;
        mean[o] += 0.1 * 0.9 ** (k - 1 - j) * m;
        variance[o] += 0.1 * 0.9 ** (k - 1 - j) * v;
      }
    });
    expectClose(running[0].mean, mean, 1e-15, 'running mean');
    expectClose(running[0].variance, variance, 1e-15, 'running variance');

    // Evaluation normalises with them: γ (a − mean) / sqrt(var + 1e-6) + β, then ReLU.
    const Xe = matrix(3, 3, 40);
    const evalPass = forward(options, params, Xe.flat(), 3, { train: false, running });
    const expectedHidden = affine(Xe).map((r) => r.map((a, o) => Math.max(0, (gamma[o] * (a - mean[o])) / Math.sqrt(variance[o] + 1e-6) + beta[o])));
    expectClose(evalPass.hidden[0].out, expectedHidden.flat(), 1e-14, 'evaluation output');
    expect(evalPass.running).toBeUndefined();
    // Accuracy is argmax over those scores, in evaluation mode.
    const W1 = matrix(4, 2, 2);
    const scores = rowwise(dot(expectedHidden, W1), [0, 0.1], (a, b) => a + b);
    const truth = [1, 0, 1];
    const correct = scores.filter((r, n) => (r[1] > r[0] ? 1 : 0) === truth[n]).length;
    expect(accuracy(options, params, running, Xe.flat(), truth, 3)).toBe(correct / 3);
  });

  it('dropout scales by (1 − ratio) in evaluation and multiplies by the mask in training, without rescaling', () => {
    const dropout: RegularizedMlpOptions = { sizes: [3, 4, 2], activation: 'relu', bn: false, dropout: 0.4, l2: 0 };
    const p = paramsFrom(dropout, [W0, matrix(4, 2, 2)], [b0, [0, 0.1]]);
    const X = matrix(N, 3, 50);
    const relu = affine(X).map((r) => r.map((v) => Math.max(0, v)));
    const evalPass = forward(dropout, p, X.flat(), N, { train: false, running: [] });
    expectClose(
      evalPass.hidden[0].out,
      relu.flat().map((v) => v * 0.6),
      1e-15,
      'evaluation',
    );
    const masks = dropoutMasks(dropout, { seed: 3, racer: 0, iteration: 0 }, N);
    const trainPass = forward(dropout, p, X.flat(), N, { train: true, masks });
    expectClose(
      trainPass.hidden[0].out,
      relu.flat().map((v, k) => v * masks[0][k]),
      1e-15,
      'training',
    );
  });

  it("the book's recorded loss is evaluation mode with the L2 term", () => {
    const both: RegularizedMlpOptions = { sizes: [3, 4, 2], activation: 'relu', bn: true, dropout: 0.4, l2: 0.2 };
    const p = paramsFrom(both, [W0, matrix(4, 2, 2)], [b0, [0, 0.1]], [gamma], [beta]);
    const running = gradient(
      both,
      p,
      batches[0].flat(),
      labels,
      N,
      initialRunningStats(both),
      dropoutMasks(both, { seed: 1, racer: 0, iteration: 0 }, N),
    ).running;
    const X = batches[1];
    const hidden = affine(X).map((r) =>
      r.map((a, o) => 0.6 * Math.max(0, (gamma[o] * (a - running[0].mean[o])) / Math.sqrt(running[0].variance[o] + 1e-6) + beta[o])),
    );
    const scores = rowwise(dot(hidden, matrix(4, 2, 2)), [0, 0.1], (a, b) => a + b);
    const xent = -scores.reduce((s, r, n) => s + Math.log(Math.exp(r[labels[n]]) / (Math.exp(r[0]) + Math.exp(r[1])) + 1e-7), 0) / N;
    const decay = 0.1 * [...W0.flat(), ...matrix(4, 2, 2).flat()].reduce((s, w) => s + w * w, 0);
    expect(evaluationLoss(both, p, running, X.flat(), labels, N)).toBeCloseTo(xent + decay, 14);
  });

  it('refuses a missing running statistic and bad options', () => {
    expect(() => forward(options, params, batches[0].flat(), N, { train: true, masks: [] }, [])).toThrow('running statistics of hidden layer 0 are missing');
    expect(() => emptyParams({ ...options, dropout: 1 })).toThrow('a dropout ratio is in [0, 1), got 1');
    expect(() => emptyParams({ ...options, l2: -1 })).toThrow('λ (l2) must be 0 or more, got -1');
    expect(() => emptyParams({ ...options, sizes: [3, 2] })).toThrow('at least one hidden layer');
  });
});

// ---- the dropout-mask hash ---------------------------------------------------------------------
const k32 = 0xffffffffn;
/** PCG hash (RXS-M-XS) in BigInt, written from Jarzynski and Olano's paper, not from src/. */
function pcgBig(v: bigint): bigint {
  const state = (v * 747796405n + 2891336453n) & k32;
  const word = (((state >> ((state >> 28n) + 4n)) ^ state) * 277803737n) & k32;
  return ((word >> 22n) ^ word) & k32;
}
function maskHashBig(seed: number, racer: number, iteration: number, row: number, unit: number): number {
  let h = pcgBig(BigInt(seed) ^ 0x64726f70n);
  for (const c of [racer, iteration, row, unit]) h = pcgBig((BigInt(c) + h) & k32);
  return Number(h);
}

describe('the dropout-mask hash', () => {
  it('gives the golden values (computed in Python and BigInt, u32 arithmetic only)', () => {
    expect(kDropoutStream).toBe(0x64726f70);
    expect(dropoutHash(0, 0, 0, 0, 0)).toBe(1535460109);
    expect(dropoutHash(1, 2, 3, 4, 5)).toBe(566165733);
    expect(dropoutHash(0xffffffff, 127, 999999, 4095, 599)).toBe(149883564);
    expect(dropoutHash(1, 0, 0, 0, 0)).toBe(289247971);
    expect(dropoutUniform(0, 0, 0, 0, 0)).toBe(0.35750216245651245);
    expect(dropoutUniform(1, 2, 3, 4, 5)).toBe(0.1318206787109375);
    for (let k = 0; k < 300; k++) {
      const c = [k * 2654435761, k % 128, k * 7919, k % 61, k * 31] as const;
      const [seed, racer, iteration, row, unit] = c.map((v) => v >>> 0);
      expect(dropoutHash(seed, racer, iteration, row, unit)).toBe(maskHashBig(seed, racer, iteration, row, unit));
    }
  });

  it('keeps about 1 − ratio of the units over 1e5 draws', () => {
    for (const ratio of [0.2, 0.5, 0.9]) {
      const mask = dropoutMask(ratio, { seed: 1, racer: 0, iteration: 0 }, 1000, 100);
      const kept = mask.reduce((a, b) => a + b, 0) / mask.length;
      // 5 standard deviations of a binomial mean over 1e5 draws.
      expect(Math.abs(kept - (1 - ratio))).toBeLessThan(5 * Math.sqrt((ratio * (1 - ratio)) / 1e5));
    }
    expect(dropoutMask(0, { seed: 1, racer: 0, iteration: 0 }, 100, 100).every((m) => m === 1)).toBe(true);
  });

  it('draws independent masks for another seed, racer, iteration, row or unit, and per hidden layer', () => {
    const units = 4096;
    const at = { seed: 5, racer: 3, iteration: 17 };
    const base = dropoutMask(0.5, at, 2, units);
    const agreement = (a: Float64Array, b: Float64Array): number => a.reduce((s, v, k) => s + (v === b[k] ? 1 : 0), 0) / a.length;
    const others = [
      dropoutMask(0.5, { ...at, seed: 6 }, 2, units),
      dropoutMask(0.5, { ...at, racer: 4 }, 2, units),
      dropoutMask(0.5, { ...at, iteration: 18 }, 2, units),
      dropoutMask(0.5, at, 2, units, 1), // every unit shifted by one
    ];
    for (const other of others) expect(Math.abs(agreement(base, other) - 0.5)).toBeLessThan(0.05);
    // Row 0 against row 1 of the same mask.
    expect(Math.abs(agreement(base.subarray(0, units), base.subarray(units)) - 0.5)).toBeLessThan(0.05);
    // The same coordinates give the same mask.
    expect(dropoutMask(0.5, at, 2, units)).toEqual(base);
    const layers = dropoutMasks({ sizes: [4, 64, 64, 2], activation: 'relu', bn: false, dropout: 0.5, l2: 0 }, at, 8);
    expect(Math.abs(agreement(layers[0], layers[1]) - 0.5)).toBeLessThan(0.15);
  });

  it('compares integers: u > ratio exactly, even for a ratio an f32 would round onto a draw', () => {
    for (const ratio of [0, 0.2, 1 / 3, 0.5, 0.999]) {
      const threshold = dropoutThreshold(ratio);
      for (let k = 0; k < 2000; k++) expect(dropoutKeeps(threshold, 9, 1, k, 0, k % 7)).toBe(dropoutUniform(9, 1, k, 0, k % 7) > ratio);
    }
    const u = dropoutUniform(9, 1, 2, 3, 4);
    const ratio = u - 2 ** -40; // just below the draw; Math.fround(ratio) === u
    expect(Math.fround(ratio)).toBe(u);
    expect(dropoutKeeps(dropoutThreshold(ratio), 9, 1, 2, 3, 4)).toBe(true);
    expect(dropoutKeeps(dropoutThreshold(u), 9, 1, 2, 3, 4)).toBe(false);
    expect(() => dropoutThreshold(1)).toThrow('a dropout ratio is in [0, 1), got 1');
    expect(() => dropoutThreshold(-0.1)).toThrow('got -0.1');
  });
});
