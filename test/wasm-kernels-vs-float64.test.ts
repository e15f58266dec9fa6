/**
 * Each kernel of the WebAssembly module (src/wasm/assembly) called on its own, through the module's
 * exports, against its float64 reference, at sizes that are no multiple of 4 or 8 (batch 7, 13
 * features, 11 outputs, 13 parameters per racer, 3 racers), so every vector loop's scalar tail and
 * every tile edge runs: each registered optimizer's rule over several steps (so its state matters),
 * softmax cross-entropy (loss and dLogits), each activation and its slope, the gather, and gemm in
 * its three uses in a step. The whole step (work(plan)) is test/wasm-backend.test.ts's.
 *
 * Tolerances come from float32's unit roundoff u = 2^-24 (about 6e-8), never from a run:
 * - a sum of K products in float32, in order, is within K·u·Σ|a·b| of the exact one (Higham's γ_K,
 *   to first order); a bias, the epilogue's multiply and the activation add a few roundings more,
 *   so the bound used is (K + 4)·u·Σ|a·b| + 8·u·|exact| (the activations are 1-Lipschitz);
 * - Mathf.exp and Mathf.tanh are within an ulp or two, so sigmoid and tanh are within 8·u relative;
 *   their slopes y(1 - y) and 1 - y² within 4·u absolute (|slope| <= 1);
 * - an optimizer step is about ten roundings per element, each at most u relative to the
 *   magnitudes involved (|p| <= about 1, the update smaller), so after 6 steps the parameters are
 *   within 64·u·max(1, |p|) and the state within 64·u of its largest element; and a rule gets each
 *   coefficient c in [0, 1) rounded to float32 and forms 1 - c, whose relative error is then up to
 *   u·c/(1 - c) (999·u for beta2 = 0.999, as on the GPU), so κ = max c/(1 - c) adds 2·κ·u;
 * - softmax: exp, a 13-term sum and a division put p within 16·u relative, so -log p is within
 *   16·u absolute per row (the mean too) and dLogits = (p - onehot)/N within 16·u/N;
 * - the gather is f32(pixel)·f32(1/255) correctly rounded (as the GPU's batch_gather), within 2·u
 *   relative of pixel/255, and bit-identical to src/nn/reference.ts's gather, which says so.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { activationCode, kActivations, networkLayout, type Activation } from '../src/nn/layout';
import { kNoLabel } from '../src/nn/batch';
import { activate, activationSlope, affineBackwardData, affineBackwardWeights, affineForward, gather, softmaxCrossEntropy } from '../src/nn/reference';
import type { LayerShape } from '../src/nn/shape';
import { ReferenceOptimizerRun } from '../src/optim/gpu-optimizer';
import type { Hyperparameters } from '../src/optim/hyperparameters';
import { optimizerIds, optimizerSpec, resolveHyperparameters, type OptimizerSpec } from '../src/optim/registry';
import { seededRandom } from '../src/util/random';
import { kBias, kSlope, kStore } from '../src/wasm/assembly/gemm-epilogues';
import { instantiateRaceWasm, type RaceWasmExports } from '../src/wasm/module';
import { expectWithin, wasmArena } from './fixtures/wasm-arena';
import { wasmRule } from '../src/wasm/optimizer-rules';

const u = 2 ** -24;
const N = 7; // batch rows
const I = 13; // features (a layer's inputs)
const O = 11; // a layer's outputs
const kParams = 13; // parameters per racer in the optimizer test (padded to 16 as the engine pads)
const kRacers = 3;
const kSteps = 6;

let memory: WebAssembly.Memory;
let k: RaceWasmExports;
const { alloc, putF32, f32At, reset } = wasmArena(() => memory);

beforeAll(async () => {
  memory = new WebAssembly.Memory({ initial: 8 });
  k = await instantiateRaceWasm(memory);
});

/** Float32 values in ±[lo, hi], deterministic. */
function values(random: () => number, length: number, lo: number, hi: number): Float32Array {
  return Float32Array.from({ length }, () => (random() < 0.5 ? -1 : 1) * (lo + (hi - lo) * random()));
}

/** Racer r's hyperparameters: the defaults, then each coefficient moved inside its range. */
function racerHyperparameters(spec: OptimizerSpec, r: number): Hyperparameters {
  return Object.fromEntries(
    spec.hyperparameters.map((h) => {
      if (h.key === 'lr') return [h.key, h.default * [1, 3, 0.3][r]];
      if (h.max === 1) return [h.key, [h.default, h.default ** 2, 0.5][r]];
      return [h.key, h.default + [0, 0.05, 0.2][r]];
    }),
  );
}

describe.each(optimizerIds())('the WebAssembly rule of %s', (id) => {
  it(`runs ${kSteps} steps of ${kRacers} racers (${kParams} parameters each, padded to 16) as its float64 reference`, () => {
    reset();
    const spec = optimizerSpec(id);
    const rule = wasmRule(spec);
    const random = seededRandom(id.length * 7919 + 17);
    const stride = Math.ceil(kParams / 4) * 4;
    for (let r = 0; r < kRacers; r++) {
      const hyper = resolveHyperparameters(spec, racerHyperparameters(spec, r));
      const kappa = Math.max(0, ...spec.hyperparameters.filter((h) => h.max === 1).map((h) => hyper[h.key] / (1 - hyper[h.key])));
      const tolerance = (64 + 2 * kappa) * u;
      const initial = values(random, kParams, 0.1, 1);
      const padded = new Float32Array(stride);
      padded.set(initial);
      const p = putF32(padded);
      const g = alloc(stride * 4);
      const state = [putF32(new Float32Array(stride)), putF32(new Float32Array(stride))];
      const scalars = alloc(4 * rule.scalars.length);
      const reference = new ReferenceOptimizerRun(spec, hyper, initial);
      for (let t = 1; t <= kSteps; t++) {
        const grads = values(random, kParams, 0.05, 1);
        new Float32Array(memory.buffer, g, stride).fill(0).set(grads);
        const step = spec.step(hyper, t);
        new Float32Array(memory.buffer, scalars, rule.scalars.length).set(rule.scalars.map((name) => step[name]));
        k.optimize(rule.index, p, g, state[0], state[1], stride, scalars);
        reference.step(grads);
      }
      const params = f32At(p, stride);
      expectWithin(`${id} racer ${r} p`, params.subarray(0, kParams), reference.params, (i) => tolerance * Math.max(1, Math.abs(reference.params[i])));
      expect(Array.from(params.subarray(kParams)), 'the padding stays zero').toEqual(new Array(stride - kParams).fill(0));
      reference.state.forEach((expected, s) => {
        const largest = Math.max(...expected.map(Math.abs));
        expectWithin(`${id} racer ${r} ${spec.state[s]}`, f32At(state[s], kParams), expected, () => tolerance * largest);
      });
    }
  });
});

describe('softmax cross-entropy', () => {
  it.each([10, 13])('gives the loss and dLogits of %i classes over 7 rows (one a padding row) as its float64 reference', (C) => {
    reset();
    const random = seededRandom(C);
    const logits = values(random, N * C, 0, 4);
    const labels = Uint32Array.from({ length: N }, (_, n) => (n === N - 1 ? kNoLabel : Math.floor(random() * C)));
    const expected = softmaxCrossEntropy(logits, labels, N, C);
    const at = putF32(logits);
    const labelsAt = alloc(N * 4);
    new Uint32Array(memory.buffer, labelsAt, N).set(labels);
    const lossOnly = k.softmaxXent(at, labelsAt, N, C, 0);
    expect(Math.abs(lossOnly - expected.loss[0])).toBeLessThanOrEqual(16 * u);
    expect(f32At(at, N * C), 'without the gradient the logits stay').toEqual(logits);
    const loss = k.softmaxXent(at, labelsAt, N, C, 1);
    expect(loss).toBe(lossOnly);
    expectWithin('dLogits', f32At(at, N * C), expected.dLogits, () => (16 * u) / N);
  });
});

/** The layer of `shape` (one racer) with this activation after it and before it. */
function layerShape(a: Activation): LayerShape {
  const layout = networkLayout([I, O]);
  return { rows: N, racers: 1, paramsPerRacer: layout.paramsPerRacer, layer: layout.layers[0], sharedInput: true, outputActivation: a, inputActivation: a };
}

/** The identity matrix (n x n): gemm's sum is then exact, so its epilogue is seen alone. */
const identity = (n: number): Float32Array => Float32Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0));

describe.each(kActivations)('the %s activation', (a) => {
  const code = activationCode(a);
  it('and its slope, applied as a step applies them, as its float64 reference', () => {
    reset();
    const random = seededRandom(code + 1);
    const x = values(random, N * I, 0, 6);
    x[3] = 0;
    const A = putF32(x);
    const eye = putF32(identity(I));
    const zeros = putF32(new Float32Array(I));
    const Y = alloc(N * I * 4);
    // The forward epilogue (bias, ReLU) on an exact product, then sigmoid and tanh in their own pass.
    k.gemm(A, I * 4, 4, eye, I, Y, I, N, I, I, kBias, zeros, 0, code);
    if (code >= 2) k.activate(Y, N * I, code);
    const y = f32At(Y, N * I);
    const expectedY = Float64Array.from(x, (v) => activate(a, v));
    expectWithin(`${a}(x)`, y, expectedY, (i) => 8 * u * Math.abs(expectedY[i]) + Number.MIN_VALUE);
    // The backward-data epilogue: dY ⊙ act'(y), y the activation's output as the step keeps it.
    const dy = values(random, N * I, 0.1, 2);
    const dY = putF32(dy);
    const dX = alloc(N * I * 4);
    k.gemm(dY, I * 4, 4, eye, I, dX, I, N, I, I, kSlope, 0, Y, code);
    const expectedDx = Float64Array.from(dy, (v, i) => v * activationSlope(a, y[i]));
    expectWithin(`dY ⊙ ${a}'(y)`, f32At(dX, N * I), expectedDx, (i) => 4 * u * Math.abs(dy[i]) + Number.MIN_VALUE);
  });
});

describe('the gather', () => {
  it.each([13, 37])('scales uint8 images of %i pixels to an f32 batch by indices, zeros past the set', (D) => {
    reset();
    const count = 9;
    const random = seededRandom(D);
    const images = Uint8Array.from({ length: count * D }, (_, i) => (i === 5 ? 255 : Math.floor(random() * 256)));
    const indices = Uint32Array.from([4, 0, 8, 4, count, 2, 7]);
    const imagesAt = alloc(images.length);
    new Uint8Array(memory.buffer, imagesAt, images.length).set(images);
    const indicesAt = alloc(N * 4);
    new Uint32Array(memory.buffer, indicesAt, N).set(indices);
    const X = putF32(new Float32Array(N * D).fill(Number.NaN));
    k.gather(imagesAt, count, indicesAt, X, N, D);
    const x = f32At(X, N * D);
    const exact = Float64Array.from({ length: N * D }, (_, i) => {
      const j = indices[Math.floor(i / D)];
      return j < count ? images[j * D + (i % D)] / 255 : 0;
    });
    expectWithin('X', x, exact, (i) => 2 * u * exact[i] + Number.MIN_VALUE);
    expect(x).toEqual(gather(images, new Uint8Array(count), indices, D).X);
  });
});

describe.each(kActivations)('gemm in its three uses in a step (%s)', (a) => {
  const code = activationCode(a);
  const shape = layerShape(a);
  const { weightOffset, biasOffset } = shape.layer;
  const abs = (v: ArrayLike<number>): Float64Array => Float64Array.from(v, Math.abs);
  const bound = (K: number, sums: ArrayLike<number>, exact: ArrayLike<number>) => (i: number) =>
    (K + 4) * u * sums[i] + 8 * u * Math.abs(exact[i]) + Number.MIN_VALUE;

  it(`forward: Y (${N}x${O}) = ${a}(X W + b), X ${N}x${I}`, () => {
    reset();
    const random = seededRandom(100 + code);
    const x = values(random, N * I, 0, 1);
    const params = values(random, shape.paramsPerRacer, 0, 0.5);
    const P = putF32(params);
    const Y = alloc(N * O * 4);
    k.gemm(putF32(x), I * 4, 4, P + weightOffset * 4, O, Y, O, N, I, O, kBias, P + biasOffset * 4, 0, code);
    if (code >= 2) k.activate(Y, N * O, code);
    const exact = affineForward(x, params, shape, []);
    const sums = affineForward(abs(x), abs(params), { ...shape, outputActivation: 'identity' }, []);
    expectWithin('Y', f32At(Y, N * O), exact, bound(I, sums, exact));
  });

  it(`backward weights: dW (${I}x${O}) = Xᵀ dY with Xᵀ read in place, db = column sums of dY`, () => {
    reset();
    const random = seededRandom(200 + code);
    const x = Float32Array.from(values(random, N * I, 0, 2), (v) => activate(a, v));
    const dy = values(random, N * O, 0, 0.3);
    const X = putF32(x);
    const dY = putF32(dy);
    const grads = putF32(new Float32Array(shape.paramsPerRacer));
    k.gemm(X, 4, I * 4, dY, O, grads + weightOffset * 4, O, I, N, O, kStore, 0, 0, 0);
    k.columnSums(dY, grads + biasOffset * 4, N, O);
    const exact = affineBackwardWeights(x, dy, shape);
    const sums = affineBackwardWeights(abs(x), abs(dy), shape);
    expectWithin('dW, db', f32At(grads, shape.paramsPerRacer), exact, bound(N, sums, exact));
  });

  it(`backward data: dX (${N}x${I}) = (dY Wᵀ) ⊙ ${a}'(X), Wᵀ transposed once`, () => {
    reset();
    const random = seededRandom(300 + code);
    const x = Float32Array.from(values(random, N * I, 0, 2), (v) => activate(a, v));
    const dy = values(random, N * O, 0, 0.3);
    const params = values(random, shape.paramsPerRacer, 0, 0.5);
    const P = putF32(params);
    const Wt = alloc(I * O * 4);
    k.transpose(P + weightOffset * 4, Wt, I, O);
    expect(f32At(Wt, I * O)).toEqual(Float32Array.from({ length: I * O }, (_, t) => params[weightOffset + (t % I) * O + Math.floor(t / I)]));
    const dX = alloc(N * I * 4);
    k.gemm(putF32(dy), O * 4, 4, Wt, I, dX, I, N, O, I, kSlope, 0, putF32(x), code);
    const exact = affineBackwardData(dy, params, x, shape, []);
    const sums = affineBackwardData(abs(dy), abs(params), x, { ...shape, inputActivation: 'identity' }, []);
    expectWithin('dX', f32At(dX, N * I), exact, bound(O, sums, exact));
  });
});
