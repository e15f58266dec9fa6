/**
 * The race in float64 TypeScript: every racer's network is the chapter-6 reference
 * (src/nn/regularized-mlp.ts, with its `bn`, `dropout` and `l2`; ./cpu-racer.ts) stepped by its
 * optimizer's reference rule. Same batches, initial weights and dropout masks as the other engines,
 * and the reference they are checked against; used when WebGPU and WebAssembly are missing (in a
 * Web Worker in the browser) and as the benchmark's CPU baseline.
 *
 * A plain racer computes what the seed's network does, bit for bit as before the chapter-6 options.
 */
import { batchIndices, sequentialIndices } from '../nn/batch';
import { networkLayout, type NetworkLayout } from '../nn/layout';
import { initParams } from '../nn/model';
import { argmax, countCorrect, gather } from '../nn/reference';
import { kPredictedDigits, type ChunkRequest, type ChunkResult, type RaceBackend, type RaceSnapshot } from './backend';
import { checkSnapshot } from './engine-restore';
import type { RaceConfig, ResolvedRace } from './config';
import { CpuRacer } from './cpu-racer';
import { initSeed, kClasses, kPixels, type RaceData } from './dataset';
import { raceTrainingSet, type RaceTrainingSet } from './validation-split';

/** Rows per evaluation pass. */
const kEvaluationRows = 500;

export class CpuRaceBackend implements RaceBackend {
  readonly kind = 'cpu' as const;
  private readonly layout: NetworkLayout;
  private readonly config: RaceConfig;
  /** The race's training images: batches come from the first trainCount, then the validationCount held out. */
  private readonly training: RaceTrainingSet;
  private racers!: CpuRacer[];
  /** All racers' params (R x P) and running statistics (R x S); each CpuRacer works on its block. */
  private blocks!: { params: Float64Array; stats: Float64Array };

  constructor(
    readonly race: ResolvedRace,
    private readonly data: RaceData,
  ) {
    const config = (this.config = race.config);
    if (config.sizes[0] !== kPixels || config.sizes[config.sizes.length - 1] !== kClasses) {
      throw new Error(`an MNIST network has ${kPixels} inputs and ${kClasses} outputs, got ${config.sizes.join('-')}`);
    }
    this.layout = networkLayout(config.sizes, { batchNorm: race.batchNorm });
    this.training = raceTrainingSet(race, data);
    this.initialise();
  }

  /** Fresh parameters (the same draw for the same init), optimizer state, and running statistics at zero. */
  private initialise(): void {
    const { paramsPerRacer: P, statsPerRacer: S } = this.layout;
    const R = this.race.racers.length;
    const params = new Float64Array(R * P);
    const grads = new Float64Array(R * P);
    const stats = new Float64Array(R * S);
    this.blocks = { params, stats };
    this.racers = this.race.racers.map((racer, r) => {
      params.set(initParams(this.layout, racer.init, initSeed(this.config.seed)), r * P);
      const block = (array: Float64Array, size: number) => array.subarray(r * size, (r + 1) * size);
      return new CpuRacer(racer, r, this.layout, block(params, P), block(grads, P), block(stats, S));
    });
  }

  /** Chunks run one after another, in the order queued (the engine queues two at a time). */
  run(request: ChunkRequest): Promise<ChunkResult> {
    const result = this.queue.then(() => this.compute(request));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private queue: Promise<unknown> = Promise.resolve();

  private async compute(request: ChunkRequest): Promise<ChunkResult> {
    const { batchSize: N, seed, iterations } = this.config;
    const R = this.racers.length;
    const { images, trainCount, validationCount } = this.training;
    const trainLabels = this.training.labels.subarray(0, trainCount);
    const losses = new Float32Array(request.count * R);
    for (let i = 0; i < request.count; i++) {
      const iteration = request.first + i;
      const indices = batchIndices(seed, iteration, N, trainCount);
      const { X, labels } = gather(images, trainLabels, indices, kPixels);
      this.racers.forEach((racer, r) => {
        // Diverged racers are frozen; their loss is still measured (the engine records NaN for them).
        if (request.active[r]) racer.step(X, labels, N, seed, iteration, iterations);
        // As the book's trainer records it: after the update, on the same batch, in evaluation mode.
        losses[i * R + r] = racer.evaluationLoss(X, labels, N);
      });
      // Yield so a page (or worker) stays responsive.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    if (!request.evaluate) return { losses };
    const trainAccuracy = this.config.trainAccuracy ? { trainAccuracy: this.accuracy(this.allRacers, images, trainLabels) } : {};
    if (validationCount > 0) {
      // The held-out rows after the trained ones; the test set is not touched.
      const validation = this.accuracy(this.allRacers, images.subarray(trainCount * kPixels), this.training.labels.subarray(trainCount));
      return { losses, validation, ...trainAccuracy };
    }
    const predictions = this.racers.map(() => new Uint8Array(Math.min(kPredictedDigits, this.data.testCount)));
    const accuracy = this.accuracy(this.allRacers, this.data.testImages, this.data.testLabels.subarray(0, this.data.testCount), predictions);
    return { losses, accuracy, ...trainAccuracy, predictions };
  }

  private get allRacers(): number[] {
    return this.racers.map((_, r) => r);
  }

  testAccuracy(racers: readonly number[]): Promise<number[]> {
    const result = this.queue.then(() => this.accuracy(racers, this.data.testImages, this.data.testLabels.subarray(0, this.data.testCount)));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /**
   * The listed racers' accuracy over every image of `labels` in evaluation mode, kEvaluationRows at a
   * time (the last pass padded); `predictions` (when given) get the first images' predicted digits.
   */
  private accuracy(racers: readonly number[], images: Uint8Array, labels: Uint8Array, predictions?: Uint8Array[]): number[] {
    const count = labels.length;
    const rows = Math.min(kEvaluationRows, count);
    const correct = new Float64Array(racers.length);
    for (let first = 0; first < count; first += rows) {
      // Indices past `count` are padding rows, never correct.
      const batch = gather(images, labels, sequentialIndices(first, rows), kPixels);
      racers.forEach((r, k) => {
        const scores = this.racers[r].scores(batch.X, rows);
        correct[k] += countCorrect(scores, batch.labels, rows, kClasses)[0];
        if (first === 0) predictions?.[r].forEach((_, n, p) => (p[n] = argmax(scores, n * kClasses, kClasses)));
      });
    }
    return Array.from(correct, (c) => c / count);
  }

  async reset(): Promise<void> {
    await this.queue;
    this.initialise();
  }

  async snapshot(): Promise<RaceSnapshot> {
    await this.queue;
    const P = this.layout.paramsPerRacer;
    const state = (j: number): Float64Array => {
      const all = new Float64Array(this.racers.length * P);
      this.racers.forEach((racer, r) => racer.state[j] && all.set(racer.state[j], r * P));
      return all;
    };
    return {
      params: this.blocks.params.slice(),
      stats: this.blocks.stats.slice(),
      state: [state(0), state(1)],
      steps: this.racers.map((r) => r.steps),
    };
  }

  async restore(snapshot: RaceSnapshot): Promise<void> {
    const P = this.layout.paramsPerRacer;
    checkSnapshot(snapshot, this.racers.length, P, this.layout.statsPerRacer);
    await this.queue;
    this.blocks.params.set(snapshot.params);
    this.blocks.stats.set(snapshot.stats);
    this.racers.forEach((racer, r) => {
      racer.state.forEach((s, j) => s.set(snapshot.state[j].subarray(r * P, (r + 1) * P)));
      racer.steps = snapshot.steps[r];
    });
  }

  destroy(): void {}
}
