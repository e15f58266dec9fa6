/**
 * Connects <optimizer-race> to a RaceEngine: checks for WebGPU, builds the engine on the page's
 * shared GPUDevice (pipelines compiled once per device, shared by every instance) or on the CPU
 * reference in a Web Worker, subscribes to it and re-renders the host on every report. The
 * component owns no GPU buffers: the engine's backend creates them and destroy() frees them.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { sharedGpuDevice, WebGPUUnavailableError, withValidation } from '../../gpu/device';
import { perDevice } from '../../gpu/per-device';
import { resolveRace, type RaceConfig } from '../../race/config';
import type { RaceData } from '../../race/dataset';
import { RaceEngine, type RaceProgress, type RaceStatus } from '../../race/engine';
import { GpuRaceBackend, RaceKernels } from '../../race/gpu-backend';
import { WorkerRaceBackend } from './worker-backend';

/** One RaceKernels per device, module-wide: several elements on a page share device and pipelines. */
const kernelsFor = perDevice((device) => new RaceKernels(device));

export type GpuState = 'checking' | 'ready' | 'unavailable' | 'lost';
export type { BackendKind } from '../../gpu/backend-kind';
import type { BackendKind } from '../../gpu/backend-kind';

/** What the host hears about, besides being re-rendered. */
export interface RaceReports {
  progress(progress: RaceProgress): void;
  evaluation(iteration: number): void;
  diverged(racer: number, iteration: number): void;
  status(status: RaceStatus): void;
  error(error: Error): void;
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export class RaceController implements ReactiveController {
  engine: RaceEngine | null = null;
  gpu: GpuState = 'checking';
  /** Why WebGPU cannot be used (the WebGPUUnavailableError text, or the device-lost report). */
  gpuMessage: string | null = null;
  /** Iterations per second, all racers together, over the last chunks. */
  speed = 0;
  private unsubscribe: (() => void) | null = null;
  private watched = new WeakSet<GPUDevice>();
  private probing: Promise<void> | null = null;

  constructor(private readonly host: ReactiveControllerHost, private readonly reports: RaceReports) {
    host.addController(this);
  }

  hostConnected(): void {
    void this.probe();
  }

  hostDisconnected(): void {
    this.destroy();
  }

  get status(): RaceStatus {
    return this.engine?.status ?? 'idle';
  }

  /** Asks for the shared device once (again after a loss) to say early whether WebGPU works. */
  probe(): Promise<void> {
    this.probing ??= sharedGpuDevice().then(
      (device) => {
        this.watch(device);
        this.gpu = 'ready';
        this.gpuMessage = null;
      },
      (error: unknown) => {
        this.gpu = 'unavailable';
        this.gpuMessage = error instanceof WebGPUUnavailableError ? error.message : `WebGPU could not start: ${message(error)}`;
      },
    ).finally(() => {
      this.probing = null;
      this.host.requestUpdate();
    });
    return this.probing;
  }

  /** A new engine for `config` (the previous one is destroyed). Rejects when the backend cannot be built. */
  async create(config: RaceConfig, data: RaceData, kind: BackendKind): Promise<RaceEngine> {
    this.destroy();
    const race = resolveRace(config);
    let engine: RaceEngine;
    if (kind === 'webgpu') {
      const device = await sharedGpuDevice();
      this.watch(device);
      const backend = await withValidation(device, () => new GpuRaceBackend(kernelsFor(device), race, data));
      engine = new RaceEngine(race, backend);
    } else {
      engine = new RaceEngine(race, new WorkerRaceBackend(race, data));
    }
    this.engine = engine;
    this.speed = 0;
    this.unsubscribe = engine.subscribe({
      progress: (progress) => {
        this.speed = progress.speed;
        this.reports.progress(progress);
        this.host.requestUpdate();
      },
      evaluation: (iteration) => {
        this.reports.evaluation(iteration);
        this.host.requestUpdate();
      },
      diverged: (racer, iteration) => this.reports.diverged(racer, iteration),
      status: (status) => {
        this.reports.status(status);
        this.host.requestUpdate();
      },
      error: (error) => {
        this.reports.error(error);
        this.host.requestUpdate();
      },
    });
    this.host.requestUpdate();
    return engine;
  }

  /** Stops and frees the engine (and its GPU buffers). */
  destroy(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.engine?.destroy();
    this.engine = null;
    this.speed = 0;
  }

  /** A lost device (driver reset, sleep): say so; sharedGpuDevice hands out a new one next time. */
  private watch(device: GPUDevice): void {
    if (this.watched.has(device)) return;
    this.watched.add(device);
    void device.lost.then((info) => {
      if (info.reason === 'destroyed' && !this.engine) return;
      this.gpu = 'lost';
      this.gpuMessage = `The GPU device was lost (${info.reason}${info.message ? `: ${info.message}` : ''}).`;
      this.host.requestUpdate();
    });
  }
}
