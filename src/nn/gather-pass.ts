/**
 * BatchGatherPass (batch_gather.wgsl): builds a minibatch on the GPU from an image set that lives
 * there (uint8 pixels packed 4 per u32, u32 labels): X0 (N x D, pixel / 255) and labels (N).
 * Training batches are drawn by batchHash (src/nn/batch.ts) from the ring slot's `iteration`;
 * sequential (evaluation) batches start at the slot's `first` image.
 */
import iterationWgsl from '../../shaders/nn/iteration.wgsl?raw';
import gatherWgsl from '../../shaders/nn/batch_gather.wgsl?raw';
import hashWgsl from '../../shaders/nn/hash.wgsl?raw';
import { ComputePass, workgroupKernel } from './compute-pass';
import { type IterationRing, kRingLayout, type PassBinding, requireBytes, ringSlot, uniformBuffer, uniformLayout } from './gpu-common';
import { checkCount } from './shape';

/** An image set on the GPU. */
export interface GpuImageSet {
  /** uint8 pixels, image j's pixel d at byte j * D + d (padded to a multiple of 4 bytes). */
  images: GPUBuffer;
  /** One u32 label per image. */
  labels: GPUBuffer;
  count: number;
  /** D, pixels per image. */
  pixels: number;
}

/** Uploads `count` images of `pixels` bytes each and their labels. */
export function uploadImageSet(device: GPUDevice, images: Uint8Array, labels: ArrayLike<number>, pixels: number, label = 'images'): GpuImageSet {
  const count = labels.length;
  checkCount('images', count);
  checkCount('pixels per image', pixels);
  if (images.length !== count * pixels) {
    throw new Error(`${count} images of ${pixels} pixels need ${count * pixels} bytes, got ${images.length}`);
  }
  const padded = new Uint8Array(Math.ceil(images.length / 4) * 4);
  padded.set(images);
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST;
  const imageBuffer = device.createBuffer({ label: `${label}.pixels`, size: padded.byteLength, usage });
  device.queue.writeBuffer(imageBuffer, 0, padded);
  const labelBuffer = device.createBuffer({ label: `${label}.labels`, size: 4 * count, usage });
  device.queue.writeBuffer(labelBuffer, 0, Uint32Array.from(labels));
  return { images: imageBuffer, labels: labelBuffer, count, pixels };
}

export interface GatherShape {
  rows: number; // N
  /** Training: the batch seed (u32). Ignored when sequential. */
  seed: number;
  /** true: images first .. first + N - 1 (evaluation); false: the iteration's random batch. */
  sequential: boolean;
}

export interface GatherBuffers {
  set: GpuImageSet;
  /** N x D f32, shared by every racer. */
  X0: GPUBuffer;
  /** N u32. */
  labels: GPUBuffer;
  ring: IterationRing;
}

export class BatchGatherPass extends ComputePass {
  private readonly workgroupSize: number;

  constructor(device: GPUDevice, options: { workgroupSize?: number } = {}) {
    const workgroupSize = options.workgroupSize ?? 64;
    const read = 'read-only-storage';
    const bindings = [read, read, 'storage', 'storage', uniformLayout(32), kRingLayout] as const;
    super(device, 'BatchGather', bindings, workgroupKernel(device, 'BatchGather', iterationWgsl + hashWgsl + gatherWgsl, workgroupSize));
    this.workgroupSize = workgroupSize;
  }

  bindGroup(b: GatherBuffers, shape: GatherShape, label = 'BatchGather.bindGroup'): PassBinding {
    const { set } = b;
    checkCount('rows', shape.rows);
    if (!Number.isInteger(shape.seed) || shape.seed < 0 || shape.seed > 0xffffffff) {
      throw new Error(`seed must be a whole number from 0 to 2^32-1, got ${shape.seed}`);
    }
    if (set.count * set.pixels > 0xffffffff) throw new Error(`the image set is too large for u32 byte indices: ${set.count} x ${set.pixels}`);
    requireBytes(this.name, 'images', set.images, Math.ceil((set.count * set.pixels) / 4) * 4);
    requireBytes(this.name, 'image labels', set.labels, 4 * set.count);
    requireBytes(this.name, 'X0', b.X0, 4 * shape.rows * set.pixels);
    requireBytes(this.name, 'labels', b.labels, 4 * shape.rows);
    const words = Uint32Array.from([shape.rows, set.pixels, set.count, shape.seed, shape.sequential ? 1 : 0, 0, 0, 0]);
    const uniform = uniformBuffer(this.device, `${label}.shape`, words);
    const groups = [Math.ceil(set.pixels / this.workgroupSize), shape.rows, 1];
    return this.bindBuffers([set.images, set.labels, b.X0, b.labels, uniform], [ringSlot(b.ring)], groups, label, [uniform]);
  }
}
