/**
 * The GPU side of the optimizers: one pipeline per optimizer, all sharing one bind group layout
 * (params, grads, stateA, stateB, step uniform with a dynamic offset), so one bind group serves
 * every racer and every optimizer, and many steps can be encoded before a single submit.
 */
import { optimizerSpec, type OptimizerId, type OptimizerSpec, type ResolvedHyperparameters } from './registry';
import { kStepBytes, StepUniformRing } from './step-uniform';

export { StepUniformRing };

export interface OptimizerBuffers {
  params: GPUBuffer;
  grads: GPUBuffer;
  stateA: GPUBuffer;
  stateB: GPUBuffer;
}

const kMaxGroupsPerDim = 65535;

export class OptimizerKernels {
  readonly layout: GPUBindGroupLayout;
  private readonly pipelines = new Map<OptimizerId, GPUComputePipeline>();
  private readonly pipelineLayout: GPUPipelineLayout;

  constructor(
    readonly device: GPUDevice,
    readonly workgroupSize = 64,
  ) {
    const storage = (type: GPUBufferBindingType): GPUBindGroupLayoutEntry['buffer'] => ({ type });
    this.layout = device.createBindGroupLayout({
      label: 'Optimizer.bindGroupLayout',
      entries: [
        { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: storage('storage') },
        { binding: 1, visibility: GPUShaderStage.COMPUTE, buffer: storage('read-only-storage') },
        { binding: 2, visibility: GPUShaderStage.COMPUTE, buffer: storage('storage') },
        { binding: 3, visibility: GPUShaderStage.COMPUTE, buffer: storage('storage') },
        { binding: 4, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform', hasDynamicOffset: true, minBindingSize: kStepBytes } },
      ],
    });
    this.pipelineLayout = device.createPipelineLayout({ label: 'Optimizer.pipelineLayout', bindGroupLayouts: [this.layout] });
  }

  pipeline(id: OptimizerId): GPUComputePipeline {
    let pipeline = this.pipelines.get(id);
    if (!pipeline) {
      const spec = optimizerSpec(id);
      const module = this.device.createShaderModule({ label: `Optimizer.${id}.module`, code: spec.wgsl });
      pipeline = this.device.createComputePipeline({
        label: `Optimizer.${id}.pipeline`,
        layout: this.pipelineLayout,
        compute: { module, entryPoint: 'main', constants: { kWorkgroupSize: this.workgroupSize } },
      });
      this.pipelines.set(id, pipeline);
    }
    return pipeline;
  }

  bindGroup(buffers: OptimizerBuffers, steps: StepUniformRing, label = 'Optimizer.bindGroup'): GPUBindGroup {
    return this.device.createBindGroup({
      label,
      layout: this.layout,
      entries: [
        { binding: 0, resource: { buffer: buffers.params } },
        { binding: 1, resource: { buffer: buffers.grads } },
        { binding: 2, resource: { buffer: buffers.stateA } },
        { binding: 3, resource: { buffer: buffers.stateB } },
        { binding: 4, resource: { buffer: steps.buffer, size: kStepBytes } },
      ],
    });
  }

  /** Records one optimizer step over `count` parameters; the uniform slot says which and how. */
  encode(pass: GPUComputePassEncoder, id: OptimizerId, bindGroup: GPUBindGroup, steps: StepUniformRing, slot: number, count: number): void {
    const groups = Math.ceil(count / this.workgroupSize);
    const x = Math.min(groups, kMaxGroupsPerDim);
    const y = Math.ceil(groups / x);
    if (y > kMaxGroupsPerDim) throw new Error(`Too many parameters for one dispatch: ${count}`);
    pass.setPipeline(this.pipeline(id));
    pass.setBindGroup(0, bindGroup, [steps.offset(slot)]);
    pass.dispatchWorkgroups(x, y);
  }
}

/** Fills a ring slot with one step of `spec` at 1-based step t over parameters [offset, offset + count). */
export function setOptimizerStep(
  ring: StepUniformRing,
  slot: number,
  spec: OptimizerSpec,
  h: ResolvedHyperparameters,
  t: number,
  offset: number,
  count: number,
): void {
  ring.set(slot, { offset, count, fields: spec.stepFields, scalars: spec.step(h, t) });
}
