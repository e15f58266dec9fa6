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
  private watchedDevices = new WeakSet<GPUDevice>();

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

  /** A lost device (driver reset, sleep) is replaced by sharedGpuDevice on the next race. */
  protected override deviceUsed(device: GPUDevice): void {
    if (this.watchedDevices.has(device)) return;
    this.watchedDevices.add(device);
    // Weakly: the shared device outlives a removed element, and its lost promise would keep it.
    const controller = new WeakRef(this);
    void device.lost.then((info) => controller.deref()?.deviceLost(info));
  }

  private deviceLost(info: GPUDeviceLostInfo): void {
    if (info.reason === 'destroyed') return;
    this.gpuProblem = `The WebGPU device was lost (${info.message || info.reason}). Racing again on a new device.`;
    this.schedule(0);
  }
}
