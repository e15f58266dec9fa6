/** What the race engine asks of a backend (WebGPU or the CPU reference). */
import type { BackendKind } from '../gpu/backend-kind';
import type { ResolvedRace } from './config';

export interface ChunkRequest {
  /** First iteration of the chunk (0-based) and how many to run. */
  first: number;
  count: number;
  /** Racers that still take steps; diverged racers are frozen. */
  active: readonly boolean[];
  /** Measure test accuracy (and training accuracy when the race's `trainAccuracy` is on) after the chunk's last iteration. */
  evaluate: boolean;
}

export interface ChunkResult {
  /** count x R training losses, iteration-major: losses[i * R + r]. */
  losses: Float32Array;
  /** Test accuracy per racer (0..1) when requested, in a race without `validation`. */
  accuracy?: number[];
  /** Validation accuracy per racer (0..1) when requested, in a race with `validation` (which never measures the test set). */
  validation?: number[];
  /** Accuracy on the race's training images (the first `trainSize`) per racer, when requested and the race's `trainAccuracy` is on. */
  trainAccuracy?: number[];
  /** Predicted labels of the first few test digits, per racer, when accuracy was measured. */
  predictions?: Uint8Array[];
}

export interface RaceBackend {
  readonly kind: BackendKind;
  /** The race it was built for (the engine checks it is the one it runs). */
  readonly race: ResolvedRace;
  /**
   * Queues a chunk of iterations and resolves when its results are read back. Chunks run in the
   * order they are queued; the engine keeps two in flight so the GPU never waits for the CPU.
   */
  run(request: ChunkRequest): Promise<ChunkResult>;
  /**
   * The listed racers' accuracy (0..1, in their order) on the whole test set with their current
   * weights, in evaluation mode, after the chunks queued before it: a validation race's "Test the
   * best" (src/race/search-race.ts).
   */
  testAccuracy(racers: readonly number[]): Promise<number[]>;
  /** Re-initialises every racer's parameters and optimizer state. */
  reset(): Promise<void>;
  /** Every racer's numbers after the chunks queued so far (weights out, checkpoints). */
  snapshot?(): Promise<RaceSnapshot>;
  /** Puts every racer's numbers back (weights in, a resumed checkpoint); applies before the next chunk queued. */
  restore?(snapshot: RaceSnapshot): Promise<void>;
  destroy(): void;
}

/** How many test digits the engine reports predictions for (the digit grid). */
export const kPredictedDigits = 16;

/**
 * Every racer's numbers as a backend holds them, in the race's layout (networkLayout(sizes,
 * { batchNorm: race.batchNorm })): racer r's block at r·P, its running statistics at r·S. Float64
 * from the CPU reference, float32 from the others.
 */
export interface RaceSnapshot {
  /** R x P: W, b (and γ, β) of every racer. */
  params: Float32Array | Float64Array;
  /** R x S: batch norm's running statistics (empty without batch norm). */
  stats: Float32Array | Float64Array;
  /** The optimizer's two state vectors (registry `state`, in order; unused ones zero), R x P each. */
  state: [Float32Array | Float64Array, Float32Array | Float64Array];
  /** Each racer's optimizer step count: t of its last update (a diverged racer stopped counting). */
  steps: number[];
}
