/**
 * The race in float64 TypeScript on the reference kernels (src/nn/reference.ts) and the
 * optimizers' reference rules. Same batches and initial weights as the GPU; used when WebGPU is
 * missing (in a Web Worker in the browser) and as the benchmark's CPU baseline.
 */
import { batchIndices, sequentialIndices } from '../nn/batch';
import { networkLayout, type Activation, type NetworkLayout } from '../nn/layout';
import { initParams } from '../nn/model';
import { affineBackwardData, argmax, affineBackwardWeights, affineForward, countCorrect, gather, softmaxCrossEntropy } from '../nn/reference';
import { scheduledHyperparameters } from '../optim/schedule';
import { mlpLayerShape, type LayerShape } from '../nn/shape';
import { kPredictedDigits, type ChunkRequest, type ChunkResult, type RaceBackend } from './backend';
import type { RaceConfig, ResolvedRace, ResolvedRacer } from './config';
import { initSeed, kClasses, kPixels, type RaceData } from './dataset';

export class CpuRaceBackend implements RaceBackend {
  readonly kind = 'cpu' as const;
  private readonly layout: NetworkLayout;
  private readonly racers: readonly ResolvedRacer[];
  private readonly config: RaceConfig;
  private readonly activations: Activation[];
  private params!: Float64Array;
  private grads!: Float64Array;
  private state!: Float64Array[][];
  private steps!: number[];

  constructor(
    readonly race: ResolvedRace,
    private readonly data: RaceData,
  ) {
    const config = (this.config = race.config);
    this.layout = networkLayout(config.sizes);
    if (config.sizes[0] !== kPixels || config.sizes[config.sizes.length - 1] !== kClasses) {
      throw new Error(`an MNIST network has ${kPixels} inputs and ${kClasses} outputs, got ${config.sizes.join('-')}`);
    }
    this.racers = race.racers;
    this.activations = this.racers.map((r) => r.activation);
    this.initialise();
  }

  private initialise(): void {
    const P = this.layout.paramsPerRacer;
    const R = this.racers.length;
    this.params = new Float64Array(R * P);
    this.racers.forEach((r, i) => this.params.set(initParams(this.layout, r.init, initSeed(this.config.seed)), i * P));
    this.grads = new Float64Array(R * P);
    this.state = this.racers.map((r) => r.spec.state.map(() => new Float64Array(P)));
    this.steps = this.racers.map(() => 0);
  }

  private shapes(rows: number): LayerShape[] {
    return this.layout.layers.map((_, l) => mlpLayerShape(this.layout, l, rows, this.racers.length));
  }

  /** Activations of every layer, input first. */
  private forward(X: ArrayLike<number>, shapes: LayerShape[]): ArrayLike<number>[] {
    const acts: ArrayLike<number>[] = [X];
    shapes.forEach((shape, l) => acts.push(affineForward(acts[l], this.params, shape, this.activations)));
    return acts;
  }

  /** Chunks run one after another, in the order queued (the engine queues two at a time). */
  run(request: ChunkRequest): Promise<ChunkResult> {
    const result = this.queue.then(() => this.compute(request));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private queue: Promise<unknown> = Promise.resolve();

  private async compute(request: ChunkRequest): Promise<ChunkResult> {
    const { batchSize: N, seed } = this.config;
    const R = this.racers.length;
    const P = this.layout.paramsPerRacer;
    const shapes = this.shapes(N);
    const losses = new Float32Array(request.count * R);
    for (let i = 0; i < request.count; i++) {
      const indices = batchIndices(seed, request.first + i, N, this.data.trainCount);
      const { X, labels } = gather(this.data.trainImages, this.data.trainLabels, indices, kPixels);
      const acts = this.forward(X, shapes);
      const { dLogits } = softmaxCrossEntropy(acts[acts.length - 1], labels, N, kClasses, R);
      let dY: ArrayLike<number> = dLogits;
      for (let l = shapes.length - 1; l >= 0; l--) {
        affineBackwardWeights(acts[l], dY, shapes[l], this.grads);
        if (l > 0) dY = affineBackwardData(dY, this.params, acts[l], shapes[l], this.activations);
      }
      this.racers.forEach((racer, r) => {
        if (!request.active[r]) return;
        this.steps[r] += 1;
        const t = this.steps[r];
        const h = scheduledHyperparameters(racer.hyper, racer.schedule, t, this.config.iterations);
        racer.spec.reference(this.params.subarray(r * P, (r + 1) * P), this.grads.subarray(r * P, (r + 1) * P), this.state[r], h, t);
      });
      // As in the seed, the recorded loss is measured on the same batch after the update.
      const after = this.forward(X, shapes);
      const { loss } = softmaxCrossEntropy(after[after.length - 1], labels, N, kClasses, R);
      losses.set(loss, i * R);
      // Yield so a page (or worker) stays responsive.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    return request.evaluate ? { losses, ...this.evaluate() } : { losses };
  }

  private evaluate(): { accuracy: number[]; predictions: Uint8Array[] } {
    const { testImages, testLabels, testCount } = this.data;
    const R = this.racers.length;
    const rows = Math.min(500, testCount);
    const shapes = this.shapes(rows);
    const correct = new Float64Array(R);
    const predictions = this.racers.map(() => new Uint8Array(Math.min(kPredictedDigits, testCount)));
    for (let first = 0; first < testCount; first += rows) {
      const { X, labels } = gather(testImages, testLabels, sequentialIndices(first, rows), kPixels);
      const acts = this.forward(X, shapes);
      const logits = acts[acts.length - 1];
      countCorrect(logits, labels, rows, kClasses, R).forEach((c, r) => (correct[r] += c));
      if (first === 0) predictions.forEach((p, r) => p.forEach((_, n) => (p[n] = argmax(logits, (r * rows + n) * kClasses, kClasses))));
    }
    return { accuracy: Array.from(correct, (c) => c / testCount), predictions };
  }

  async reset(): Promise<void> {
    await this.queue;
    this.initialise();
  }

  destroy(): void {}
}
