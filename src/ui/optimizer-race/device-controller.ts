/**
 * The GPU side of an <optimizer-race>: asks early whether WebGPU works (the page's shared device),
 * notices a lost device, and holds the user's choice to race on the CPU reference instead (or to
 * try WebGPU again). Which backend a new race gets follows from these and `force-cpu`.
 */
import type { BackendKind } from '../../gpu/backend-kind';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { sharedGpuDevice, WebGPUUnavailableError } from '../../gpu/device';

export type GpuState = 'checking' | 'ready' | 'unavailable' | 'lost';
export type { BackendKind } from '../../gpu/backend-kind';

export interface DeviceOptions {
  /** The host's `force-cpu`. */
  forceCpu(): boolean;
  /** Whether a race holds the device (a device destroyed while none does is no news). */
  inUse(): boolean;
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export class DeviceController implements ReactiveController {
  gpu: GpuState = 'checking';
  /** Why WebGPU cannot be used (the WebGPUUnavailableError text, or the device-lost report). */
  gpuMessage: string | null = null;
  /** The user chose the CPU reference after WebGPU failed. */
  cpuAccepted = false;
  private watched = new WeakSet<GPUDevice>();
  private probing: Promise<void> | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: DeviceOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    void this.probe();
  }

  /** The backend a race started now runs on, or null while WebGPU fails and the CPU is not accepted. */
  get backend(): BackendKind | null {
    if (this.options.forceCpu() || this.cpuAccepted) return 'cpu';
    return this.gpu === 'ready' || this.gpu === 'checking' ? 'webgpu' : null;
  }

  /** WebGPU failed (or was lost) and the user has not chosen the CPU yet: the notice asks. */
  get blocked(): boolean {
    return !this.options.forceCpu() && !this.cpuAccepted && (this.gpu === 'unavailable' || this.gpu === 'lost');
  }

  /** Asks for the shared device once (again after a loss) to say early whether WebGPU works. */
  probe(): Promise<void> {
    this.probing ??= sharedGpuDevice()
      .then(
        (device) => {
          this.watch(device);
          this.gpu = 'ready';
          this.gpuMessage = null;
        },
        (error: unknown) => {
          this.gpu = 'unavailable';
          this.gpuMessage = error instanceof WebGPUUnavailableError ? error.message : `WebGPU could not start: ${message(error)}`;
        },
      )
      .finally(() => {
        this.probing = null;
        this.host.requestUpdate();
      });
    return this.probing;
  }

  /** The page's shared device, watched for loss. */
  async device(): Promise<GPUDevice> {
    const device = await sharedGpuDevice();
    this.watch(device);
    return device;
  }

  acceptCpu(): void {
    this.cpuAccepted = true;
    this.host.requestUpdate();
  }

  /** Back to WebGPU: asks for a new device (sharedGpuDevice replaces a lost one). */
  async retry(): Promise<void> {
    this.cpuAccepted = false;
    this.host.requestUpdate();
    await this.probe();
  }

  /** A lost device (driver reset, sleep): say so; sharedGpuDevice hands out a new one next time. */
  private watch(device: GPUDevice): void {
    if (this.watched.has(device)) return;
    this.watched.add(device);
    // Weakly: the shared device outlives a removed element, and its lost promise would keep it.
    const controller = new WeakRef(this);
    void device.lost.then((info) => controller.deref()?.lost(info));
  }

  private lost(info: GPUDeviceLostInfo): void {
    if (info.reason === 'destroyed' && !this.options.inUse()) return;
    this.gpu = 'lost';
    this.gpuMessage = `The GPU device was lost (${info.reason}${info.message ? `: ${info.message}` : ''}).`;
    this.host.requestUpdate();
  }
}
