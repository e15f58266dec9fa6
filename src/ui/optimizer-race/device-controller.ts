/**
 * Where an <optimizer-race> computes: asks early whether WebGPU works (the page's shared device)
 * and, where the choice may be WebAssembly, whether wasm SIMD runs here; notices a lost device; and
 * holds the user's choice to race on the CPU reference after WebGPU failed (or to try WebGPU
 * again). The choice itself, and its reason, is chooseBackend's (src/race/backend-choice.ts).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { BackendKind } from '../../gpu/backend-kind';
import { sharedGpuDevice, WebGPUUnavailableError } from '../../gpu/device';
import type { DeviceLostError } from '../../gpu/device-lost';
import type { RaceDeviceLimits } from '../../race/device-fit';
import type { AdapterSummary } from '../../gpu/adapter-kind';
import { chooseBackend, type BackendChoice, type BackendPreference, type WasmProbe, type WebGpuProbe } from '../../race/backend-choice';
import { DeviceLossWatcher } from '../device-loss';
import { wasmSimdSupport } from './wasm-support';
import { errorMessage } from '../../util/error-message';

export type GpuState = 'checking' | 'ready' | 'unavailable' | 'lost';
export type { BackendKind } from '../../gpu/backend-kind';

export interface DeviceOptions {
  /** The host's `backend` (with `force-cpu` read as `cpu`). */
  preference(): BackendPreference;
  /** The attribute that asked for it, for the reason ("force-cpu", `backend="wasm"`). */
  askedBy(): string;
  /** Whether a race holds the device (a device destroyed while none does is no news). */
  inUse(): boolean;
}

export class DeviceController implements ReactiveController {
  webgpu: WebGpuProbe = { state: 'checking' };
  wasm: WasmProbe = { state: 'checking' };
  /** The user chose the CPU reference after WebGPU failed. */
  cpuAccepted = false;
  /** The user chose WebAssembly SIMD after WebGPU failed. */
  wasmAccepted = false;
  private probing: Promise<void> | null = null;
  private wasmProbing: Promise<void> | null = null;
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
        this.webgpu = { state: 'lost', adapter: this.webgpu.state === 'ready' ? this.webgpu.adapter : null, message: error.message };
      },
    });
  }

  get gpu(): GpuState {
    return this.webgpu.state;
  }

  /** Why WebGPU cannot be used (the WebGPUUnavailableError text, or the device-lost report). */
  get gpuMessage(): string | null {
    return this.webgpu.state === 'unavailable' || this.webgpu.state === 'lost' ? this.webgpu.message : null;
  }

  /** The shared device's limits once it is ready: what a sweep is checked against before it is applied. */
  gpuLimits: RaceDeviceLimits | null = null;

  /** The loss the notice reports while `gpu` is 'lost'. */
  get lost(): DeviceLostError | null {
    return this.webgpu.state === 'lost' ? this.loss.lost : null;
  }

  hostConnected(): void {
    void this.probe();
  }

  /** The engine a race started now runs on and why, or `kind: null` while waiting or blocked. */
  get choice(): BackendChoice {
    return chooseBackend({
      preference: this.options.preference(),
      askedBy: this.options.askedBy(),
      webgpu: this.webgpu,
      wasm: this.wasm,
      cpuAccepted: this.cpuAccepted,
      wasmAccepted: this.wasmAccepted,
    });
  }

  /** The backend a race started now runs on, or null while undecided or blocked. */
  get backend(): BackendKind | null {
    return this.choice.kind;
  }

  /** Still asking whether WebGPU (or wasm, where it would be chosen) works. */
  get checking(): boolean {
    const choice = this.choice;
    return (choice.kind === null && choice.waiting) || (choice.kind === 'wasm' && this.wasm.state === 'checking');
  }

  /** Racing on the CPU reference because the user accepted it (not because the page asked for it). */
  get onAcceptedCpu(): boolean {
    return this.cpuAccepted && this.options.preference() !== 'cpu';
  }

  /** WebGPU was asked for (or in use) and failed, and the user has not chosen the CPU yet: the notice asks. */
  get blocked(): boolean {
    const choice = this.choice;
    return choice.kind === null && !choice.waiting;
  }

  /** Asks for the shared device once (again after a loss), then whether wasm runs where it would be chosen. */
  probe(): Promise<void> {
    this.probing ??= this.probeGpu()
      .then(() => (this.choice.kind === 'wasm' ? this.probeWasm() : undefined))
      .finally(() => {
        this.probing = null;
        this.host.requestUpdate();
      });
    return this.probing;
  }

  /** Both probes the current choice depends on, done. */
  async settle(): Promise<void> {
    if (this.webgpu.state === 'checking') await this.probe();
    if (this.choice.kind === 'wasm') await this.probeWasm();
  }

  private probeGpu(): Promise<void> {
    return sharedGpuDevice().then(
      (device) => {
        this.loss.watch(device);
        this.loss.clear();
        const info = device.adapterInfo as AdapterSummary | undefined;
        this.webgpu = { state: 'ready', adapter: info ?? {} };
        this.gpuLimits = device.limits;
      },
      (error: unknown) => {
        const missing = error instanceof WebGPUUnavailableError ? (error.missing === 'other' ? 'device' : error.missing) : 'device';
        const text = error instanceof WebGPUUnavailableError ? error.message : `WebGPU could not start: ${errorMessage(error)}`;
        this.webgpu = { state: 'unavailable', missing, message: text };
      },
    );
  }

  /** Whether this page runs WebAssembly SIMD (asked once per page). */
  private probeWasm(): Promise<void> {
    if (this.wasm.state !== 'checking') return Promise.resolve();
    this.wasmProbing ??= wasmSimdSupport().then((why) => {
      if (this.wasm.state === 'checking') this.wasm = why === null ? { state: 'ready' } : { state: 'unavailable', message: why };
      this.host.requestUpdate();
    });
    return this.wasmProbing;
  }

  /** The wasm engine failed to start in a race: the choice moves on (auto, wasm: to the CPU reference). */
  wasmFailed(reason: string): void {
    this.wasm = { state: 'unavailable', message: reason };
    this.host.requestUpdate();
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

  /** WebAssembly SIMD instead of the failed WebGPU; if it turns out not to run, the choice is blocked again (the CPU offer). */
  acceptWasm(): void {
    this.wasmAccepted = true;
    this.host.requestUpdate();
    void this.probeWasm();
  }

  /** Whether WebAssembly SIMD may be offered (not known to fail here). */
  get wasmOffered(): boolean {
    return this.wasm.state !== 'unavailable';
  }

  /** Back to WebGPU: asks for a new device (sharedGpuDevice replaces a lost one). */
  async retry(): Promise<void> {
    this.cpuAccepted = false;
    this.wasmAccepted = false;
    this.host.requestUpdate();
    await this.probe();
  }
}
