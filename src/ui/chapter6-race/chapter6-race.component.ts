import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { BackendKind } from '../../gpu/backend-kind';
import { kBackendPreferences, parseBackendPreference, type BackendPreference } from '../../race/backend-choice';
import { kChapter6FigurePresetIds, kChapter6Presets, type Chapter6FigurePresetId } from '../../race/chapter6-presets';
import { resolvedRacerJson, resolveRace, type RaceConfig, type ResolvedRace } from '../../race/config';
import { raceTrainCount } from '../../race/dataset';
import type { RaceEngine, RaceStatus } from '../../race/engine';
import { errorMessage } from '../../util/error-message';
import { shortNumber } from '../../util/short-number';
import { renderDeviceLost } from '../device-loss';
import { backendBadge, type BackendBadge } from '../optimizer-race/backend-badge';
import { DeviceController } from '../optimizer-race/device-controller';
import { RaceController, type RacePlan } from '../optimizer-race/race-controller';
import { themeTokens } from '../theme';
import { chapter6RaceStyles } from './chapter6-race.styles';
import { embeddedDataset } from './embedded-data';
import type { FigureRacer } from './figure-data';

const isPresetId = (id: string): id is Chapter6FigurePresetId => (kChapter6FigurePresetIds as readonly string[]).includes(id);

/** The race engine's reporting, as the figures read it: the racers of a race not started yet have no checkpoints. */
const unstarted = (race: ResolvedRace): FigureRacer[] => race.racers.map((r) => ({ ...resolvedRacerJson(r), accuracy: [] }));

/**
 * One of the book's chapter-6 experiments (`preset`: batchnorm, overfit or dropout; the races of
 * src/race/chapter6-presets.ts) with Start, Pause, Reset and the engine badge, and its figure
 * (<batch-norm-figure> or <overfit-figure>) filling in as the engine reports each epoch. The race
 * runs on the engine the MNIST race would use (WebGPU on a hardware adapter, else WebAssembly
 * SIMD, else the float64 CPU reference; `backend` picks one), through <optimizer-race>'s own
 * DeviceController and RaceController; the element owns no GPU buffers. The data is the embedded
 * MNIST subset (2,000 test images), loaded once per page.
 *
 * @fires race-progress - CustomEvent<{iteration, iterations, losses, speed}> after each chunk of iterations.
 * @fires race-finished - CustomEvent<{history, backend}> once per race that ran to its end.
 *
 * @csspart base - the element's outer box
 * @csspart toolbar - Start, Reset, the progress and the engine badge
 * @csspart backend - the engine badge
 * @csspart message - notices and errors
 *
 * @cssproperty --or-accent - buttons, the badge, the figure's first line
 */
export class Chapter6Race extends LitElement {
  static override styles = [themeTokens, chapter6RaceStyles];

  /** The experiment: 'batchnorm' (figure 6-19), 'overfit' (weight decay, 6-20/6-21) or 'dropout' (6-23). */
  @property({ reflect: true }) preset: string = 'batchnorm';
  /** The engine: auto (the MNIST race's choice), webgpu, wasm or cpu. */
  @property() backend = 'auto';
  /** Race on the float64 CPU reference (as backend="cpu"). */
  @property({ type: Boolean, attribute: 'force-cpu' }) forceCpu = false;
  /** Overrides the preset's epochs (a shorter race, e.g. for a test); unset: the book's. */
  @property({ type: Number }) epochs?: number;
  /** Overrides the preset's training-set limit; unset: the book's. */
  @property({ type: Number, attribute: 'train-limit' }) trainLimit?: number;

  @state() private dataState: 'loading' | 'ready' | 'error' = 'loading';
  @state() private dataError: string | null = null;
  /** Why the settings cannot race (a bad preset or override), or null. */
  @state() private problem: string | null = null;
  private resolved: ResolvedRace | null = null;

  private readonly device: DeviceController = new DeviceController(this, {
    preference: () => this.preference,
    askedBy: () => (this.forceCpu ? 'force-cpu' : `backend="${this.preference}"`),
    inUse: (): boolean => this.race.locked,
  });

  private readonly race: RaceController = new RaceController(this, this.device, {
    charts: { loss: () => null, accuracy: () => null },
    plan: () => this.plan(),
  });

  /** `backend`, with force-cpu read as cpu and an unknown name as auto. */
  get preference(): BackendPreference {
    return this.forceCpu ? 'cpu' : (parseBackendPreference(this.backend) ?? 'auto');
  }

  /** The race's config: the preset with the overrides (null while they are invalid). */
  get config(): RaceConfig | null {
    return this.resolved?.config ?? null;
  }

  get status(): RaceStatus {
    return this.race.status;
  }

  /** The current race's engine (its history, its backend), or null before Start and after Reset. */
  get engine(): RaceEngine | null {
    return this.race.engine;
  }

  /** The engine that runs the current race, or null. */
  get backendKind(): BackendKind | null {
    return this.race.engine?.backendKind ?? null;
  }

  /** Why Start cannot run (bad settings, the data or a race's error), or null. */
  get error(): string | null {
    return this.problem ?? this.dataError ?? this.race.error?.text ?? null;
  }

  /** Starts the race (resumes a paused one); resolves when it stops. */
  start(): Promise<void> {
    return this.race.start();
  }

  pause(): void {
    this.race.pause();
  }

  resume(): Promise<void> {
    return this.race.resume();
  }

  /** Drops the race: the figure is empty again, the next Start runs from epoch 0. */
  reset(): void {
    this.race.reset();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.dataState !== 'ready') this.loadData();
  }

  private loadData(): void {
    this.dataState = 'loading';
    this.dataError = null;
    embeddedDataset().then(
      () => {
        this.dataState = 'ready';
      },
      (error: unknown) => {
        this.dataState = 'error';
        this.dataError = `MNIST could not be loaded: ${errorMessage(error)}`;
      },
    );
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('preset') || changed.has('epochs') || changed.has('trainLimit')) {
      // A race of other settings is another race: the current one (and its figure) goes.
      if (this.hasUpdated) this.race.reset();
      this.resolve();
    }
    if (this.hasUpdated && (changed.has('backend') || changed.has('forceCpu'))) void this.device.settle();
  }

  private resolve(): void {
    this.resolved = null;
    try {
      if (this.preset === 'hypersearch') throw new Error('preset "hypersearch" is the hyperparameter search: use <search-race> for it');
      if (!isPresetId(this.preset)) throw new Error(`preset "${this.preset}" is not one of ${kChapter6FigurePresetIds.join(', ')}`);
      const preset = kChapter6Presets[this.preset];
      const config: RaceConfig = {
        ...preset,
        ...(this.epochs === undefined || this.epochs === null ? {} : { epochs: this.epochs }),
        ...(this.trainLimit === undefined || this.trainLimit === null ? {} : { trainLimit: this.trainLimit }),
      };
      this.resolved = resolveRace(config);
      this.problem = null;
    } catch (error) {
      this.problem = errorMessage(error);
    }
  }

  /** The race Start runs: the resolved config on the embedded data (null, with the reason shown, when it cannot run). */
  private async plan(): Promise<RacePlan | null> {
    // A host's start() right after creating the element: the settings resolve in the first update.
    if (!this.hasUpdated) await this.updateComplete;
    const race = this.resolved;
    if (!race) return null;
    let dataset: Awaited<ReturnType<typeof embeddedDataset>>;
    try {
      dataset = await embeddedDataset();
      raceTrainCount(race.config.trainLimit, dataset);
    } catch (error) {
      this.race.fail(errorMessage(error), error);
      return null;
    }
    return { config: race.config, dataset, colors: race.racers.map((r) => r.spec.color) };
  }

  private get badge(): BackendBadge {
    return backendBadge(this.device.choice, this.device.checking, this.backendKind, this.race.threads);
  }

  protected override render(): TemplateResult {
    return html`<div part="base" class="base">
      ${this.renderToolbar()}
      ${this.renderNotices()}
      ${this.resolved ? this.renderAbout(this.resolved) : nothing}
      ${this.resolved ? this.renderFigure(this.resolved) : nothing}
    </div>`;
  }

  private renderToolbar(): TemplateResult {
    const status = this.race.status;
    const running = status === 'running';
    const paused = status === 'paused';
    const ready = this.resolved !== null && this.dataState !== 'error' && !this.device.blocked;
    const label = running ? 'Pause' : paused ? 'Resume' : status === 'finished' ? 'Run again' : 'Start';
    const engine = this.race.engine;
    const total = (engine?.race ?? this.resolved)?.evaluations.length ?? 0;
    const done = engine ? engine.race.evaluations.filter((e) => e <= engine.iteration).length : 0;
    const { badge } = this;
    return html`<div class="toolbar" part="toolbar">
      <div class="controls">
        <button type="button" class="primary" data-action="start" ?disabled=${!running && !paused && !ready}
          @click=${() => (running ? this.pause() : paused ? void this.resume() : void this.start())}>${label}</button>
        <button type="button" data-action="reset" ?disabled=${!engine} @click=${() => this.reset()}>Reset</button>
        <span class="progress">
          <progress aria-label="Epochs done" max=${Math.max(total, 1)} value=${done}></progress>
          <output data-readout="epoch">epoch ${done} / ${total}</output>
        </span>
      </div>
      <span class="badge ${badge.kind}" part="backend"
        >${badge.label}${badge.reason ? html`<span class="why"> — ${badge.reason}</span>` : nothing}</span>
    </div>`;
  }

  private renderNotices(): TemplateResult {
    const device = this.device;
    const unknownBackend = parseBackendPreference(this.backend) === null;
    return html`
      ${this.dataState === 'loading' ? html`<p class="about" role="status">Loading MNIST…</p>` : nothing}
      ${
        this.dataError
          ? html`<div class="notice error" part="message" role="alert">
        <p>${this.dataError}</p>
        <div class="notice-actions"><button type="button" @click=${() => this.loadData()}>Retry</button></div>
      </div>`
          : nothing
      }
      ${this.problem ? html`<p class="notice error" part="message" role="alert">${this.problem}</p>` : nothing}
      ${
        unknownBackend
          ? html`<p class="notice warn" part="message" role="status">backend: "${this.backend}" is not one of ${kBackendPreferences.join(', ')}; using auto.</p>`
          : nothing
      }
      ${
        device.blocked && device.gpu === 'lost'
          ? renderDeviceLost(device.lost, {
              part: 'message',
              meanwhile: 'The experiment stopped; a restart runs it again from epoch 0.',
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
      ${this.race.error && !(device.gpu === 'lost') ? html`<p class="notice error" part="message" role="alert">${this.race.error.text}</p>` : nothing}
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

  /** What runs, from the resolved config (so an override shows). */
  private renderAbout(race: ResolvedRace): TemplateResult {
    const { config, racers } = race;
    const epochs = config.epochs ?? race.evaluations.length;
    const first = racers[0];
    const lr = first ? shortNumber(first.hyper.lr, 3) : '';
    return html`<p class="about">
      ${racers.length} networks ${config.sizes.join('-')} (ReLU), ${first?.spec.label ?? ''} with learning rate ${lr}, batches of
      ${config.batchSize} drawn from the first ${race.trainSize.toLocaleString('en')} training images, ${epochs} epochs
      (${config.iterations} iterations), seed ${config.seed}; accuracy measured after each epoch on those training images and
      on the 2,000 test images.
    </p>`;
  }

  private renderFigure(race: ResolvedRace): TemplateResult {
    // A new array each render: the figure draws again as checkpoints arrive (the engine appends to its own arrays).
    const racers: FigureRacer[] = [...(this.race.engine?.history ?? unstarted(race))];
    const epochs = race.config.epochs ?? race.evaluations.length;
    return this.preset === 'batchnorm'
      ? html`<batch-norm-figure .racers=${racers} epochs=${epochs}></batch-norm-figure>`
      : html`<overfit-figure .racers=${racers} epochs=${epochs}></overfit-figure>`;
  }
}
