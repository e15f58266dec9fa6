/**
 * The TypeScript model (src/nn/model.ts) against central-difference gradients for each hidden
 * activation, and one full GPU forward + backward step of several racers against it.
 */
import { describe, expect, it } from 'vitest';
import { networkLayout, type Activation } from '../src/nn/layout';
import { cpuGradient, cpuLoss, initParams, weightStd } from '../src/nn/model';
import { maxRelativeError, seededRandom } from './gpu';

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
      const used = [...Array(l.inputs * l.outputs).keys()].map((k) => l.weightOffset + k)
        .concat([...Array(l.outputs).keys()].map((k) => l.biasOffset + k));
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
    expect(initParams(layout, 'he', 42)).toEqual(initParams(layout, 'he', 42));
    expect(initParams(layout, 'he', 42)).not.toEqual(initParams(layout, 'he', 43));
  });

  it.for([['he', 2], ['xavier', 1], [0.01, 0]] as const)('init %s: W ~ N(0, std^2) per layer, biases 0', ([init, gain]) => {
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
