/**
 * Runs the init experiment for a component (see GpuTaskController: debounced, one run at a time,
 * WebGPU or the float64 reference). Holds no GPU buffers: each run creates and frees its own.
 */
import type { ReactiveControllerHost } from 'lit';
import { perDevice } from '../../gpu/per-device';
import type { ResolvedInitConfig } from '../../init/config';
import { InitHistogramPipelines, runInitExperimentCpu, runInitExperimentGpu, type InitExperimentResult } from '../../init/experiment';
import { GpuTaskController, type GpuTaskSource } from '../gpu-task-controller';

export const kDebounceMs = 150;

/** Pipelines compile once per device, shared by every element on the page. */
const pipelinesFor = perDevice((device) => new InitHistogramPipelines(device));

export interface ExperimentSource extends GpuTaskSource<ResolvedInitConfig> {
  computed(result: InitExperimentResult): void;
}

export class ExperimentController extends GpuTaskController<ResolvedInitConfig, InitExperimentResult> {
  result: InitExperimentResult | null = null;

  constructor(
    host: ReactiveControllerHost,
    private readonly source: ExperimentSource,
  ) {
    super(host, source, kDebounceMs);
  }

  protected runGpu(device: GPUDevice, config: ResolvedInitConfig): Promise<InitExperimentResult> {
    return runInitExperimentGpu(pipelinesFor(device), config);
  }

  protected runCpu(config: ResolvedInitConfig): InitExperimentResult {
    return runInitExperimentCpu(config);
  }

  protected done(result: InitExperimentResult): void {
    this.result = result;
    this.source.computed(result);
  }

  /** The user chose the CPU: nothing to explain. */
  protected override problemWhenCpuChosen(): string | null {
    return null;
  }
}
