/**
 * Connects <optimizer-race> to a RaceEngine: builds it on the page's shared GPUDevice (pipelines
 * compiled once per device, shared by every instance), or in a Web Worker on the WebAssembly SIMD
 * engine or the CPU reference (a wasm engine that cannot start falls back to the CPU reference),
 * feeds the charts the history's own arrays, re-renders the host on every report and fires the
 * host's `race-progress` and `race-finished`. The component owns no GPU buffers: the engine's
 * backend creates them and destroy() frees them.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { DeviceLostError } from '../../gpu/device-lost';
import { withValidation } from '../../gpu/device';
import { perDevice } from '../../gpu/per-device';
import { kBackendLabels } from '../../race/backend-choice';
import { resolveRace, type RaceConfig, type ResolvedRace } from '../../race/config';
import type { MnistDataset } from '../../data/dataset';
import { RaceEngine, type RaceStatus } from '../../race/engine';
import { GpuRaceBackend, RacePipelines } from '../../race/gpu-backend';
import type { AccuracySeries } from '../charts/accuracy-chart';
import type { LossSeries } from '../charts/loss-chart';
import type { BackendKind, DeviceController } from './device-controller';
import type { MnistRaceFinishedDetail, RaceProgressDetail } from './events';
import { raceJson, type WeightsFileNames } from './export';
import { groupedMarkers, markersFor } from './racers';
import { racerSettingsText } from './racer-settings';
import { optimizerSpec } from '../../optim/registry';
import { RaceTooLargeError } from '../../race/device-fit';
import { wasmFailureReason } from './wasm-support';
import { WorkerRaceBackend, wishedThreads } from '../../race/worker-backend';
import { errorMessage } from '../../util/error-message';
import { chunkFailureText, loadChunk } from '../../util/load-chunk';

export type { BackendKind, GpuState } from './device-controller';

/** One RacePipelines per device, module-wide: several elements on a page share device and pipelines. */
const pipelinesFor = perDevice((device) => new RacePipelines(device));

/** The part of <loss-chart> and <accuracy-chart> (src/ui/charts) the race drives. */
export interface ChartElement extends HTMLElement {
  refresh(): void;
  toPNG(): Promise<Blob>;
}

export interface RaceCharts {
  loss(): ChartElement | null;
  accuracy(): ChartElement | null;
}

/** What a new race needs from the host (once its data has loaded). */
export interface RacePlan {
  config: RaceConfig;
  dataset: MnistDataset;
  /** Racer colours, config order. */
  colors: string[];
  /** A sweep's racers: the loss legend groups them by optimizer, and each family shares its optimizer's marker. */
  grouped?: boolean;
  /** The racers' weights files read in the editor (blob: URL → file name): the JSON export names them. */
  weightsFiles?: WeightsFileNames;
}

export interface RaceHostOptions {
  charts: RaceCharts;
  /** The race Start would run now, or null while the data or an input is missing or invalid. */
  plan(): Promise<RacePlan | null>;
}

/** An error to show; `deviceLost` when the device-lost notice already says it. */
export interface RaceError {
  text: string;
  deviceLost: boolean;
}

export class RaceController implements ReactiveController {
  engine: RaceEngine | null = null;
  /** Iterations per second, all racers together, over the last chunks. */
  speed = 0;
  error: RaceError | null = null;
  lossSeries: LossSeries[] = [];
  accuracySeries: AccuracySeries[] = [];
  /** Colours of the racers in the current engine (history order). */
  colors: string[] = [];
  /** The current engine's plan's weightsFiles. */
  private weightsFiles: WeightsFileNames = new Map();
  /** Threads the current engine computes on (the wasm engine's; 1 elsewhere). */
  threads = 1;
  private dataset: MnistDataset | null = null;
  /** The engine whose race-finished has been fired (once per race). */
  private finishedEngine: RaceEngine | null = null;
  private unsubscribe: (() => void) | null = null;
  /**
   * The race generation, bumped whenever the current race is dropped (a new race, reset(), removal).
   * A set-up that awaited (the plan, the probes, a backend being built) and finds it moved on is
   * stale: it builds nothing, or destroys what it built. Without it, two overlapping starts (a host's
   * start() and the autostart) each built an engine; the first, orphaned but still subscribed, fired
   * race-finished with the other's half-run history, or after a reset with a new race's empty one.
   */
  private generation = 0;
  /** The set-up of the next race, while one is under way: a second start() joins it. */
  private preparing: Promise<RaceEngine | null> | null = null;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly device: DeviceController,
    private readonly options: RaceHostOptions,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    // Destroys the engine (and its GPU buffers) and drops a set-up under way; the charts forget its arrays.
    this.destroy();
    this.preparing = null;
    this.clearSeries();
  }

  get status(): RaceStatus {
    return this.engine?.status ?? 'idle';
  }

  /** Running or paused: the settings and racers cannot change. */
  get locked(): boolean {
    const s = this.engine?.status;
    return s === 'running' || s === 'paused';
  }

  /**
   * Starts a new race (or resumes a paused one); resolves when it stops. A start() while a race is
   * running or being set up joins that race: one race, one race-finished.
   */
  async start(): Promise<void> {
    const engine = this.engine;
    if (engine && engine.status === 'running') return engine.done().catch(() => undefined);
    if (engine && engine.status === 'paused') return this.resume();
    const prepared = await this.prepare();
    // Null, or no longer current: a reset() or a newer race dropped it while it was set up.
    if (prepared && prepared === this.engine) await prepared.start().catch(() => undefined);
  }

  pause(): void {
    this.engine?.pause();
  }

  async resume(): Promise<void> {
    const engine = this.engine;
    if (engine?.status !== 'paused') return;
    await engine.resume().catch(() => undefined);
  }

  /** Exactly one more iteration (starting a race when none is under way). */
  async step(): Promise<void> {
    let engine = this.engine;
    if (engine?.status === 'running') return;
    if (!engine || engine.status === 'finished' || engine.status === 'error') {
      engine = await this.prepare();
      // Dropped while set up, or already run by a start() that shared the set-up.
      if (!engine || engine !== this.engine || engine.status !== 'idle') return;
    }
    await engine.step().catch(() => undefined);
  }

  /** The set-up under way, or a new one: a new engine for the host's plan (null: none, or dropped meanwhile). */
  prepare(): Promise<RaceEngine | null> {
    if (this.preparing) return this.preparing;
    const preparing: Promise<RaceEngine | null> = this.setUp(this.generation).finally(() => {
      if (this.preparing === preparing) this.preparing = null;
    });
    this.preparing = preparing;
    return preparing;
  }

  /** A new engine on the backend the device controller allows, unless the race of `generation` was dropped meanwhile. */
  private async setUp(generation: number): Promise<RaceEngine | null> {
    const plan = await this.options.plan();
    if (!plan || generation !== this.generation) return null;
    // A backend set just before (e.g. backend = 'wasm'; start()) is probed before it is read.
    await this.device.settle();
    const kind = this.device.backend;
    if (!kind || generation !== this.generation) return null;
    return (await this.create(plan, kind)) ? this.engine : null;
  }

  /** Shows an error (an engine's, a failed set-up's, a failed export's). */
  fail(text: string, cause?: unknown): void {
    this.error = { text, deviceLost: cause instanceof DeviceLostError };
    this.host.requestUpdate();
  }

  /** A new engine for `config` (the previous one is destroyed); false, with the error shown, when its backend cannot be built. */
  async create({ config, dataset, colors, grouped = false, weightsFiles = new Map() }: RacePlan, kind: BackendKind): Promise<boolean> {
    this.destroy();
    const generation = this.generation;
    this.error = null;
    let engine: RaceEngine;
    try {
      engine = await this.engineOn(kind, resolveRace(config, dataset.trainCount), dataset);
    } catch (error) {
      // A dropped set-up's failure is no news.
      if (generation !== this.generation) return false;
      if (error instanceof RaceTooLargeError) {
        this.fail(`This race does not fit this GPU: ${error.message}.`, error);
        return false;
      }
      this.fail(`Could not set up the race on ${kind === 'cpu' ? 'the CPU' : kBackendLabels[kind]}: ${errorMessage(error)}`, error);
      return false;
    }
    // Racers that start from a weights file (`"init": {"weights": URL}`): a bad file shows its message and no race is set up.
    if (!config.search && config.racers.some((r) => r.initWeights !== undefined)) {
      try {
        await (await loadChunk('the weights reader', () => import('../../race/start-weights'))).applyStartWeightUrls(engine, config);
      } catch (error) {
        engine.destroy();
        if (generation === this.generation) this.fail(chunkFailureText("Could not load a racer's weights", error), error);
        return false;
      }
    }
    // Reset or superseded while its backend was built (a worker starting, a device asked for): never raced.
    if (generation !== this.generation) {
      engine.destroy();
      return false;
    }
    this.engine = engine;
    this.speed = 0;
    // Every report is checked against the current engine: a dropped one (destroyed, unsubscribed) can still settle a chunk.
    const current = (): boolean => this.engine === engine;
    this.unsubscribe = engine.subscribe({
      progress: (p) => {
        if (!current()) return;
        this.speed = p.speed;
        this.options.charts.loss()?.refresh();
        const detail: RaceProgressDetail = { iteration: p.iteration, iterations: p.iterations, losses: p.losses, speed: p.speed };
        this.host.dispatchEvent(new CustomEvent('race-progress', { detail, bubbles: true, composed: true }));
        this.host.requestUpdate();
      },
      evaluation: () => {
        if (!current()) return;
        this.options.charts.accuracy()?.refresh();
        this.host.requestUpdate();
      },
      diverged: (racer, iteration) => {
        if (current() && this.lossSeries[racer]) this.lossSeries[racer].diverged = iteration;
      },
      status: (status) => {
        if (!current()) return;
        this.finished(engine, status);
        this.host.requestUpdate();
      },
      error: (error) => {
        if (current()) this.fail(error.message, error);
      },
    });
    const optimizers = config.racers.map((r) => r.optimizer);
    const markers = grouped ? groupedMarkers(optimizers) : markersFor(optimizers);
    this.colors = colors;
    this.weightsFiles = weightsFiles;
    this.dataset = dataset;
    const legend = engine.history.map((h) => ({ group: grouped ? optimizerSpec(h.optimizer).label : undefined, settings: racerSettingsText(h) }));
    this.lossSeries = engine.history.map((h, r) => ({
      name: h.name,
      color: colors[r],
      marker: markers[r],
      losses: h.losses,
      diverged: h.diverged,
      ...legend[r],
    }));
    this.accuracySeries = engine.history.map((h, r) => ({ name: h.name, color: colors[r], marker: markers[r], points: h.accuracy, ...legend[r] }));
    this.host.requestUpdate();
    return true;
  }

  /** A backend of `kind` for `race`; a wasm engine that cannot start is reported and the CPU reference takes over. */
  private async engineOn(kind: BackendKind, race: ResolvedRace, dataset: MnistDataset): Promise<RaceEngine> {
    this.threads = 1;
    if (kind === 'webgpu') {
      const device = await this.device.device();
      return new RaceEngine(race, await withValidation(device, () => new GpuRaceBackend(pipelinesFor(device), race, dataset)));
    }
    if (kind === 'wasm') {
      try {
        const backend = await this.wasmBackend(race, dataset);
        this.threads = backend.threads;
        return new RaceEngine(race, backend);
      } catch (error) {
        this.device.wasmFailed(wasmFailureReason(error));
        if (this.device.backend !== 'cpu') throw error;
      }
    }
    return new RaceEngine(race, await WorkerRaceBackend.create('cpu', race, dataset));
  }

  /** The wasm engine on the threads this page offers; on one thread if those cannot start (e.g. a policy that forbids its helper workers). */
  private async wasmBackend(race: ResolvedRace, dataset: MnistDataset): Promise<WorkerRaceBackend> {
    const threads = wishedThreads();
    try {
      return await WorkerRaceBackend.create('wasm', race, dataset, threads);
    } catch (error) {
      if (threads === 1) throw error;
      return WorkerRaceBackend.create('wasm', race, dataset, 1);
    }
  }

  /** Stops and frees the engine (and its GPU buffers); a set-up under way builds nothing. */
  destroy(): void {
    this.generation++;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.engine?.destroy();
    this.engine = null;
    this.finishedEngine = null;
    this.speed = 0;
  }

  /** destroy(), the charts' series and the error cleared. */
  reset(): void {
    this.destroy();
    // The next start() sets up a race of its own (the dropped set-up returns null to its callers).
    this.preparing = null;
    this.clearSeries();
    this.error = null;
    this.host.requestUpdate();
  }

  /**
   * After a lost device: asks for a new one (the page's shared device is replaced) and starts a new
   * race with the current settings. The lost race is not resumed: the new one starts at iteration 0.
   */
  async restartOnNewDevice(): Promise<void> {
    this.reset();
    await this.host.updateComplete;
    await this.device.retry();
    if (this.device.backend) await this.start();
  }

  /** The run as the CLI's --json, or null before a race. */
  json(): ReturnType<typeof raceJson> | null {
    const { engine, dataset } = this;
    if (!engine || !dataset) return null;
    return raceJson(
      engine.config,
      engine.history,
      this.colors,
      { source: dataset.source, trainCount: dataset.trainCount, testCount: dataset.testCount },
      engine.backendKind,
      this.weightsFiles,
    );
  }

  private clearSeries(): void {
    this.lossSeries = [];
    this.accuracySeries = [];
    this.colors = [];
  }

  /** race-finished, once per race, with that race's own history. */
  private finished(engine: RaceEngine, status: RaceStatus): void {
    if (status !== 'finished' || this.finishedEngine === engine) return;
    this.finishedEngine = engine;
    this.options.charts.loss()?.refresh();
    this.options.charts.accuracy()?.refresh();
    const detail: MnistRaceFinishedDetail = { history: engine.history, backend: engine.backendKind };
    this.host.dispatchEvent(new CustomEvent('race-finished', { detail, bubbles: true, composed: true }));
  }
}
