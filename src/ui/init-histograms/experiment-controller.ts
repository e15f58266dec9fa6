/**
 * Runs the init experiment for a component: debounced, one run at a time (changes made meanwhile
 * coalesce into one more run), on the WGSL kernels through the page's GPUDevice, or on the
 * float64 reference when WebGPU is missing or fails. Holds no GPU buffers: each run creates and
 * frees its own.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { WebGPUUnavailableError, withValidation } from '../../gpu/device';
import { perDevice } from '../../gpu/per-device';
import type { ResolvedInitConfig } from '../../init/config';
import { InitHistogramKernels, runInitExperimentCpu, runInitExperimentGpu, type InitExperimentResult } from '../../init/experiment';

export const kDebounceMs = 150;

/** Pipelines compile once per device, shared by every element on the page. */
const kernelsFor = perDevice((device) => new InitHistogramKernels(device));

export interface ExperimentSource {
  /** The experiment to run now, or null while the inputs are invalid (the host shows why). */
  config(): ResolvedInitConfig | null;
  /** 'cpu' forces the reference; 'auto' tries WebGPU first. */
  backendPreference(): 'auto' | 'cpu';
  device(): Promise<GPUDevice>;
  computed(result: InitExperimentResult): void;
}

export class ExperimentController implements ReactiveController {
  result: InitExperimentResult | null = null;
  /** Why the last run did not use WebGPU (shown inline), or null. */
  gpuProblem: string | null = null;
  running = false;

  private timer: ReturnType<typeof setTimeout> | undefined;
  private again = false;
  /** WebGPU is missing here: do not ask again on every change. */
  private unavailable: string | null = null;

  constructor(private readonly host: ReactiveControllerHost, private readonly source: ExperimentSource) {
    host.addController(this);
  }

  hostDisconnected(): void {
    clearTimeout(this.timer);
  }

  /** A new device source (tests, or a replaced device) may have WebGPU again. */
  forgetUnavailable(): void {
    this.unavailable = null;
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
      this.result = await this.compute(config);
      this.source.computed(this.result);
    } finally {
      this.running = false;
      this.host.requestUpdate();
      if (this.again) {
        this.again = false;
        this.schedule(0);
      }
    }
  }

  private async compute(config: ResolvedInitConfig): Promise<InitExperimentResult> {
    if (this.source.backendPreference() === 'auto' && !this.unavailable) {
      try {
        const device = await this.source.device();
        const result = await withValidation(device, () => runInitExperimentGpu(kernelsFor(device), config));
        this.gpuProblem = null;
        return result;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (error instanceof WebGPUUnavailableError) this.unavailable = message;
        this.gpuProblem = error instanceof WebGPUUnavailableError ? message : `WebGPU failed: ${message}`;
      }
    } else {
      this.gpuProblem = this.source.backendPreference() === 'cpu' ? null : this.unavailable;
    }
    // Let the "computing" status paint before the reference blocks the main thread.
    await new Promise((resolve) => setTimeout(resolve, 0));
    return runInitExperimentCpu(config);
  }
}
