/**
 * What the chapter-6 passes (batch norm, dropout, L2) share: they serve only the racers that use
 * them, listed in a RacerList (u32 racer indices), one dispatch whatever their number, with
 * workgroup y = a racer's place in the list (as the optimizer dispatch serves only its racers).
 * Racers left out of the list cost nothing.
 */
import { PassBinding, requireGroups } from './gpu-common';
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

/** One WGSL kernel (entry point main, override kWorkgroupSize) with an explicit bind group layout. */
export abstract class ListedRacerPass {
  readonly bindGroupLayout: GPUBindGroupLayout;
  readonly pipeline: GPUComputePipeline;

  protected constructor(
    readonly device: GPUDevice,
    readonly name: string,
    code: string,
    entries: GPUBindGroupLayoutEntry[],
    readonly workgroupSize = 64,
  ) {
    if (!Number.isInteger(workgroupSize) || workgroupSize < 1 || workgroupSize > device.limits.maxComputeWorkgroupSizeX) {
      throw new Error(`${name}: workgroup size must be a whole number from 1 to ${device.limits.maxComputeWorkgroupSizeX}, got ${workgroupSize}`);
    }
    this.bindGroupLayout = device.createBindGroupLayout({ label: `${name}.bindGroupLayout`, entries });
    this.pipeline = device.createComputePipeline({
      label: `${name}.pipeline`,
      layout: device.createPipelineLayout({ label: `${name}.pipelineLayout`, bindGroupLayouts: [this.bindGroupLayout] }),
      compute: {
        module: device.createShaderModule({ label: `${name}.module`, code }),
        entryPoint: 'main',
        constants: { kWorkgroupSize: workgroupSize },
      },
    });
  }

  /** A bind group of the buffers (bindings 0, 1, ... in order), a uniform made from `words`, then `extra`; the uniform and `owned` go with the binding. */
  protected bind(
    buffers: GPUBuffer[],
    words: Uint32Array<ArrayBuffer> | undefined,
    groups: readonly number[],
    label: string,
    extra: GPUBindGroupEntry[] = [],
    owned: GPUBuffer[] = [],
  ): PassBinding {
    const entries: GPUBindGroupEntry[] = buffers.map((buffer, binding) => ({ binding, resource: { buffer } }));
    if (words) {
      const uniform = this.device.createBuffer({ label: `${label}.uniform`, size: words.byteLength, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
      this.device.queue.writeBuffer(uniform, 0, words);
      entries.push({ binding: buffers.length, resource: { buffer: uniform } });
      owned.push(uniform);
    }
    for (const e of extra) entries.push({ ...e, binding: entries.length });
    const bindGroup = this.device.createBindGroup({ label, layout: this.bindGroupLayout, entries });
    return new PassBinding(bindGroup, requireGroups(this.name, this.device, groups), owned);
  }

  /** Workgroups covering `threads` threads per listed racer. */
  protected grid(threads: number, list: RacerList): number[] {
    checkCount(`${this.name} threads per racer`, threads);
    return [Math.ceil(threads / this.workgroupSize), list.count, 1];
  }

  /** Records the dispatch; `dynamicOffsets` for passes bound to an IterationRing slot. */
  encode(pass: GPUComputePassEncoder, binding: PassBinding, dynamicOffsets: number[] = []): void {
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, binding.bindGroup, dynamicOffsets);
    pass.dispatchWorkgroups(...binding.groups);
  }
}
