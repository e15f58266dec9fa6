/**
 * A computation a component reruns when its inputs change: debounced, one run at a time (changes
 * made meanwhile coalesce into one more run), on the WGSL kernels through a GPUDevice, or on the
 * float64 reference when WebGPU is missing or fails, with the reason kept for the component to show.
 * Subclasses say how to run on each backend; they hold no GPU buffers beyond one run.
 */
import type { BackendKind } from '../gpu/backend-kind';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { WebGPUUnavailableError, withValidation } from '../gpu/device';

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
  }

  hostDisconnected(): void {
    clearTimeout(this.timer);
  }

  /** A new device source (tests, or a replaced device) may have WebGPU again. */
  forgetUnavailable(): void {
    this.unavailable = null;
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
  /** Called with every device a run used (e.g. to watch for its loss). */
  protected deviceUsed(_device: GPUDevice): void {}

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
        this.deviceUsed(device);
        const result = await withValidation(device, () => this.runGpu(device, config));
        this.gpuProblem = null;
        return { result, backend: 'webgpu' };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (error instanceof WebGPUUnavailableError) this.unavailable = message;
        this.gpuProblem = error instanceof WebGPUUnavailableError ? message : `WebGPU failed: ${message}`;
      }
    } else {
      this.gpuProblem = this.taskSource.backendPreference() === 'cpu' ? this.problemWhenCpuChosen() : this.unavailable;
    }
    // Let the "computing" status paint before the reference blocks the main thread.
    await new Promise((resolve) => setTimeout(resolve, 0));
    return { result: await this.runCpu(config), backend: 'cpu' };
  }
}
