/**
 * What the WebGPU race reads back per chunk, in ONE mappable buffer (a pool of them, one per chunk
 * in flight):
 *   losses    kMaxChunk x R f32, iteration-major
 *   correct   rows x R u32: the held-out set's correct counts (the test set, or the validation
 *             images in a race with `validation`), then (with trainAccuracy) the training images'
 *   logits    R x kPredictedDigits x C f32: the first test digits' (for the predictions; none are
 *             reported in a race with `validation`)
 * The last two only when the chunk evaluates.
 */
import { argmax } from '../nn/reference';
import { kPredictedDigits, type ChunkResult } from './backend';
import { kClasses } from './dataset';
import { kMaxChunk } from './engine';

export interface ReadbackShape {
  racers: number;
  /** Images in the held-out set (the test set, or the validation images) and in the race's training set (the accuracies' denominators). */
  heldOutCount: number;
  trainCount: number;
  /** The held-out set is the validation images: its accuracy is reported as `validation`, with no predictions. */
  validation: boolean;
  /** Whether the training images' accuracy is read back too (a second row of correct counts). */
  trainAccuracy: boolean;
}

export class ChunkReadback {
  /** Read-back buffers free for the next chunk. */
  private readonly free: GPUBuffer[] = [];
  /** Read-back buffers of the chunks in flight (mapping); destroy() leaves them to release(). */
  private readonly mapping = new Set<GPUBuffer>();
  private destroyed = false;

  constructor(
    private readonly device: GPUDevice,
    readonly shape: ReadbackShape,
  ) {}

  /** Rows of correct counts: the test set's, then the training images'. */
  get correctRows(): number {
    return this.shape.trainAccuracy ? 2 : 1;
  }

  private get correctOffset(): number {
    return 4 * kMaxChunk * this.shape.racers;
  }

  private get logitsOffset(): number {
    return this.correctOffset + 4 * this.correctRows * this.shape.racers;
  }

  private get bytes(): number {
    return this.logitsOffset + 4 * this.shape.racers * kPredictedDigits * kClasses;
  }

  /** A read-back buffer for one chunk: give it to read() once its commands are submitted. */
  acquire(): GPUBuffer {
    const staging =
      this.free.pop() ?? this.device.createBuffer({ label: 'Race.readback', size: this.bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    this.mapping.add(staging);
    return staging;
  }

  /** Copies the chunk's `count` rows of losses. */
  copyLosses(encoder: GPUCommandEncoder, losses: GPUBuffer, staging: GPUBuffer, count: number): void {
    encoder.copyBufferToBuffer(losses, 0, staging, 0, 4 * count * this.shape.racers);
  }

  /** Copies the correct counts and the first test digits' logits (`logits`: R x rows x C, the test batch of image 0). */
  copyEvaluation(encoder: GPUCommandEncoder, correct: GPUBuffer, logits: GPUBuffer, staging: GPUBuffer): void {
    const R = this.shape.racers;
    encoder.copyBufferToBuffer(correct, 0, staging, this.correctOffset, 4 * this.correctRows * R);
    const rows = logits.size / 4 / R / kClasses;
    const digits = Math.min(kPredictedDigits, rows);
    for (let r = 0; r < R; r++) {
      encoder.copyBufferToBuffer(logits, 4 * r * rows * kClasses, staging, this.logitsOffset + 4 * r * kPredictedDigits * kClasses, 4 * digits * kClasses);
    }
  }

  /** The chunk's results, once `map` (mapForReading of `staging`) settles; the buffer goes back to the pool. */
  async read(staging: GPUBuffer, map: Promise<void>, count: number, evaluated: boolean): Promise<ChunkResult> {
    try {
      await map;
    } catch (cause) {
      this.mapping.delete(staging);
      staging.destroy();
      throw cause;
    }
    const { racers: R, heldOutCount, trainCount } = this.shape;
    const bytes = staging.getMappedRange();
    const result: ChunkResult = { losses: new Float32Array(bytes.slice(0, 4 * count * R)) };
    if (evaluated) {
      const correct = new Uint32Array(bytes.slice(this.correctOffset, this.logitsOffset));
      const logits = new Float32Array(bytes.slice(this.logitsOffset, this.bytes));
      const heldOut = Array.from(correct.subarray(0, R), (c) => c / heldOutCount);
      if (this.shape.validation) result.validation = heldOut;
      else result.accuracy = heldOut;
      if (this.shape.trainAccuracy) result.trainAccuracy = Array.from(correct.subarray(R, 2 * R), (c) => c / trainCount);
      if (!this.shape.validation)
        result.predictions = Array.from({ length: R }, (_, r) =>
          Uint8Array.from({ length: Math.min(kPredictedDigits, heldOutCount) }, (_, n) => argmax(logits, (r * kPredictedDigits + n) * kClasses, kClasses)),
        );
    }
    staging.unmap();
    this.mapping.delete(staging);
    if (this.destroyed) staging.destroy();
    else this.free.push(staging);
    return result;
  }

  /** Frees the pool; buffers still mapping go when their maps settle. */
  destroy(): void {
    this.destroyed = true;
    for (const b of this.free.splice(0)) b.destroy();
  }
}
