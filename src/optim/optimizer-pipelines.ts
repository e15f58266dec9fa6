/**
 * The GPU side of the optimizers: one pipeline per optimizer, all sharing one bind group layout
 * (params, grads, stateA, stateB, the step records, the racer list, and the per-dispatch uniform
 * with a dynamic offset), so one bind group serves every racer and every optimizer, each step is
 * ONE dispatch per optimizer present whatever the number of racers, and many steps can be encoded
 * before a single submit.
 */
import { optimizerSpec, type OptimizerId } from './registry';
import { kDispatchBytes, OptimizerSteps } from './optimizer-steps';

export { OptimizerSteps };

export interface OptimizerBuffers {
  params: GPUBuffer;
  grads: GPUBuffer;
  stateA: GPUBuffer;
  stateB: GPUBuffer;
}

const kMaxGroupsPerDim = 65535;

export class OptimizerPipelines {
  readonly layout: GPUBindGroupLayout;
  private readonly pipelines = new Map<OptimizerId, GPUComputePipeline>();
  private readonly pipelineLayout: GPUPipelineLayout;

  constructor(
    readonly device: GPUDevice,
    readonly workgroupSize = 64,
  ) {
    const buffer = (type: GPUBufferBindingType): GPUBindGroupLayoutEntry['buffer'] => ({ type });
    const entry = (binding: number, layout: GPUBindGroupLayoutEntry['buffer']): GPUBindGroupLayoutEntry => ({
      binding,
      visibility: GPUShaderStage.COMPUTE,
      buffer: layout,
    });
    this.layout = device.createBindGroupLayout({
      label: 'Optimizer.bindGroupLayout',
      entries: [
        entry(0, buffer('storage')),
        entry(1, buffer('read-only-storage')),
        entry(2, buffer('storage')),
        entry(3, buffer('storage')),
        entry(4, buffer('read-only-storage')),
        entry(5, buffer('read-only-storage')),
        entry(6, { type: 'uniform', hasDynamicOffset: true, minBindingSize: kDispatchBytes }),
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

  bindGroup(buffers: OptimizerBuffers, steps: OptimizerSteps, label = 'Optimizer.bindGroup'): GPUBindGroup {
    return this.device.createBindGroup({
      label,
      layout: this.layout,
      entries: [
        { binding: 0, resource: { buffer: buffers.params } },
        { binding: 1, resource: { buffer: buffers.grads } },
        { binding: 2, resource: { buffer: buffers.stateA } },
        { binding: 3, resource: { buffer: buffers.stateB } },
        { binding: 4, resource: { buffer: steps.records.buffer } },
        { binding: 5, resource: { buffer: steps.racerList } },
        { binding: 6, resource: { buffer: steps.dispatches.buffer, size: kDispatchBytes } },
      ],
    });
  }

  /**
   * Records one optimizer step of every active racer at `slot`: one dispatch per optimizer with
   * active racers (x: parameters, up to `count` per racer, z when x would pass 65535; y: racers).
   * Returns the number of dispatches.
   */
  encode(pass: GPUComputePassEncoder, bindGroup: GPUBindGroup, steps: OptimizerSteps, slot: number, count: number): number {
    const groups = Math.ceil(count / this.workgroupSize);
    const x = Math.min(groups, kMaxGroupsPerDim);
    const z = Math.ceil(groups / x);
    if (z > kMaxGroupsPerDim) throw new Error(`Too many parameters for one dispatch: ${count}`);
    let dispatches = 0;
    steps.groups.forEach((group, j) => {
      const racers = steps.activeCount(j);
      if (racers === 0) return;
      pass.setPipeline(this.pipeline(group.id));
      pass.setBindGroup(0, bindGroup, [steps.dispatchOffset(slot, j)]);
      pass.dispatchWorkgroups(x, racers, z);
      dispatches += 1;
    });
    return dispatches;
  }
}
