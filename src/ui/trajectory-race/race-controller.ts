/**
 * Runs the 2D race for a component (see GpuTaskController: debounced, one run at a time, WebGPU
 * through the page's shared device or the float64 reference). Holds no GPU buffers: the engine
 * creates and frees them per race.
 */
import type { BackendKind } from '../../gpu/backend-kind';
import type { ReactiveControllerHost } from 'lit';
import { sharedGpuDevice } from '../../gpu/device';
import { perDevice } from '../../gpu/per-device';
import { runTrajectoryRaceCpu, runTrajectoryRaceGpu, TrajectoryKernels, type TrajectoryConfig, type TrajectoryResult } from '../../race2d/trajectory';
import { GpuTaskController } from '../gpu-task-controller';
import type { RaceFinishedDetail } from './events';

export const kDebounceMs = 100;

/** Pipelines compile once per device, shared by every race element on the page. */
const kernelsFor = perDevice((device) => new TrajectoryKernels(device));

export interface RaceSource {
  /** The race to run now, or null while the inputs are invalid (the host shows why). */
  config(): TrajectoryConfig | null;
  /** 'cpu' forces the reference; 'auto' tries WebGPU first. */
  backendPreference(): 'auto' | 'cpu';
  finished(detail: RaceFinishedDetail): void;
}

export class TrajectoryRaceController extends GpuTaskController<TrajectoryConfig, TrajectoryResult[]> {
  results: TrajectoryResult[] = [];
  backend: BackendKind | null = null;

  constructor(
    host: ReactiveControllerHost,
    private readonly source: RaceSource,
  ) {
    super(host, { config: () => source.config(), backendPreference: () => source.backendPreference(), device: () => sharedGpuDevice() }, kDebounceMs);
  }

  protected runGpu(device: GPUDevice, config: TrajectoryConfig): Promise<TrajectoryResult[]> {
    return runTrajectoryRaceGpu(kernelsFor(device), config);
  }

  protected runCpu(config: TrajectoryConfig): TrajectoryResult[] {
    return runTrajectoryRaceCpu(config);
  }

  protected done(results: TrajectoryResult[], backend: BackendKind): void {
    this.results = results;
    this.backend = backend;
    this.source.finished({ results, backend });
  }
}
