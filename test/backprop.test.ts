/**
 * The TypeScript model (src/nn/model.ts) against central-difference gradients for each hidden
 * activation, and one full GPU forward + backward step of several racers against it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuffer, readFloat32, storageUsage } from '../src/gpu/buffers';
import { batchIndices } from '../src/nn/batch';
import { GpuNetwork, IterationRing, MlpPasses, uploadImageSet } from '../src/nn/gpu-passes';
import { networkLayout, type Activation } from '../src/nn/layout';
import { cpuGradient, cpuLoss, initParams } from '../src/nn/model';
import { weightStd, type WeightInit } from '../src/nn/weight-init';
import { gather } from '../src/nn/reference';
import { maxRelativeError, seededRandom, testDevice, withValidation } from './gpu';

let device: GPUDevice | undefined;
beforeAll(async () => {
  device = await testDevice();
});
afterAll(() => device?.destroy());

const kHidden: Activation[] = ['relu', 'sigmoid', 'tanh'];

describe('backprop against numerical gradients (float64)', () => {
  const layout = networkLayout([6, 5, 4, 3]);
  const N = 4;
  it.for(kHidden)('%s network 6-5-4-3, batch 4', (activation) => {
    const random = seededRandom(activation.length * 97);
    const params = Float64Array.from(initParams(layout, 'xavier', 5));
    // Non-zero biases, so their gradients are exercised away from the initial point too.
    for (const l of layout.layers) for (let o = 0; o < l.outputs; o++) params[l.biasOffset + o] = random() - 0.5;
    const X = Float64Array.from({ length: N * 6 }, () => random() * 2 - 1);
    const labels = Uint32Array.from({ length: N }, () => Math.floor(random() * 3));
    const { grads, loss } = cpuGradient(layout, params, activation, X, labels);
    expect(loss).toBeCloseTo(cpuLoss(layout, params, activation, X, labels), 12);

    // The seed's gradient (p - onehot) / N is that of the loss without the 1e-7 inside the log.
    const h = 1e-5;
    const numeric = new Float64Array(layout.paramsPerRacer);
    for (const l of layout.layers) {
      const used = [...Array(l.inputs * l.outputs).keys()].map((k) => l.weightOffset + k).concat([...Array(l.outputs).keys()].map((k) => l.biasOffset + k));
      for (const k of used) {
        const keep = params[k];
        params[k] = keep + h;
        const up = cpuLoss(layout, params, activation, X, labels, 0);
        params[k] = keep - h;
        const down = cpuLoss(layout, params, activation, X, labels, 0);
        params[k] = keep;
        numeric[k] = (up - down) / (2 * h);
      }
    }
    expect(maxRelativeError(grads, numeric)).toBeLessThan(1e-6);
    // Every weight matters: no gradient is identically zero by a wiring mistake.
    expect(layout.layers.every((l) => grads.subarray(l.weightOffset, l.weightOffset + l.inputs * l.outputs).some((g) => g !== 0))).toBe(true);
  });
});

describe('initParams', () => {
  const layout = networkLayout([784, 100, 100, 10]);
  it('is identical for one seed and different for another', () => {
    const same = (a: Float32Array, b: Float32Array): boolean => a.length === b.length && a.every((v, k) => v === b[k]);
    expect(same(initParams(layout, 'he', 42), initParams(layout, 'he', 42))).toBe(true);
    expect(same(initParams(layout, 'he', 42), initParams(layout, 'he', 43))).toBe(false);
  });

  it.for([
    ['he', 2],
    ['xavier', 1],
    [0.01, 0],
  ] as const)('init %s: W ~ N(0, std^2) per layer, biases 0', ([init, gain]) => {
    const params = initParams(layout, init, 7);
    for (const l of layout.layers) {
      const W = params.subarray(l.weightOffset, l.weightOffset + l.inputs * l.outputs);
      const mean = W.reduce((s, w) => s + w, 0) / W.length;
      const std = Math.sqrt(W.reduce((s, w) => s + (w - mean) ** 2, 0) / W.length);
      const expected = gain ? Math.sqrt(gain / l.inputs) : (init as number);
      expect(weightStd(init, l.inputs)).toBeCloseTo(expected, 12);
      // 1000+ samples: the sample std is within a few percent of the target.
      expect(Math.abs(std / expected - 1)).toBeLessThan(0.1);
      expect(Math.abs(mean)).toBeLessThan(0.15 * expected);
      expect(params.subarray(l.biasOffset, l.biasOffset + l.outputs).every((b) => b === 0)).toBe(true);
    }
  });

  it('rejects an unknown init', () => {
    expect(() => initParams(layout, -1, 1)).toThrow(/positive standard deviation/);
  });
});

describe('one GPU training step of several racers against the TypeScript model', () => {
  const layout = networkLayout([20, 16, 12, 10]);
  const [N, count, seed, iteration] = [8, 50, 12345, 3];
  const racers: { activation: Activation; init: WeightInit }[] = [
    { activation: 'relu', init: 'he' },
    { activation: 'sigmoid', init: 0.5 },
    { activation: 'tanh', init: 'xavier' },
  ];

  it.for(['shared', 'direct'] as const)(
    'gather, forward, loss and backward match cpuGradient for relu, sigmoid and tanh racers (%s matmuls)',
    async (strategy, ctx) => {
      if (!device) return ctx.skip();
      const gpu = device;
      const P = layout.paramsPerRacer;
      const R = racers.length;
      const random = seededRandom(99);
      const params = new Float32Array(R * P);
      racers.forEach((r, i) => {
        params.set(initParams(layout, r.init, 1000 + i), i * P);
        for (const l of layout.layers) for (let o = 0; o < l.outputs; o++) params[i * P + l.biasOffset + o] = random() * 0.2 - 0.1;
      });
      const images = Uint8Array.from({ length: count * 20 }, () => Math.floor(random() * 256));
      const imageLabels = Uint32Array.from({ length: count }, () => Math.floor(random() * 10));

      const passes = new MlpPasses(gpu, { strategy });
      const set = uploadImageSet(gpu, images, imageLabels, 20, 'test.train');
      const ring = new IterationRing(gpu, 2, 'test.ring');
      ring.set(1, { iteration, slot: 1 });
      ring.flush();
      const buffers = {
        params: createBuffer(gpu, 'test.params', storageUsage(), params),
        grads: createBuffer(gpu, 'test.grads', storageUsage(), 4 * R * P),
        X0: createBuffer(gpu, 'test.X0', storageUsage(), 4 * N * 20),
        labels: createBuffer(gpu, 'test.labels', storageUsage(), 4 * N),
        losses: createBuffer(gpu, 'test.losses', storageUsage(), 4 * 2 * R),
        correct: createBuffer(gpu, 'test.correct', storageUsage(), 4 * 2 * R),
      };
      const network = new GpuNetwork(passes, {
        layout,
        rows: N,
        activations: racers.map((r) => r.activation),
        params: buffers.params,
        grads: buffers.grads,
        X0: buffers.X0,
        labels: buffers.labels,
        label: 'test.network',
        results: { losses: buffers.losses, correct: buffers.correct, slots: 2, ring },
      });
      const gatherBinding = passes.gather.bindGroup({ set, X0: buffers.X0, labels: buffers.labels, ring }, { rows: N, seed, sequential: false });
      await withValidation(gpu, () => {
        const encoder = gpu.createCommandEncoder({ label: 'test.step' });
        const pass = encoder.beginComputePass({ label: 'test.step.pass' });
        passes.gather.encode(pass, gatherBinding, [ring.offset(1)]);
        network.encodeForward(pass);
        network.encodeLoss(pass, 1);
        network.encodeBackward(pass);
        pass.end();
        gpu.queue.submit([encoder.finish()]);
      });
      const grads = await readFloat32(gpu, buffers.grads);
      const losses = await readFloat32(gpu, buffers.losses);
      const correct = new Uint32Array((await readFloat32(gpu, buffers.correct)).buffer);
      network.destroy();
      gatherBinding.destroy();
      ring.destroy();
      [...Object.values(buffers), set.images, set.labels].forEach((b) => b.destroy());

      const batch = gather(images, imageLabels, batchIndices(seed, iteration, N, count), 20);
      racers.forEach((racer, r) => {
        const ref = cpuGradient(layout, params.subarray(r * P, (r + 1) * P), racer.activation, batch.X, batch.labels);
        expect(Math.abs(losses[R + r] - ref.loss) / ref.loss).toBeLessThan(1e-5);
        expect(correct[R + r]).toBe(ref.correct);
        expect(maxRelativeError(grads.subarray(r * P, (r + 1) * P), ref.grads)).toBeLessThan(1e-4);
        // Each layer on its own scale too: the small gradients of early layers are not hidden by late ones.
        for (const l of layout.layers) {
          const w = [r * P + l.weightOffset, r * P + l.weightOffset + l.inputs * l.outputs] as const;
          expect(maxRelativeError(grads.subarray(...w), ref.grads.subarray(w[0] - r * P, w[1] - r * P))).toBeLessThan(1e-4);
        }
      });
    },
  );
});
