/**
 * What the chapter-6 passes (batch norm, dropout, L2) share: they serve only the racers that use
 * them, listed in a RacerList (u32 racer indices), one dispatch whatever their number, with
 * workgroup y = a racer's place in the list (as the optimizer dispatch serves only its racers).
 * Racers left out of the list cost nothing.
 */
import { ComputePass, workgroupKernel } from './compute-pass';
import { type BindingKind, type PassBinding, uniformBuffer } from './gpu-common';
import { checkCount } from './shape';

/** The racers one kind of pass serves, in a storage buffer of u32 racer indices. */
export class RacerList {
  readonly buffer: GPUBuffer;
  readonly racers: readonly number[];

  constructor(device: GPUDevice, racers: readonly number[], label = 'RacerList') {
    if (racers.length === 0) throw new Error(`${label}: a racer list needs at least one racer (leave the pass out instead)`);
    if (!racers.every((r) => Number.isInteger(r) && r >= 0 && r <= 0xffffffff))
      throw new Error(`${label}: racer indices must be whole numbers, got ${racers.join(', ')}`);
    this.racers = [...racers];
    this.buffer = device.createBuffer({ label, size: 4 * racers.length, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
    device.queue.writeBuffer(this.buffer, 0, Uint32Array.from(racers));
  }

  get count(): number {
    return this.racers.length;
  }

  /** The highest racer index + 1: how many racers the per-racer buffers must hold. */
  get span(): number {
    return Math.max(...this.racers) + 1;
  }

  destroy(): void {
    this.buffer.destroy();
  }
}

/** One WGSL kernel (entry point main, override kWorkgroupSize) serving the racers of a RacerList. */
export abstract class ListedRacerPass extends ComputePass {
  protected constructor(
    device: GPUDevice,
    name: string,
    code: string,
    bindings: readonly BindingKind[],
    readonly workgroupSize = 64,
  ) {
    super(device, name, bindings, workgroupKernel(device, name, code, workgroupSize));
  }

  /** A bind group of the buffers (bindings 0, 1, ... in order), a uniform made from `words`, then `extra`; the uniform and `owned` go with the binding. */
  protected bind(
    buffers: GPUBuffer[],
    words: Uint32Array<ArrayBuffer> | undefined,
    groups: readonly number[],
    label: string,
    extra: GPUBufferBinding[] = [],
    owned: GPUBuffer[] = [],
  ): PassBinding {
    if (!words) return this.bindBuffers(buffers, extra, groups, label, owned);
    const uniform = uniformBuffer(this.device, `${label}.uniform`, words);
    return this.bindBuffers([...buffers, uniform], extra, groups, label, [...owned, uniform]);
  }

  /** Workgroups covering `threads` threads per listed racer. */
  protected grid(threads: number, list: RacerList): number[] {
    checkCount(`${this.name} threads per racer`, threads);
    return [Math.ceil(threads / this.workgroupSize), list.count, 1];
  }
}
