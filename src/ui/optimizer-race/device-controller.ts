/**
 * The GPU side of an <optimizer-race>: asks early whether WebGPU works (the page's shared device),
 * notices a lost device, and holds the user's choice to race on the CPU reference instead (or to
 * try WebGPU again). Which backend a new race gets follows from these and `force-cpu`.
 */
import type { BackendKind } from '../../gpu/backend-kind';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { sharedGpuDevice, WebGPUUnavailableError } from '../../gpu/device';
import type { DeviceLostError } from '../../gpu/device-lost';
import { DeviceLossWatcher } from '../device-loss';

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
  private probing: Promise<void> | null = null;
  /** A destroy() while no race holds the device is no news: the next race asks for a new one. */
  private readonly loss: DeviceLossWatcher;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: DeviceOptions,
  ) {
    host.addController(this);
    this.loss = new DeviceLossWatcher(host, {
      ignore: (info) => info.reason === 'destroyed' && !options.inUse(),
      onLost: (error) => {
        this.gpu = 'lost';
        this.gpuMessage = error.message;
      },
    });
  }

  /** The loss the notice reports while `gpu` is 'lost'. */
  get lost(): DeviceLostError | null {
    return this.gpu === 'lost' ? this.loss.lost : null;
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
          this.loss.watch(device);
          this.loss.clear();
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
    this.loss.watch(device);
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
}
