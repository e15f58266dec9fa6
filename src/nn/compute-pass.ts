/**
 * What every GPU pass of the network is: one WGSL entry point with an explicit bind group layout,
 * bind groups of buffers numbered in order, and the one dispatch it records. The kinds of pass
 * (MatmulPass, ListedRacerPass, the loss and gather passes) differ only in their kernels' tuning,
 * uniforms and grids.
 */
import { type BindingKind, layoutEntries, PassBinding, requireGroups } from './gpu-common';

/** The compute stage of a pass's pipeline (its WGSL, entry point and override constants). */
export interface Kernel {
  code: string;
  entryPoint: string;
  constants: Record<string, number>;
}

/** A kernel whose entry point is main, tuned by its kWorkgroupSize override (checked against the device). */
export function workgroupKernel(device: GPUDevice, name: string, code: string, workgroupSize: number): Kernel {
  if (!Number.isInteger(workgroupSize) || workgroupSize < 1 || workgroupSize > device.limits.maxComputeWorkgroupSizeX) {
    throw new Error(`${name}: workgroup size must be a whole number from 1 to ${device.limits.maxComputeWorkgroupSizeX}, got ${workgroupSize}`);
  }
  return { code, entryPoint: 'main', constants: { kWorkgroupSize: workgroupSize } };
}

export abstract class ComputePass {
  readonly bindGroupLayout: GPUBindGroupLayout;
  readonly pipeline: GPUComputePipeline;

  protected constructor(
    readonly device: GPUDevice,
    readonly name: string,
    bindings: readonly BindingKind[],
    kernel: Kernel,
  ) {
    this.bindGroupLayout = device.createBindGroupLayout({ label: `${name}.bindGroupLayout`, entries: layoutEntries(bindings) });
    this.pipeline = device.createComputePipeline({
      label: `${name}.pipeline`,
      layout: device.createPipelineLayout({ label: `${name}.pipelineLayout`, bindGroupLayouts: [this.bindGroupLayout] }),
      compute: {
        module: device.createShaderModule({ label: `${name}.module`, code: kernel.code }),
        entryPoint: kernel.entryPoint,
        constants: kernel.constants,
      },
    });
  }

  /** A bind group of `buffers` (bindings 0, 1, ...) then `extra` (numbered on), with its grid; `owned` goes with the binding. */
  protected bindBuffers(buffers: GPUBuffer[], extra: GPUBufferBinding[], groups: readonly number[], label: string, owned: GPUBuffer[] = []): PassBinding {
    const resources: GPUBufferBinding[] = [...buffers.map((buffer) => ({ buffer })), ...extra];
    const entries = resources.map((resource, binding) => ({ binding, resource }));
    const bindGroup = this.device.createBindGroup({ label, layout: this.bindGroupLayout, entries });
    return new PassBinding(bindGroup, requireGroups(this.name, this.device, groups), owned);
  }

  /** Records the dispatch; `dynamicOffsets` for passes bound to an IterationRing slot (`[ring.offset(slot)]`). */
  encode(pass: GPUComputePassEncoder, binding: PassBinding, dynamicOffsets: number[] = []): void {
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, binding.bindGroup, dynamicOffsets);
    pass.dispatchWorkgroups(...binding.groups);
  }
}
