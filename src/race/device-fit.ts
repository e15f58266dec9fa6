/**
 * Whether a race fits the device, checked before any buffer is created: the largest buffer the
 * WebGPU backend would make (each is bound whole as storage, so it must pass both
 * maxStorageBufferBindingSize and maxBufferSize) and the racers as workgroups of one dispatch
 * (maxComputeWorkgroupsPerDimension). The message says what to shrink.
 */
import { networkLayout } from '../nn/layout';
import { kPixels } from './dataset';
import { kMaxChunk } from './engine';

/** The device limits a race depends on (a GPUSupportedLimits, or fakes in tests). */
export interface RaceDeviceLimits {
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
  maxComputeWorkgroupsPerDimension: number;
}

/** What sizes a race's buffers: the network, racers, batch and the dataset's counts. */
export interface RaceShape {
  sizes: readonly number[];
  racers: number;
  batchSize: number;
  /** The training images the race draws from (its training limit, or the whole set: raceTrainCount). */
  trainCount: number;
  testCount: number;
  /** Some racer uses batch norm (ResolvedRace.batchNorm): γ, β in the parameters, the running statistics, the batch-norm cache. */
  batchNorm?: boolean;
}

/** Rows of an evaluation batch (the backend's test batches). */
export const kEvalRows = 500;

export interface RaceBuffer {
  /** Words for messages ("layer 1's training activations"). */
  what: string;
  bytes: number;
  /** Whether racers or the batch size make it grow (otherwise the dataset does). */
  perRacer: boolean;
}

/** The storage buffers the WebGPU backend creates for this race, with their sizes in bytes. */
export function raceBuffers(shape: RaceShape): RaceBuffer[] {
  const layout = networkLayout(shape.sizes, { batchNorm: shape.batchNorm });
  const R = shape.racers;
  const N = shape.batchSize;
  const evalRows = Math.min(kEvalRows, shape.testCount);
  const widest = layout.layers.reduce((best, layer, l) => (layer.outputs > layout.layers[best].outputs ? l : best), 0);
  const O = layout.layers[widest].outputs;
  const hidden = layout.layers.slice(0, -1);
  const widestHidden = hidden.reduce((best, layer, l) => (layer.outputs > hidden[best].outputs ? l : best), 0);
  const batchNorm: RaceBuffer[] =
    shape.batchNorm && hidden.length > 0
      ? [
          { what: 'the running statistics', bytes: 4 * R * layout.statsPerRacer, perRacer: true },
          { what: `layer ${widestHidden + 1}'s batch-norm cache`, bytes: 4 * R * N * hidden[widestHidden].outputs, perRacer: true },
        ]
      : [];
  return [
    { what: 'the parameters (and gradients, optimizer state)', bytes: 4 * R * layout.paramsPerRacer, perRacer: true },
    { what: `layer ${widest + 1}'s training activations`, bytes: 4 * R * N * O, perRacer: true },
    { what: `layer ${widest + 1}'s test activations`, bytes: 4 * R * evalRows * O, perRacer: true },
    ...batchNorm,
    { what: 'the training batch', bytes: 4 * N * kPixels, perRacer: true },
    { what: 'the losses of a chunk', bytes: 4 * kMaxChunk * R, perRacer: true },
    { what: 'the training images', bytes: Math.ceil((shape.trainCount * kPixels) / 4) * 4, perRacer: false },
    { what: 'the test images', bytes: Math.ceil((shape.testCount * kPixels) / 4) * 4, perRacer: false },
  ];
}

const mib = (bytes: number, round: (x: number) => number): string => `${round(bytes / 2 ** 20)} MiB`;

/** Why this race cannot run on a device with these limits, or null when it fits. */
export function deviceFitProblem(shape: RaceShape, limits: RaceDeviceLimits): string | null {
  const allowed = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  const largest = raceBuffers(shape).reduce((a, b) => (b.bytes > a.bytes ? b : a));
  if (largest.bytes > allowed) {
    const advice = largest.perRacer ? 'use fewer racers or a smaller batch' : 'use a smaller dataset';
    return (
      `this race of ${shape.racers} racers needs ${mib(largest.bytes, Math.ceil)} in one buffer (${largest.what}); ` +
      `this GPU allows ${mib(allowed, Math.floor)} per buffer: ${advice}`
    );
  }
  const groups = limits.maxComputeWorkgroupsPerDimension;
  if (shape.racers > groups) return `this race has ${shape.racers} racers; this GPU runs at most ${groups} in one dispatch: use fewer racers`;
  return null;
}

/** A race too large for the device: bad input (the CLI exits 2), not a failure of the GPU. */
export class RaceTooLargeError extends Error {
  override name = 'RaceTooLargeError';
}

/** Throws deviceFitProblem's message as a RaceTooLargeError. */
export function assertRaceFitsDevice(shape: RaceShape, limits: RaceDeviceLimits): void {
  const problem = deviceFitProblem(shape, limits);
  if (problem) throw new RaceTooLargeError(problem);
}
