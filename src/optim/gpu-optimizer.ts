/**
 * One optimizer applied to one flat parameter vector on the GPU, step by step. Used by the
 * kernel tests and by <adam-steps>, which reads the state after each step.
 */
import { createBuffer, readFloat32, storageUsage } from '../gpu/buffers';
import { OptimizerPipelines, OptimizerSteps } from './optimizer-pipelines';
import type { OptimizerSpec, ResolvedHyperparameters } from './registry';

export interface OptimizerSnapshot {
  params: Float32Array;
  /** The state vectors, named as in spec.state (m, v, h). */
  state: Float32Array[];
}

export class GpuOptimizerRun {
  private readonly pipelines: OptimizerPipelines;
  private readonly steps: OptimizerSteps;
  private readonly buffers: { params: GPUBuffer; grads: GPUBuffer; stateA: GPUBuffer; stateB: GPUBuffer };
  private readonly bindGroup: GPUBindGroup;
  private t = 0;

  constructor(
    private readonly device: GPUDevice,
    readonly spec: OptimizerSpec,
    readonly hyper: ResolvedHyperparameters,
    initial: Float32Array,
    pipelines?: OptimizerPipelines,
  ) {
    this.pipelines = pipelines ?? new OptimizerPipelines(device);
    const n = initial.length;
    const zeros = new Float32Array(n);
    this.buffers = {
      params: createBuffer(device, `${spec.id}.params`, storageUsage(), initial),
      grads: createBuffer(device, `${spec.id}.grads`, storageUsage(), zeros),
      stateA: createBuffer(device, `${spec.id}.stateA`, storageUsage(), zeros),
      stateB: createBuffer(device, `${spec.id}.stateB`, storageUsage(), zeros),
    };
    this.steps = new OptimizerSteps(device, [spec.id], 1, `${spec.id}.steps`);
    this.bindGroup = this.pipelines.bindGroup(this.buffers, this.steps, `${spec.id}.bindGroup`);
  }

  get length(): number {
    return this.buffers.params.size / 4;
  }

  get stepCount(): number {
    return this.t;
  }

  /** Uploads `grads` and records one update; nothing is read back. */
  step(gradients: ArrayLike<number>): void {
    this.t += 1;
    const grads = Float32Array.from(gradients);
    this.device.queue.writeBuffer(this.buffers.grads, 0, grads);
    this.steps.set(0, 0, this.spec, this.hyper, this.t, 0, grads.length);
    this.steps.flush();
    const encoder = this.device.createCommandEncoder({ label: `${this.spec.id}.step` });
    const pass = encoder.beginComputePass({ label: `${this.spec.id}.pass` });
    this.pipelines.encode(pass, this.bindGroup, this.steps, 0, grads.length);
    pass.end();
    this.device.queue.submit([encoder.finish()]);
  }

  async read(): Promise<OptimizerSnapshot> {
    const params = await readFloat32(this.device, this.buffers.params);
    const all = [await readFloat32(this.device, this.buffers.stateA), await readFloat32(this.device, this.buffers.stateB)];
    return { params, state: all.slice(0, this.spec.state.length) };
  }

  destroy(): void {
    for (const b of Object.values(this.buffers)) b.destroy();
    this.steps.destroy();
  }
}

/** The same, in float64 TypeScript: the reference the kernels are tested against. */
export class ReferenceOptimizerRun {
  readonly params: Float64Array;
  readonly state: Float64Array[];
  private t = 0;

  constructor(
    readonly spec: OptimizerSpec,
    readonly hyper: ResolvedHyperparameters,
    initial: ArrayLike<number>,
  ) {
    this.params = Float64Array.from(initial);
    this.state = spec.state.map(() => new Float64Array(initial.length));
  }

  step(grads: ArrayLike<number>): void {
    this.t += 1;
    this.spec.reference(this.params, grads, this.state, this.hyper, this.t);
  }
}
