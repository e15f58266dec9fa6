/**
 * Chapter 6's WGSL kernels (batch norm, dropout, the L2 term; src/nn/batch-norm-passes.ts and
 * regularization-passes.ts) against the float64 references (batch-norm-reference.ts,
 * regularization-reference.ts, dropout-mask.ts) at odd sizes: batch 7, 13 features, 3 racers of
 * which only racers 0 and 2 use the pass (racer 1 must be left untouched: a pass serves its list only).
 *
 * Tolerances (relative, infinity norm, see maxRelativeError): float32 carries 24 bits (6e-8).
 * - batch-norm forward (train and eval) 1e-6: a sum of 7 numbers, a centred sum of squares, one
 *   sqrt and a division per element, a few ulps each (WGSL allows 2.5 ulp for / and sqrt); a
 *   wrong formula (the unbiased variance: 7/6; a missing ε of 1e-6 against variances near 0.2)
 *   is off by 1e-6 or (most) far more.
 * - batch-norm backward 1e-5: dx = dxc − mean(dxc) cancels (terms O(1), the result smaller), and
 *   xn, std are f32 roundings of the float64 forward's.
 * Measured on Dawn/lavapipe: every relative error below 2e-7.
 * - dropout masks: bit-identical keep decisions (x · mask is exact in float32); evaluation x · (1 −
 *   ratio) 1e-6 (one product with the f32 rounding of 1 − ratio).
 * - L2: dW + λW 1e-6 (one multiply-add), ½λΣW² 1e-5 (a sum of 177 squares in float32).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuffer, readFloat32, storageUsage } from '../src/gpu/buffers';
import { batchNormBackward, batchNormForwardEval, batchNormForwardTrain, nextRunningStats, type RunningStats } from '../src/nn/batch-norm-reference';
import { dropoutMask } from '../src/nn/dropout-mask';
import {
  BatchNormBackwardPass,
  BatchNormEvalPass,
  BatchNormTrainPass,
  type BatchNormShape,
  DropoutPass,
  IterationRing,
  L2GradientPass,
  L2LossPass,
  LayerUniform,
  RacerList,
  createRacerActivations,
  createRacerDropout,
  createRacerLambdas,
} from '../src/nn/gpu-passes';
import { type Activation, networkLayout } from '../src/nn/layout';
import { activate } from '../src/nn/reference';
import { addL2Gradient, dropoutBackward, dropoutForwardEval, dropoutForwardTrain, l2Term } from '../src/nn/regularization-reference';
import { type LayerActivation, mlpLayerShape } from '../src/nn/shape';
import { cached, maxRelativeError, run, seededRandom, testDevice } from './gpu';

let device: GPUDevice | undefined;
beforeAll(async () => {
  device = await testDevice();
});
afterAll(() => device?.destroy());

const N = 7;
const O = 13;
const R = 3;
const kListed = [0, 2];
const kSentinel = 7;

function randomArray(n: number, seed: number, scale = 1, shift = 0): Float32Array<ArrayBuffer> {
  const random = seededRandom(seed);
  return Float32Array.from({ length: n }, () => (random() * 2 - 1) * scale + shift);
}

/** Racer r's N x O block of an R x N x O array. */
const block = (a: Float32Array, r: number, size = N * O): Float32Array => a.subarray(r * size, (r + 1) * size);

/** Creates labelled storage buffers, and destroys them all at the end. */
class Buffers {
  private readonly all: GPUBuffer[] = [];
  constructor(private readonly gpu: GPUDevice) {}
  make(name: string, data: Float32Array | number): GPUBuffer {
    const buffer = createBuffer(this.gpu, `test.${name}`, storageUsage(), typeof data === 'number' ? new Float32Array(data / 4).fill(kSentinel) : data);
    this.all.push(buffer);
    return buffer;
  }
  keep<T extends { destroy(): void }>(owned: T): T {
    this.all.push(owned as unknown as GPUBuffer);
    return owned;
  }
  destroy(): void {
    for (const b of this.all) b.destroy();
  }
}

describe('batch-norm kernels', () => {
  // γ, β at odd places in a racer's block; the layer's running statistics not at the start of theirs.
  const shape: BatchNormShape = { rows: N, features: O, racers: R, paramsPerRacer: 64, gammaOffset: 5, betaOffset: 21, statsPerRacer: 40, statsOffset: 3 };
  const X = randomArray(R * N * O, 11, 0.8, 0.3);
  const params = randomArray(R * shape.paramsPerRacer, 12, 0.5, 1);
  const gamma = (r: number): Float32Array => params.subarray(r * 64 + 5, r * 64 + 5 + O);
  const beta = (r: number): Float32Array => params.subarray(r * 64 + 21, r * 64 + 21 + O);
  // Running statistics as after some iterations (variance positive), to check the momentum update.
  const running = randomArray(R * shape.statsPerRacer, 13, 0.2, 0.4);
  const runningOf = (r: number): RunningStats => {
    const at = r * shape.statsPerRacer + shape.statsOffset;
    return { mean: Float64Array.from(running.subarray(at, at + O)), variance: Float64Array.from(running.subarray(at + O, at + 2 * O)) };
  };

  // The racers' own activations (racer 1 has none: it is not listed), or identity for all.
  const kActivations: Activation[] = ['relu', 'sigmoid', 'tanh'];
  const kModes: LayerActivation[] = ['identity', 'racer'];
  const applied = (mode: LayerActivation, r: number, y: Float64Array): Float64Array =>
    y.map((v) => activate(mode === 'racer' ? kActivations[r] : 'identity', v));
  // The fused dropout: racer 0 drops (ratio 0.3), racer 2 has none (ratio 0: it must not drop even a draw of 0).
  const kBnDropout = [0.3, 0.5, 0];
  const kBnSeed = 0x5eed;
  const kBnFirstUnit = 9;
  const kBnIteration = 41;
  const bnMask = (r: number): Float64Array | undefined =>
    kBnDropout[r] > 0 ? dropoutMask(kBnDropout[r], { seed: kBnSeed, racer: r, iteration: kBnIteration }, N, O, kBnFirstUnit) : undefined;
  const dropoutShape = { seed: kBnSeed, firstUnit: kBnFirstUnit };

  it.for(kModes)(
    'training forward (activation %s), in place: batch statistics, act(γ xn + β) with the dropout mask fused, running statistics; racer 1 untouched',
    async (mode, ctx) => {
      if (!device) return ctx.skip();
      const gpu = device;
      const b = new Buffers(gpu);
      const racers = b.keep(new RacerList(gpu, kListed, 'test.bnRacers'));
      const ring = b.keep(new IterationRing(gpu, 2, 'test.ring'));
      ring.set(1, { iteration: kBnIteration });
      ring.flush();
      const buffers = {
        Y: b.make('Y', X),
        params: b.make('params', params),
        xn: b.make('xn', 4 * R * N * O),
        stdDev: b.make('stdDev', 4 * R * O),
        running: b.make('running', running),
        racers,
        racerActivations: b.keep(createRacerActivations(gpu, kActivations, 'test.racerActivations')),
        racerDropout: b.keep(createRacerDropout(gpu, kBnDropout, 'test.racerDropout')),
        ring,
      };
      const pass = cached('bnTrain', () => new BatchNormTrainPass(gpu));
      const binding = b.keep(pass.bindGroup(buffers, { ...shape, ...dropoutShape, activation: mode }));
      await run(gpu, (p) => pass.encode(p, binding, [ring.offset(1)]));
      const [Y, xn, stdDev, after] = await Promise.all([buffers.Y, buffers.xn, buffers.stdDev, buffers.running].map((x) => readFloat32(gpu, x)));
      b.destroy();
      expect(bnMask(0)?.includes(0)).toBe(true);
      for (const r of kListed) {
        const expected = batchNormForwardTrain(block(X, r), N, O, gamma(r), beta(r));
        const mask = bnMask(r);
        const out = applied(mode, r, expected.out);
        expect(maxRelativeError(block(Y, r), mask ? dropoutForwardTrain(out, mask) : out)).toBeLessThan(1e-6);
        expect(maxRelativeError(block(xn, r), expected.cache.xn)).toBeLessThan(1e-6);
        expect(maxRelativeError(block(stdDev, r, O), expected.cache.std)).toBeLessThan(1e-6);
        const next = nextRunningStats(runningOf(r), expected.cache);
        const at = r * shape.statsPerRacer + shape.statsOffset;
        expect(maxRelativeError(after.subarray(at, at + O), next.mean)).toBeLessThan(1e-6);
        expect(maxRelativeError(after.subarray(at + O, at + 2 * O), next.variance)).toBeLessThan(1e-6);
        // The rest of the racer's statistics block is another layer's: untouched.
        const rest = [...after.subarray(r * 40, at), ...after.subarray(at + 2 * O, (r + 1) * 40)];
        const restBefore = [...running.subarray(r * 40, at), ...running.subarray(at + 2 * O, (r + 1) * 40)];
        expect(rest).toEqual(restBefore);
      }
      expect(block(Y, 1)).toEqual(block(X, 1));
      expect(block(xn, 1).every((v) => v === kSentinel)).toBe(true);
      expect(block(after, 1, 40)).toEqual(block(running, 1, 40));
    },
  );

  it.for(kModes)('evaluation forward (activation %s), in place: running statistics, dropout as x (1 − ratio) fused', async (mode, ctx) => {
    if (!device) return ctx.skip();
    const gpu = device;
    const b = new Buffers(gpu);
    const racers = b.keep(new RacerList(gpu, kListed, 'test.bnRacers'));
    const buffers = {
      Y: b.make('Y', X),
      params: b.make('params', params),
      running: b.make('running', running),
      racers,
      racerActivations: b.keep(createRacerActivations(gpu, kActivations, 'test.racerActivations')),
      racerDropout: b.keep(createRacerDropout(gpu, kBnDropout, 'test.racerDropout')),
    };
    const pass = cached('bnEval', () => new BatchNormEvalPass(gpu));
    const binding = b.keep(pass.bindGroup(buffers, { ...shape, activation: mode }));
    await run(gpu, (p) => pass.encode(p, binding));
    const Y = await readFloat32(gpu, buffers.Y);
    b.destroy();
    for (const r of kListed) {
      const expected = applied(mode, r, batchNormForwardEval(block(X, r), N, O, gamma(r), beta(r), runningOf(r)));
      expect(maxRelativeError(block(Y, r), dropoutForwardEval(expected, kBnDropout[r]))).toBeLessThan(1e-6);
    }
    expect(block(Y, 1)).toEqual(block(X, 1));
  });

  it('backward, in place: dγ, dβ into grads, dX', async (ctx) => {
    if (!device) return ctx.skip();
    const gpu = device;
    const b = new Buffers(gpu);
    const racers = b.keep(new RacerList(gpu, kListed, 'test.bnRacers'));
    const dOut = randomArray(R * N * O, 14);
    // xn and std from the float64 forward, rounded to f32 as the GPU's forward would keep them.
    const xn = new Float32Array(R * N * O);
    const stdDev = new Float32Array(R * O);
    const caches = kListed.map((r) => {
      const { cache } = batchNormForwardTrain(block(X, r), N, O, gamma(r), beta(r));
      block(xn, r).set(cache.xn);
      block(stdDev, r, O).set(cache.std);
      return cache;
    });
    const buffers = {
      dY: b.make('dY', dOut),
      params: b.make('params', params),
      xn: b.make('xn', xn),
      stdDev: b.make('stdDev', stdDev),
      grads: b.make('grads', 4 * R * shape.paramsPerRacer),
      racers,
    };
    const pass = cached('bnBackward', () => new BatchNormBackwardPass(gpu));
    const binding = b.keep(pass.bindGroup(buffers, shape));
    await run(gpu, (p) => pass.encode(p, binding));
    const [dX, grads] = await Promise.all([readFloat32(gpu, buffers.dY), readFloat32(gpu, buffers.grads)]);
    b.destroy();
    kListed.forEach((r, k) => {
      const expected = batchNormBackward(block(dOut, r), N, O, gamma(r), caches[k]);
      expect(maxRelativeError(block(dX, r), expected.dX)).toBeLessThan(1e-5);
      expect(maxRelativeError(grads.subarray(r * 64 + 5, r * 64 + 5 + O), expected.dGamma)).toBeLessThan(1e-5);
      expect(maxRelativeError(grads.subarray(r * 64 + 21, r * 64 + 21 + O), expected.dBeta)).toBeLessThan(1e-5);
      // Only γ's and β's places of the racer's block are written.
      const others = block(grads, r, 64).filter((_, i) => !(i >= 5 && i < 5 + O) && !(i >= 21 && i < 21 + O));
      expect(others.every((v) => v === kSentinel)).toBe(true);
    });
    expect(block(dX, 1)).toEqual(block(dOut, 1));
    expect(block(grads, 1, 64).every((v) => v === kSentinel)).toBe(true);
  });

  it("two training iterations from zero statistics, each forward then backward in one submission (the passes' own xn and std)", async (ctx) => {
    if (!device) return ctx.skip();
    const gpu = device;
    const b = new Buffers(gpu);
    const racers = b.keep(new RacerList(gpu, kListed, 'test.bnRacers'));
    const X2 = [X, randomArray(R * N * O, 15, 1.5, -0.2)];
    const dOut2 = [randomArray(R * N * O, 16), randomArray(R * N * O, 17)];
    const Xbuf = b.make('X', X);
    const dOutBuf = b.make('dOut', dOut2[0]);
    const ring = b.keep(new IterationRing(gpu, 1, 'test.ring'));
    ring.flush();
    const buffers = {
      params: b.make('params', params),
      xn: b.make('xn', 4 * R * N * O),
      stdDev: b.make('stdDev', 4 * R * O),
      running: b.make('running', new Float32Array(R * shape.statsPerRacer)),
      grads: b.make('grads', 4 * R * shape.paramsPerRacer),
      racers,
      racerActivations: b.keep(createRacerActivations(gpu, ['relu', 'relu', 'relu'], 'test.racerActivations')),
      racerDropout: b.keep(createRacerDropout(gpu, [0, 0, 0], 'test.racerDropout')),
      ring,
    };
    const train = cached('bnTrain', () => new BatchNormTrainPass(gpu));
    const backward = cached('bnBackward', () => new BatchNormBackwardPass(gpu));
    const trainBinding = b.keep(train.bindGroup({ ...buffers, Y: Xbuf }, shape));
    const backwardBinding = b.keep(backward.bindGroup({ ...buffers, dY: dOutBuf }, shape));
    for (let it = 0; it < 2; it++) {
      gpu.queue.writeBuffer(Xbuf, 0, X2[it]);
      gpu.queue.writeBuffer(dOutBuf, 0, dOut2[it]);
      await run(gpu, (p) => {
        train.encode(p, trainBinding, [ring.offset(0)]);
        backward.encode(p, backwardBinding);
      });
    }
    const [dX, grads, after] = await Promise.all([dOutBuf, buffers.grads, buffers.running].map((x) => readFloat32(gpu, x)));
    b.destroy();
    for (const r of kListed) {
      let stats: RunningStats = { mean: new Float64Array(O), variance: new Float64Array(O) };
      let last = batchNormForwardTrain(block(X2[0], r), N, O, gamma(r), beta(r)).cache;
      stats = nextRunningStats(stats, last);
      last = batchNormForwardTrain(block(X2[1], r), N, O, gamma(r), beta(r)).cache;
      stats = nextRunningStats(stats, last);
      const expected = batchNormBackward(block(dOut2[1], r), N, O, gamma(r), last);
      const at = r * shape.statsPerRacer + shape.statsOffset;
      expect(maxRelativeError(after.subarray(at, at + O), stats.mean)).toBeLessThan(1e-6);
      expect(maxRelativeError(after.subarray(at + O, at + 2 * O), stats.variance)).toBeLessThan(1e-6);
      expect(maxRelativeError(block(dX, r), expected.dX)).toBeLessThan(1e-5);
      expect(maxRelativeError(grads.subarray(r * 64 + 5, r * 64 + 5 + O), expected.dGamma)).toBeLessThan(1e-5);
      expect(maxRelativeError(grads.subarray(r * 64 + 21, r * 64 + 21 + O), expected.dBeta)).toBeLessThan(1e-5);
    }
    expect(block(after, 1, shape.statsPerRacer).every((v) => v === 0)).toBe(true);
  });

  it('rejects a listed racer outside the race and parameters that do not fit', (ctx) => {
    if (!device) return ctx.skip();
    const gpu = device;
    const b = new Buffers(gpu);
    const big = b.make('big', 4 * 4096);
    const pass = cached('bnEval', () => new BatchNormEvalPass(gpu));
    const bind = (racers: RacerList, s: BatchNormShape) => () =>
      pass.bindGroup({ params: big, Y: big, running: big, racers, racerActivations: big, racerDropout: big }, s);
    expect(bind(b.keep(new RacerList(gpu, [0, 3], 'test.bad')), shape)).toThrow(/racer 3 is listed but the race has 3 racers/);
    const racers = b.keep(new RacerList(gpu, kListed, 'test.bnRacers'));
    expect(bind(racers, { ...shape, betaOffset: 60 })).toThrow(/β at 60 does not fit/);
    expect(bind(racers, { ...shape, statsOffset: 30 })).toThrow(/running statistics at 30/);
    expect(() => new RacerList(gpu, [], 'test.empty')).toThrow(/at least one racer/);
    b.destroy();
  });
});

describe('dropout kernel', () => {
  const kRatios = [0.2, 0, 0.5];
  const kSeed = 0xdeadbeef;
  const kIteration = 12345;
  const kFirstUnit = 17;

  async function dropout(gpu: GPUDevice, X: Float32Array, mode: 'mask' | 'scale', rows: number, units: number): Promise<Float32Array> {
    const b = new Buffers(gpu);
    const racers = b.keep(new RacerList(gpu, kListed, 'test.dropoutRacers'));
    const ring = b.keep(new IterationRing(gpu, 1, 'test.ring'));
    ring.set(0, { iteration: kIteration });
    ring.flush();
    const buffers = {
      X: b.make('X', X),
      Y: b.make('Y', X.byteLength),
      racerDropout: b.keep(createRacerDropout(gpu, kRatios, 'test.racerDropout')),
      racers,
      ring,
    };
    const pass = cached('dropout', () => new DropoutPass(gpu));
    const binding = b.keep(pass.bindGroup(buffers, { rows, units, racers: R, firstUnit: kFirstUnit, seed: kSeed, mode }));
    await run(gpu, (p) => pass.encode(p, binding, [ring.offset(0)]));
    const Y = await readFloat32(gpu, buffers.Y);
    b.destroy();
    return Y;
  }

  const maskOf = (r: number, rows: number, units: number): Float64Array =>
    dropoutMask(kRatios[r], { seed: kSeed, racer: r, iteration: kIteration }, rows, units, kFirstUnit);

  // 7 x 13, and 64 x 257 for 16,448 draws per racer.
  it.for([
    [N, O],
    [64, 257],
  ])("training forward keeps exactly dropoutMask's units (N=%i, O=%i); racer 1 untouched", async ([rows, units], ctx) => {
    if (!device) return ctx.skip();
    const X = randomArray(R * rows * units, 21, 1, 2); // in [1, 3]: never zero, so Y != 0 <=> kept
    const Y = await dropout(device, X, 'mask', rows, units);
    for (const r of kListed) {
      const mask = maskOf(r, rows, units);
      const kept = Array.from(block(Y, r, rows * units), (v) => (v !== 0 ? 1 : 0));
      expect(kept).toEqual(Array.from(mask));
      expect(Array.from(block(Y, r, rows * units))).toEqual(Array.from(dropoutForwardTrain(block(X, r, rows * units), mask)));
    }
    // The keep rate is the ratio's: racer 2 (0.5) over 16,448 draws.
    if (rows === 64) expect(Math.abs(maskOf(2, rows, units).reduce((a, v) => a + v, 0) / (rows * units) - 0.5)).toBeLessThan(0.02);
    expect(block(Y, 1, rows * units).every((v) => v === kSentinel)).toBe(true);
  });

  it('backward multiplies dout by the same mask', async (ctx) => {
    if (!device) return ctx.skip();
    const dOut = randomArray(R * N * O, 22);
    const dX = await dropout(device, dOut, 'mask', N, O);
    for (const r of kListed) expect(Array.from(block(dX, r))).toEqual(Array.from(dropoutBackward(block(dOut, r), maskOf(r, N, O))));
  });

  it('evaluation scales by 1 − ratio', async (ctx) => {
    if (!device) return ctx.skip();
    const X = randomArray(R * N * O, 23);
    const Y = await dropout(device, X, 'scale', N, O);
    for (const r of kListed) expect(maxRelativeError(block(Y, r), dropoutForwardEval(block(X, r), kRatios[r]))).toBeLessThan(1e-6);
    expect(block(Y, 1).every((v) => v === kSentinel)).toBe(true);
  });
});

describe('L2 kernels', () => {
  // Hidden sizes 13 and 7: layer 1 is 13 x 7 at a non-zero offset.
  const layout = networkLayout([5, 13, 7, 3]);
  const P = layout.paramsPerRacer;
  const kLambdas = [0.1, 0, 0.37];
  const params = randomArray(R * P, 31);

  it('dW += λ W on one layer of the listed racers, nothing else', async (ctx) => {
    if (!device) return ctx.skip();
    const gpu = device;
    const b = new Buffers(gpu);
    const grads = randomArray(R * P, 32);
    const shape = mlpLayerShape(layout, 1, N, R);
    const layer = b.keep(new LayerUniform(gpu, shape, 'test.layer'));
    const buffers = {
      params: b.make('params', params),
      grads: b.make('grads', grads),
      lambdas: b.keep(createRacerLambdas(gpu, kLambdas, 'test.lambdas')),
      racers: b.keep(new RacerList(gpu, kListed, 'test.l2Racers')),
      layer,
    };
    const pass = cached('l2Gradient', () => new L2GradientPass(gpu));
    const binding = pass.bindGroup(buffers);
    await run(gpu, (p) => pass.encode(p, binding));
    const after = await readFloat32(gpu, buffers.grads);
    b.destroy();
    const { weightOffset: w, inputs: I, outputs: Ol } = layout.layers[1];
    for (let r = 0; r < R; r++) {
      const lo = r * P + w;
      const hi = lo + I * Ol;
      const expected = kListed.includes(r)
        ? addL2Gradient(kLambdas[r], params.subarray(lo, hi), Float64Array.from(grads.subarray(lo, hi)))
        : grads.subarray(lo, hi);
      expect(maxRelativeError(after.subarray(lo, hi), expected)).toBeLessThan(1e-6);
      expect([...after.subarray(r * P, lo), ...after.subarray(hi, (r + 1) * P)]).toEqual([...grads.subarray(r * P, lo), ...grads.subarray(hi, (r + 1) * P)]);
    }
    expect(block(after, 1, P)).toEqual(block(grads, 1, P));
  });

  it('losses[slot R + r] += ½ λ Σ‖W‖² over every weight matrix', async (ctx) => {
    if (!device) return ctx.skip();
    const gpu = device;
    const b = new Buffers(gpu);
    const slots = 2;
    const losses = randomArray(slots * R, 33, 1, 2);
    const ring = b.keep(new IterationRing(gpu, 1, 'test.ring'));
    ring.set(0, { slot: 1 });
    ring.flush();
    const buffers = {
      params: b.make('params', params),
      losses: b.make('losses', losses),
      lambdas: b.keep(createRacerLambdas(gpu, kLambdas, 'test.lambdas')),
      racers: b.keep(new RacerList(gpu, kListed, 'test.l2Racers')),
      ring,
    };
    const pass = cached('l2Loss', () => new L2LossPass(gpu));
    const binding = b.keep(pass.bindGroup(buffers, { layout, racers: R, slots }));
    await run(gpu, (p) => pass.encode(p, binding, [ring.offset(0)]));
    const after = await readFloat32(gpu, buffers.losses);
    b.destroy();
    const weights = (r: number) => layout.layers.map((l) => params.subarray(r * P + l.weightOffset, r * P + l.weightOffset + l.inputs * l.outputs));
    for (const r of kListed) {
      const term = l2Term(kLambdas[r], weights(r));
      expect(Math.abs(after[R + r] - (losses[R + r] + term)) / term).toBeLessThan(1e-5);
    }
    // Slot 0 and racer 1 untouched.
    expect([...after.subarray(0, R), after[R + 1]]).toEqual([...losses.subarray(0, R), losses[R + 1]]);
  });
});
