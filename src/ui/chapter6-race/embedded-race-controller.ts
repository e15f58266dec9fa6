/**
 * A chapter-6 section's race on the embedded MNIST subset, the part <chapter6-race> and
 * <search-race> share: the data (EmbeddedDataController), the engine (<optimizer-race>'s
 * DeviceController and RaceController; the element owns no GPU buffers), the plan Start runs, and
 * the toolbar (Start/Pause/Resume, Reset, epochs done, the engine badge) and notices both draw.
 * The element keeps its settings, its figures and what it says about them.
 */
import { html, nothing, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { BackendKind } from '../../gpu/backend-kind';
import { kBackendPreferences, parseBackendPreference, type BackendPreference } from '../../race/backend-choice';
import type { ResolvedRace } from '../../race/config';
import { raceTrainCount } from '../../race/dataset';
import { errorMessage } from '../../util/error-message';
import { renderDeviceLost } from '../device-loss';
import { backendBadge } from '../optimizer-race/backend-badge';
import { DeviceController } from '../optimizer-race/device-controller';
import { RaceController, type RacePlan } from '../optimizer-race/race-controller';
import { embeddedDataset } from './embedded-data';
import { EmbeddedDataController } from './embedded-data-controller';

/** The element's engine settings. */
export interface EmbeddedRaceHost extends ReactiveControllerHost, HTMLElement {
  /** auto, webgpu, wasm or cpu; an unknown name is read as auto, with a notice. */
  backend: string;
  /** Race on the float64 CPU reference (as backend="cpu"). */
  forceCpu: boolean;
}

export interface EmbeddedRaceOptions {
  /** The race Start would run now (planOn's), or null while the settings cannot race. */
  plan(): Promise<RacePlan | null>;
}

/** The toolbar's inputs the element owns. */
export interface EmbeddedToolbar {
  /** The race of the settings now (its epochs are the progress bar's until an engine runs). */
  resolved: ResolvedRace | null;
  /** The settings can race (the data and the device are checked here). */
  settingsReady: boolean;
  canReset: boolean;
  /** Reset's click: the element drops what it keeps of the race too. */
  reset(): void;
  /** Before "epoch k / n" (a search's "round 2, "). */
  readoutPrefix?: string;
}

export class EmbeddedRaceController {
  readonly data: EmbeddedDataController;
  readonly device: DeviceController;
  readonly race: RaceController;

  constructor(
    private readonly host: EmbeddedRaceHost,
    options: EmbeddedRaceOptions,
  ) {
    this.data = new EmbeddedDataController(host);
    this.device = new DeviceController(host, {
      preference: () => this.preference,
      askedBy: () => (host.forceCpu ? 'force-cpu' : `backend="${this.preference}"`),
      inUse: (): boolean => this.race.locked,
    });
    this.race = new RaceController(host, this.device, {
      charts: { loss: () => null, accuracy: () => null },
      plan: () => options.plan(),
    });
  }

  /** `backend`, with force-cpu read as cpu and an unknown name as auto. */
  get preference(): BackendPreference {
    return this.host.forceCpu ? 'cpu' : (parseBackendPreference(this.host.backend) ?? 'auto');
  }

  /** The engine that runs the current race, or null. */
  get backendKind(): BackendKind | null {
    return this.race.engine?.backendKind ?? null;
  }

  /** `race` on the embedded data, or null with the reason shown (the data did not load, or has too few images). */
  async planOn(race: ResolvedRace, grouped = false): Promise<RacePlan | null> {
    let dataset: Awaited<ReturnType<typeof embeddedDataset>>;
    try {
      dataset = await embeddedDataset();
      raceTrainCount(race.config.trainLimit, dataset);
    } catch (error) {
      this.race.fail(errorMessage(error), error);
      return null;
    }
    return { config: race.config, dataset, colors: race.racers.map((r) => r.spec.color), ...(grouped ? { grouped } : {}) };
  }

  renderToolbar(toolbar: EmbeddedToolbar): TemplateResult {
    const { race, device } = this;
    const running = race.status === 'running';
    const paused = race.status === 'paused';
    const ready = toolbar.settingsReady && this.data.state !== 'error' && !device.blocked;
    const label = running ? 'Pause' : paused ? 'Resume' : race.status === 'finished' ? 'Run again' : 'Start';
    const engine = race.engine;
    const total = (engine?.race ?? toolbar.resolved)?.evaluations.length ?? 0;
    const done = engine ? engine.race.evaluations.filter((e) => e <= engine.iteration).length : 0;
    const badge = backendBadge(device.choice, device.checking, this.backendKind, race.threads);
    return html`<div class="toolbar" part="toolbar">
      <div class="controls">
        <button type="button" class="primary" data-action="start" ?disabled=${!running && !paused && !ready}
          @click=${() => (running ? race.pause() : paused ? void race.resume() : void race.start())}>${label}</button>
        <button type="button" data-action="reset" ?disabled=${!toolbar.canReset} @click=${toolbar.reset}>Reset</button>
        <span class="progress">
          <progress aria-label="Epochs done" max=${Math.max(total, 1)} value=${done}></progress>
          <output data-readout="epoch">${toolbar.readoutPrefix ?? ''}epoch ${done} / ${total}</output>
        </span>
      </div>
      <span class="badge ${badge.kind}" part="backend"
        >${badge.label}${badge.reason ? html`<span class="why"> — ${badge.reason}</span>` : nothing}</span>
    </div>`;
  }

  /**
   * The data loading or failed, `problem` (the element's settings), an unknown backend, WebGPU lost
   * (`meanwhile`: what happened to the race) or missing, the race's error.
   */
  renderNotices(problem: string | null, meanwhile: string): TemplateResult {
    const { device, data } = this;
    const { backend } = this.host;
    return html`
      ${data.state === 'loading' ? html`<p class="about" role="status">Loading MNIST…</p>` : nothing}
      ${
        data.error
          ? html`<div class="notice error" part="message" role="alert">
        <p>${data.error}</p>
        <div class="notice-actions"><button type="button" @click=${() => data.load()}>Retry</button></div>
      </div>`
          : nothing
      }
      ${problem ? html`<p class="notice error" part="message" role="alert" data-problem>${problem}</p>` : nothing}
      ${
        parseBackendPreference(backend) === null
          ? html`<p class="notice warn" part="message" role="status">backend: "${backend}" is not one of ${kBackendPreferences.join(', ')}; using auto.</p>`
          : nothing
      }
      ${
        device.blocked && device.gpu === 'lost'
          ? renderDeviceLost(device.lost, {
              part: 'message',
              meanwhile,
              restart: () => void this.race.restartOnNewDevice(),
              actions: this.fallbackButtons(),
            })
          : nothing
      }
      ${
        device.blocked && device.gpu !== 'lost'
          ? html`<div class="notice warn" part="message" role="status">
        <p><strong>WebGPU is not available.</strong> ${device.gpuMessage}</p>
        <div class="notice-actions">${this.fallbackButtons()}</div>
      </div>`
          : nothing
      }
      ${this.race.error && device.gpu !== 'lost' ? html`<p class="notice error" part="message" role="alert">${this.race.error.text}</p>` : nothing}
    `;
  }

  /** After WebGPU failed: race on WebAssembly SIMD (where it runs) or on the CPU reference. */
  private fallbackButtons(): TemplateResult {
    return html`${
      this.device.wasmOffered
        ? html`<button type="button" data-action="accept-wasm" @click=${() => this.device.acceptWasm()}>Run on WebAssembly</button>`
        : nothing
    }<button type="button" data-action="accept-cpu" @click=${() => this.device.acceptCpu()}>Run on the CPU</button>`;
  }
}
