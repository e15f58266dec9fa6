/**
 * The baseline: the seed's MNIST race written the ordinary way in TensorFlow.js, with the same
 * network (ReLU hidden layers, softmax + the seed's cross-entropy), the same initial weights as
 * our engine (initParams with the race's seed), the same six optimizers at the seed's defaults,
 * the same minibatches (batchIndices) and, like the seed, each racer's loss measured on the batch
 * after its update. It runs on whichever TF.js backend is active (webgpu, webgl, cpu).
 */
import * as tf from '@tensorflow/tfjs';
import { batchIndices, pixelValue } from '../src/nn/batch';
import { networkLayout } from '../src/nn/layout';
import { initParams } from '../src/nn/model';
import { kSeedRace, type RaceConfig } from '../src/race/config';
import { initSeed, kClasses, kPixels, type RaceData } from '../src/race/dataset';

interface TfjsRacer {
  name: string;
  /** W0, b0, W1, b1, ... */
  weights: tf.Variable[];
  optimizer: tf.Optimizer;
}

/**
 * The seed's six in its order, at its defaults, in TF.js terms (same rules, README's table).
 * Where eps sits differs: TF.js's RMSprop divides by sqrt(h + eps), the seed by sqrt(h) + eps, so
 * it gets eps = 1e-14 = (1e-7)^2, which gives the seed's steps also where h is near 0 (with 1e-7
 * inside the root, its first steps on small gradients would be ~30x too short). TF.js's AdaGrad
 * needs a positive initial accumulator (1e-12 stands for the seed's h = 0) and always adds the
 * backend's eps (1e-7) inside the root; that shortens only steps on gradients below ~3e-4.
 */
function seedOptimizers(): [string, tf.Optimizer][] {
  return [
    ['SGD', tf.train.sgd(0.01)],
    ['Momentum', tf.train.momentum(0.01, 0.9)],
    ['AdaGrad', tf.train.adagrad(0.01, 1e-12)],
    ['Adam', tf.train.adam(0.001, 0.9, 0.999, 1e-7)],
    ['RMSprop', tf.train.rmsprop(0.01, 0.99, 0, 1e-14)],
    ['Nesterov', tf.train.momentum(0.01, 0.9, true)],
  ];
}

/** TF.js runs the seed's race only: its racers are fixed (the seed's six, He init, ReLU). */
function checkSeedRacers(config: RaceConfig): void {
  const seed = JSON.stringify(kSeedRace.racers);
  if (JSON.stringify(config.racers) !== seed) throw new Error(`the TF.js baseline runs the seed's six racers only, got ${JSON.stringify(config.racers)}`);
  if (config.sizes[0] !== kPixels || config.sizes[config.sizes.length - 1] !== kClasses) {
    throw new Error(`an MNIST network has ${kPixels} inputs and ${kClasses} outputs, got ${config.sizes.join('-')}`);
  }
}

export class TfjsRace {
  private readonly racers: TfjsRacer[];
  /** Iterations run so far. */
  iteration = 0;
  /** Milliseconds spent in TF.js's synchronous calls (queueing GPU work), not waiting for results. */
  cpuMs = 0;

  constructor(
    private readonly config: RaceConfig,
    private readonly data: RaceData,
  ) {
    checkSeedRacers(config);
    const layout = networkLayout(config.sizes);
    const params = initParams(layout, 'he', initSeed(config.seed));
    this.racers = seedOptimizers().map(([name, optimizer]) => {
      const weights: tf.Variable[] = [];
      // Variables outlive tidy(); the tensors they were made from do not.
      tf.tidy(() => {
        for (const layer of layout.layers) {
          const w = params.slice(layer.weightOffset, layer.weightOffset + layer.inputs * layer.outputs);
          weights.push(tf.variable(tf.tensor2d(w, [layer.inputs, layer.outputs])), tf.variable(tf.zeros([layer.outputs])));
        }
      });
      return { name, weights, optimizer };
    });
  }

  get names(): string[] {
    return this.racers.map((r) => r.name);
  }

  /** The iteration's minibatch, gathered on the CPU and uploaded (the ordinary way). */
  private batch(): { x: tf.Tensor2D; t: tf.Tensor2D } {
    const { batchSize, seed } = this.config;
    const { trainImages, trainLabels, trainCount } = this.data;
    const indices = batchIndices(seed, this.iteration, batchSize, trainCount);
    const pixels = new Float32Array(batchSize * kPixels);
    const onehot = new Float32Array(batchSize * kClasses);
    indices.forEach((index, n) => {
      for (let k = 0; k < kPixels; k++) pixels[n * kPixels + k] = pixelValue(trainImages[index * kPixels + k]);
      onehot[n * kClasses + trainLabels[index]] = 1;
    });
    return { x: tf.tensor2d(pixels, [batchSize, kPixels]), t: tf.tensor2d(onehot, [batchSize, kClasses]) };
  }

  private loss(w: tf.Variable[], x: tf.Tensor2D, t: tf.Tensor2D): tf.Scalar {
    let h: tf.Tensor2D = x;
    for (let l = 0; l < w.length; l += 2) {
      h = tf.add(tf.matMul(h, w[l] as tf.Tensor2D), w[l + 1]);
      if (l + 2 < w.length) h = tf.relu(h);
    }
    // The seed's loss: -mean over the batch of log(softmax[t] + 1e-7).
    const y = tf.softmax(h);
    return tf.neg(tf.mean(tf.sum(tf.mul(t, tf.log(tf.add(y, 1e-7))), 1))) as tf.Scalar;
  }

  /** Runs `count` iterations for all racers; returns count x R losses (iteration-major), read back once at the end. */
  async run(count: number): Promise<Float32Array> {
    const started = performance.now();
    const losses: tf.Scalar[] = [];
    for (let i = 0; i < count; i++) {
      tf.tidy(() => {
        const { x, t } = this.batch();
        for (const r of this.racers) {
          r.optimizer.minimize(() => this.loss(r.weights, x, t), false, r.weights);
          losses.push(tf.keep(this.loss(r.weights, x, t)));
        }
      });
      this.iteration += 1;
    }
    const stacked = tf.stack(losses);
    this.cpuMs += performance.now() - started;
    const values = await stacked.data();
    tf.dispose([stacked, ...losses]);
    return Float32Array.from(values);
  }

  dispose(): void {
    for (const r of this.racers) {
      tf.dispose(r.weights);
      r.optimizer.dispose();
    }
  }
}
