/**
 * The baseline: the seed's MNIST race written the ordinary way in TensorFlow.js, with the same
 * network (784-100-100-100-100-10, ReLU, He init), the same six optimizers at the seed's
 * defaults, the same minibatches (batchIndices) and, like the seed, each racer's loss measured
 * on the batch after its update. It runs on whichever TF.js backend is active (webgpu, webgl).
 */
import * as tf from '@tensorflow/tfjs';
import { batchIndices } from '../src/nn/batch';

export interface TfjsRaceInput {
  trainImages: Uint8Array;
  trainLabels: Uint8Array;
  trainCount: number;
  sizes: number[];
  batchSize: number;
  seed: number;
}

interface TfjsRacer {
  name: string;
  weights: tf.Variable[];
  optimizer: tf.Optimizer;
}

/** The seed's defaults in TF.js terms (TF.js's AdaGrad needs a tiny initial accumulator to match h = 0). */
function seedOptimizers(): [string, tf.Optimizer][] {
  return [
    ['SGD', tf.train.sgd(0.01)],
    ['Momentum', tf.train.momentum(0.01, 0.9)],
    ['AdaGrad', tf.train.adagrad(0.01, 1e-12)],
    ['Adam', tf.train.adam(0.001, 0.9, 0.999, 1e-7)],
    ['RMSprop', tf.train.rmsprop(0.01, 0.99, 0, 1e-7)],
    ['Nesterov', tf.train.momentum(0.01, 0.9, true)],
  ];
}

export class TfjsRace {
  private readonly racers: TfjsRacer[];
  iteration = 0;

  constructor(private readonly input: TfjsRaceInput) {
    const { sizes } = input;
    this.racers = seedOptimizers().map(([name, optimizer]) => {
      const weights: tf.Variable[] = [];
      for (let l = 0; l + 1 < sizes.length; l++) {
        const std = Math.sqrt(2 / sizes[l]);
        weights.push(tf.variable(tf.randomNormal([sizes[l], sizes[l + 1]], 0, std, 'float32', input.seed + l)));
        weights.push(tf.variable(tf.zeros([sizes[l + 1]])));
      }
      return { name, weights, optimizer };
    });
  }

  private batch(): { x: tf.Tensor2D; t: tf.Tensor2D } {
    const { trainImages, trainLabels, trainCount, batchSize, seed } = this.input;
    const indices = batchIndices(seed, this.iteration, batchSize, trainCount);
    const pixels = new Float32Array(batchSize * 784);
    const onehot = new Float32Array(batchSize * 10);
    indices.forEach((index, n) => {
      for (let k = 0; k < 784; k++) pixels[n * 784 + k] = trainImages[index * 784 + k] / 255;
      onehot[n * 10 + trainLabels[index]] = 1;
    });
    return { x: tf.tensor2d(pixels, [batchSize, 784]), t: tf.tensor2d(onehot, [batchSize, 10]) };
  }

  private loss(w: tf.Variable[], x: tf.Tensor2D, t: tf.Tensor2D): tf.Scalar {
    let h: tf.Tensor2D = x;
    for (let l = 0; l < w.length; l += 2) {
      h = tf.add(tf.matMul(h, w[l] as tf.Tensor2D), w[l + 1]);
      if (l + 2 < w.length) h = tf.relu(h);
    }
    // The seed's loss: -mean(log(softmax + 1e-7)[t]).
    const y = tf.softmax(h);
    return tf.neg(tf.mean(tf.sum(tf.mul(t, tf.log(tf.add(y, 1e-7))), 1)));
  }

  /** Runs `count` iterations for all racers; returns the losses, read back once at the end. */
  async run(count: number): Promise<Float32Array> {
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
    const values = await tf.stack(losses).data();
    tf.dispose(losses);
    return Float32Array.from(values);
  }

  dispose(): void {
    for (const r of this.racers) {
      tf.dispose(r.weights);
      r.optimizer.dispose();
    }
  }
}
