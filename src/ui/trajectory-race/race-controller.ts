/**
 * Runs the 2D race for a component (see GpuTaskController: debounced, one run at a time, WebGPU
 * through the page's shared device or the float64 reference). Holds no GPU buffers: the engine
 * creates and frees them per race.
 */
import type { BackendKind } from '../../gpu/backend-kind';
import type { ReactiveControllerHost } from 'lit';
import { sharedGpuDevice } from '../../gpu/device';
import { perDevice } from '../../gpu/per-device';
import { runTrajectoryRaceCpu, runTrajectoryRaceGpu, TrajectoryPipelines, type TrajectoryConfig, type TrajectoryResult } from '../../race2d/trajectory';
import { GpuTaskController } from '../gpu-task-controller';
import type { RaceFinishedDetail } from './events';

export const kDebounceMs = 100;

/** Pipelines compile once per device, shared by every race element on the page. */
const pipelinesFor = perDevice((device) => new TrajectoryPipelines(device));

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
  private frame = 0;

  constructor(
    host: ReactiveControllerHost,
    private readonly source: RaceSource,
  ) {
    super(host, { config: () => source.config(), backendPreference: () => source.backendPreference(), device: () => sharedGpuDevice() }, kDebounceMs);
  }

  protected runGpu(device: GPUDevice, config: TrajectoryConfig): Promise<TrajectoryResult[]> {
    // The trace (each racer's gradient and optimizer state per update) feeds the state drawing.
    return runTrajectoryRaceGpu(pipelinesFor(device), config, { trace: true });
  }

  protected runCpu(config: TrajectoryConfig): TrajectoryResult[] {
    return runTrajectoryRaceCpu(config, { trace: true });
  }

  /**
   * Reruns at the next animation frame (a dragged slider): inputs within one frame coalesce, and
   * changes made while a race runs coalesce into one more race with the latest inputs.
   */
  scheduleFrame(): void {
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => this.schedule(0));
  }

  override hostDisconnected(): void {
    super.hostDisconnected();
    cancelAnimationFrame(this.frame);
  }

  protected done(results: TrajectoryResult[], backend: BackendKind): void {
    this.results = results;
    this.backend = backend;
    this.source.finished({ results, backend });
  }
}
