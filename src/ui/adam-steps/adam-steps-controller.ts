/**
 * Computes <adam-steps>' table (see GpuTaskController: one run at a time, changes made meanwhile
 * coalesce into one more run; on the Adam WGSL kernel through a GPUDevice, or on the float64
 * reference when WebGPU is missing or fails). Holds no GPU buffers: each run frees its own.
 */
import type { ReactiveControllerHost } from 'lit';
import type { BackendKind } from '../../gpu/backend-kind';
import { computeAdamStepsCpu, computeAdamStepsGpu, type AdamStepsConfig, type AdamStepValues } from '../../race2d/adam-steps';
import { GpuTaskController, type GpuTaskSource } from '../gpu-task-controller';

/** One computed table and the settings it was computed for. */
export interface AdamStepsRun {
  values: AdamStepValues[];
  config: AdamStepsConfig;
}

export interface AdamStepsSource extends GpuTaskSource<AdamStepsConfig> {
  computed(run: AdamStepsRun, backend: BackendKind): void;
}

export class AdamStepsController extends GpuTaskController<AdamStepsConfig, AdamStepsRun> {
  constructor(
    host: ReactiveControllerHost,
    private readonly source: AdamStepsSource,
  ) {
    // No debounce: the table is small, and a change made during a run coalesces into the next.
    super(host, source, 0);
  }

  protected async runGpu(device: GPUDevice, config: AdamStepsConfig): Promise<AdamStepsRun> {
    return { values: await computeAdamStepsGpu(device, config), config };
  }

  protected runCpu(config: AdamStepsConfig): AdamStepsRun {
    return { values: computeAdamStepsCpu(config), config };
  }

  protected done(run: AdamStepsRun, backend: BackendKind): void {
    this.source.computed(run, backend);
  }
}
