/**
 * A computation a component reruns when its inputs change: debounced, one run at a time (changes
 * made meanwhile coalesce into one more run), on the WGSL kernels through a GPUDevice, or on the
 * float64 reference when WebGPU is missing or fails, with the reason kept for the component to show.
 * Subclasses say how to run on each backend; they hold no GPU buffers beyond one run.
 */
import type { BackendKind } from '../gpu/backend-kind';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { WebGPUUnavailableError, withValidation } from '../gpu/device';
import { DeviceLostError } from '../gpu/device-lost';
import { DeviceLossWatcher } from './device-loss';
import { errorMessage } from '../util/error-message';

export interface GpuTaskSource<Config> {
  /** What to compute now, or null while the inputs are invalid (the host shows why). */
  config(): Config | null;
  /** 'cpu' forces the reference; 'auto' tries WebGPU first. */
  backendPreference(): 'auto' | 'cpu';
  device(): Promise<GPUDevice>;
}

export abstract class GpuTaskController<Config, Result> implements ReactiveController {
  /** Why the last run did not use WebGPU (shown inline), or null. */
  gpuProblem: string | null = null;
  running = false;
  /** The device a run used was lost: the host shows renderDeviceLost(loss.lost, ...) with restartOnNewDevice. */
  readonly loss: DeviceLossWatcher;

  private timer: ReturnType<typeof setTimeout> | undefined;
  private again = false;
  /** WebGPU is missing here: do not ask again on every change. */
  protected unavailable: string | null = null;

  constructor(
    protected readonly host: ReactiveControllerHost,
    private readonly taskSource: GpuTaskSource<Config>,
    private readonly debounceMs: number,
  ) {
    host.addController(this);
    // The loss notice says it: no "WebGPU failed" under it for the run the loss broke.
    this.loss = new DeviceLossWatcher(host, { onLost: () => (this.gpuProblem = null) });
  }

  hostDisconnected(): void {
    clearTimeout(this.timer);
  }

  /** A new device source (tests, or a replaced device) may have WebGPU again. */
  forgetUnavailable(): void {
    this.unavailable = null;
  }

  /** The notice's button: runs again now, on a new device (the page's shared device is replaced after a loss). */
  restartOnNewDevice(): void {
    this.loss.clear();
    this.forgetUnavailable();
    this.schedule(0);
  }

  schedule(delayMs = this.debounceMs): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(), delayMs);
  }

  protected abstract runGpu(device: GPUDevice, config: Config): Promise<Result>;
  protected abstract runCpu(config: Config): Result | Promise<Result>;
  /** Called with each result, after the component's state is updated. */
  protected abstract done(result: Result, backend: BackendKind): void;
  /** What to show when the user chose the CPU: by default, that WebGPU is missing, if it is. */
  protected problemWhenCpuChosen(): string | null {
    return this.unavailable;
  }
  private async run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    const config = this.taskSource.config();
    if (!config) return;
    this.running = true;
    this.host.requestUpdate();
    try {
      const { result, backend } = await this.compute(config);
      this.done(result, backend);
    } finally {
      this.running = false;
      this.host.requestUpdate();
      if (this.again) {
        this.again = false;
        this.schedule(0);
      }
    }
  }

  private async compute(config: Config): Promise<{ result: Result; backend: BackendKind }> {
    if (this.taskSource.backendPreference() === 'auto' && !this.unavailable) {
      try {
        const device = await this.taskSource.device();
        this.loss.watch(device);
        const result = await withValidation(device, () => this.runGpu(device, config));
        this.gpuProblem = null;
        // A run on a live device after a loss: the element works again, the notice goes.
        if (!this.loss.isGone(device)) this.loss.clear();
        return { result, backend: 'webgpu' };
      } catch (error) {
        const message = errorMessage(error);
        if (error instanceof WebGPUUnavailableError) this.unavailable = message;
        const lost = this.loss.lost !== null || error instanceof DeviceLostError;
        this.gpuProblem = lost ? null : error instanceof WebGPUUnavailableError ? message : `WebGPU failed: ${message}`;
      }
    } else {
      this.gpuProblem = this.taskSource.backendPreference() === 'cpu' ? this.problemWhenCpuChosen() : this.unavailable;
    }
    // Let the "computing" status paint before the reference blocks the main thread.
    await new Promise((resolve) => setTimeout(resolve, 0));
    return { result: await this.runCpu(config), backend: 'cpu' };
  }
}
