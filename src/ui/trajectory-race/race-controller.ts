/**
 * Runs the 2D race for a component: debounced, one run at a time (later changes coalesce into one
 * more run), on the WGSL kernels through the page's shared GPUDevice, or on the float64 reference
 * when WebGPU is missing or fails. Holds no GPU buffers: the engine creates and frees them per race.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { sharedGpuDevice, WebGPUUnavailableError, withValidation } from '../../gpu/device';
import { perDevice } from '../../gpu/per-device';
import {
  runTrajectoryRaceCpu, runTrajectoryRaceGpu, TrajectoryKernels,
  type TrajectoryConfig, type TrajectoryResult,
} from '../../race2d/trajectory';
import type { RaceBackend, RaceFinishedDetail } from './events';

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

export class TrajectoryRaceController implements ReactiveController {
  results: TrajectoryResult[] = [];
  backend: RaceBackend | null = null;
  /** Why the last race did not run on WebGPU (shown inline), or null. */
  gpuProblem: string | null = null;
  running = false;

  private timer: ReturnType<typeof setTimeout> | undefined;
  private again = false;
  /** WebGPU is missing from this browser: do not ask again on every change. */
  private unavailable: string | null = null;
  private watchedDevices = new WeakSet<GPUDevice>();

  constructor(private readonly host: ReactiveControllerHost, private readonly source: RaceSource) {
    host.addController(this);
  }

  hostDisconnected(): void {
    clearTimeout(this.timer);
  }

  schedule(delayMs = kDebounceMs): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(), delayMs);
  }

  private async run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    const config = this.source.config();
    if (!config) return;
    this.running = true;
    this.host.requestUpdate();
    try {
      const { results, backend } = await this.race(config);
      this.results = results;
      this.backend = backend;
      this.source.finished({ results, backend });
    } finally {
      this.running = false;
      this.host.requestUpdate();
      if (this.again) {
        this.again = false;
        this.schedule(0);
      }
    }
  }

  private async race(config: TrajectoryConfig): Promise<{ results: TrajectoryResult[]; backend: RaceBackend }> {
    if (this.source.backendPreference() === 'auto' && !this.unavailable) {
      try {
        const device = await sharedGpuDevice();
        this.watch(device);
        const results = await withValidation(device, () => runTrajectoryRaceGpu(kernelsFor(device), config));
        this.gpuProblem = null;
        return { results, backend: 'webgpu' };
      } catch (error) {
        if (error instanceof WebGPUUnavailableError) this.unavailable = error.message;
        this.gpuProblem = error instanceof WebGPUUnavailableError
          ? error.message
          : `WebGPU failed: ${error instanceof Error ? error.message : String(error)}`;
      }
    } else {
      this.gpuProblem = this.unavailable;
    }
    return { results: runTrajectoryRaceCpu(config), backend: 'cpu' };
  }

  /** A lost device (driver reset, sleep) is replaced by sharedGpuDevice on the next race. */
  private watch(device: GPUDevice): void {
    if (this.watchedDevices.has(device)) return;
    this.watchedDevices.add(device);
    void device.lost.then((info) => {
      if (info.reason === 'destroyed') return;
      this.gpuProblem = `The WebGPU device was lost (${info.message || info.reason}). Racing again on a new device.`;
      this.schedule(0);
    });
  }
}
