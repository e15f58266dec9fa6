/**
 * The GPU side of the optimizers: one pipeline per optimizer, all sharing one bind group layout
 * (params, grads, stateA, stateB, step uniform with a dynamic offset), so one bind group serves
 * every racer and every optimizer, and many steps can be encoded before a single submit.
 */
import { kEps, kOptimizers, type OptimizerId, type OptimizerSpec, type ResolvedHyperparameters } from './registry';

export interface OptimizerBuffers {
  params: GPUBuffer;
  grads: GPUBuffer;
  stateA: GPUBuffer;
  stateB: GPUBuffer;
}

const kStepBytes = 32; // sizeof(OptimStep)
const kMaxGroupsPerDim = 65535;

export class OptimizerKernels {
  readonly layout: GPUBindGroupLayout;
  private readonly pipelines = new Map<OptimizerId, GPUComputePipeline>();
  private readonly pipelineLayout: GPUPipelineLayout;

  constructor(readonly device: GPUDevice, readonly workgroupSize = 64) {
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
      const spec = kOptimizers[id];
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

/** A uniform buffer of OptimStep slots, each at an aligned offset for use as a dynamic offset. */
export class StepUniformRing {
  readonly buffer: GPUBuffer;
  readonly stride: number;
  private readonly staging: ArrayBuffer;

  constructor(private readonly device: GPUDevice, readonly slots: number, label = 'Optimizer.steps') {
    this.stride = Math.max(kStepBytes, device.limits.minUniformBufferOffsetAlignment);
    this.buffer = device.createBuffer({ label, size: this.stride * slots, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    this.staging = new ArrayBuffer(this.stride * slots);
  }

  offset(slot: number): number {
    return slot * this.stride;
  }

  /** Fills slot `slot` (in CPU memory; call flush() before submitting). */
  set(slot: number, spec: OptimizerSpec, h: ResolvedHyperparameters, t: number, offset: number, count: number): void {
    const f = new Float32Array(this.staging, this.offset(slot), 8);
    const u = new Uint32Array(this.staging, this.offset(slot), 8);
    const [lr, h1, h2, correction] = spec.uniform(h, t);
    f[0] = lr; f[1] = h1; f[2] = h2; f[3] = kEps; f[4] = t; f[5] = correction;
    u[6] = offset; u[7] = count;
  }

  /** Uploads slots [first, first + n). */
  flush(first = 0, n = this.slots): void {
    this.device.queue.writeBuffer(this.buffer, this.offset(first), this.staging, this.offset(first), n * this.stride);
  }

  destroy(): void {
    this.buffer.destroy();
  }
}
