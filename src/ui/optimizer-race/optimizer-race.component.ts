import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { describeDataset, type MnistDataset } from '../../data/dataset';
import { kSeedRace, type RaceConfig } from '../../race/config';
import type { RaceStatus, RacerHistory } from '../../race/engine';
import { themeTokens } from '../theme';
import { DataController } from './data-controller';
import type { BackendPreference } from '../../race/backend-choice';
import type { BackendKind } from './device-controller';
import { EngineChoiceController } from './engine-choice-controller';
import { DigitsController } from './digit-grid';
import { accuracyCsv, lossCsv } from './export';
import { HashController } from './hash-controller';
import type { MovieFormat, TimelapseOptions } from './loss-timelapse-controller';
import { renderNotices } from './notices';
import { RaceController, type RacePlan } from './race-controller';
import { withTrials } from './search-export';
import { isPresetId, kPresets, matchingPreset, presetDrafts, specFromDraft, weightsFileNames } from './racers';
import type { PresetChoice, RacerDraft, RacerSpec } from './racers';
import { styles } from './optimizer-race.styles';
import { racersConverter, racersFromValue, SettingsChecker, type RaceNumbers, type SettingField, type SettingsCheck } from './settings';
import { chartIn, raceExportActions, renderCharts, renderResults } from './results';
import { renderDataBar, renderToolbar, type ToolbarActions } from './toolbar';
import { kDefaultNetwork } from './network-draft';
import { NetworkAttributesElement } from './network-attributes';
import { SweepController } from './sweep-controller';
import { WeightsController } from './weights-controller';

/**
 * The seed's optimizer_compare_mnist experiment, live: six 784-100-100-100-100-10 networks, one per
 * optimizer, train on the same MNIST minibatches on WebGPU (every racer in one submit per chunk),
 * with live loss and test-accuracy charts, a leaderboard, the first test digits with each racer's
 * predictions, exports, and the configuration in the URL hash. `backend` picks the engine; `auto`
 * races on WebAssembly SIMD in a Web Worker where WebGPU is missing or only a software fallback,
 * and the badge says why (EngineChoiceController, src/race/backend-choice.ts).
 *
 * Attributes and properties are documented on each field below, the chapter-6 race settings'
 * (hidden-layers, train-limit, epochs, train-accuracy) in ./network-attributes.ts, and in the README ("Embedding");
 * `.history` holds per racer `{name, optimizer, hyperparameters, init, activation, bn, dropout, l2,
 * losses, accuracy: [{iteration, epoch?, train?, test}], diverged, predictions}`. Removing the element
 * ends its race and frees its GPU buffers; elements on one page share one GPUDevice and pipelines.
 *
 * @fires race-progress - CustomEvent<{iteration, iterations, losses, speed}> after every chunk of iterations.
 * @fires race-finished - CustomEvent<{history, backend}> when the last iteration is done.
 *
 * @csspart base - the element's outer box
 * @csspart toolbar - the settings and race controls
 * @csspart message - notices (WebGPU, loading errors, invalid links)
 * @csspart loss-card - the card holding the loss chart
 * @csspart accuracy-card - the card holding the accuracy chart
 * @csspart leaderboard - the leaderboard table
 * @csspart digits - the grid of test digits
 * @csspart racers - the racer editor (its card)
 * @csspart racer - one racer's card in the editor
 * @csspart export - the export buttons
 *
 * @cssproperty --or-font - font family
 * @cssproperty --or-mono - monospace font (numbers)
 * @cssproperty --or-bg - background of inputs and charts
 * @cssproperty --or-surface - background of cards
 * @cssproperty --or-text - text
 * @cssproperty --or-muted - secondary text
 * @cssproperty --or-border - borders
 * @cssproperty --or-accent - focus rings, primary button, progress bars
 * @cssproperty --or-danger - errors and divergence
 * @cssproperty --or-radius - corner radius of cards
 */
export class OptimizerRace extends NetworkAttributesElement {
  static override styles = [themeTokens, ...styles];

  /** Iterations per race (1 to 1,000,000); the seed runs 2000. */
  @property({ type: Number }) iterations = kSeedRace.iterations;

  /** Training images per minibatch (1 to 4096); the seed uses 128. */
  @property({ type: Number, attribute: 'batch-size' }) batchSize = kSeedRace.batchSize;

  /** Seeds the initial weights and the minibatches: the same seed gives the same race. */
  @property({ type: Number }) seed = kSeedRace.seed;

  /** Test accuracy every this many iterations (and at the last one). */
  @property({ type: Number, attribute: 'eval-every' }) evalEvery = kSeedRace.evalEvery;

  /** Folder URL of the four MNIST files; unset: the server's full MNIST or the embedded subset. */
  @property() src?: string;

  /** Start as soon as the data is loaded. */
  @property({ type: Boolean }) autostart = false;

  /**
   * The engine: `auto` (WebGPU on a hardware adapter, else WebAssembly SIMD, else the CPU
   * reference), `webgpu`, `wasm` (float32 WebAssembly SIMD in a Web Worker) or `cpu` (the float64
   * reference in a Web Worker). The badge says which runs and why.
   */
  @property() backend: BackendPreference = 'auto';

  /** The same as backend="cpu" (kept for pages written before `backend`). */
  @property({ type: Boolean, attribute: 'force-cpu' }) forceCpu = false;

  /**
   * Key of this element's part of the URL hash; "" leaves the URL alone. Unset: "race" for the first
   * such element on the page, none for the others (so two elements never fight over one link).
   */
  @property({ attribute: 'hash-key' }) hashKey?: string;

  @state() private drafts: RacerDraft[] = presetDrafts('seed');
  @state() private preset: PresetChoice = 'seed';
  /** Notes about the `racers` attribute ("racers: …") and the link ("The link…"). */
  @state() private notes: string[] = [];

  private readonly checker = new SettingsChecker();
  private firstRendered = false;
  private autostarted = false;
  /** `backend` and `force-cpu`: the engine a race gets, the badge, the notice's offers. */
  private readonly engineChoice = new EngineChoiceController(this, { inUse: () => this.race.engine !== null, note: (p, t) => this.note(p, t) });
  private readonly device = this.engineChoice.device;
  private readonly race: RaceController = new RaceController(this, this.device, {
    charts: { loss: () => chartIn(this.renderRoot, 'loss-chart'), accuracy: () => chartIn(this.renderRoot, 'accuracy-chart') },
    plan: () => this.plan(),
  });
  private readonly hash = new HashController(this, {
    key: () => this.hashKey,
    frozen: () => this.race.locked,
    settings: () => ({ ...this.numbers, network: this.network, preset: this.preset, racers: this.drafts, study: this.sweep.active }),
    apply: (settings) => {
      ({ iterations: this.iterations, batchSize: this.batchSize, seed: this.seed, evalEvery: this.evalEvery } = settings);
      this.network = settings.network ?? kDefaultNetwork;
      this.sweep.adopt(settings.study ?? null);
      this.drafts = settings.racers;
      this.preset = settings.preset === 'custom' ? matchingPreset(settings.racers) : settings.preset;
      this.note('The link', settings.note ?? null);
    },
    invalid: (reason, initial) => {
      this.note('The link', `The link's race settings could not be read (${reason}); using the defaults.`);
      if (!initial) this.choosePreset('seed');
    },
  });
  private readonly data = new DataController(this, {
    src: () => this.src,
    replaced: () => void (this.race.engine && this.reset()),
    locked: () => this.race.locked,
  });
  private readonly weights = new WeightsController(this, this.race, this.data, () => this.plan());
  private readonly exports = raceExportActions(
    this,
    this.race,
    (tag) => chartIn(this.renderRoot, tag),
    () => this.json(),
  );
  /** The sweep / LR range test section: the study the racers are, the sweep panel, the study cards. */
  private readonly sweep: SweepController = new SweepController({
    drafts: () => this.drafts,
    setDrafts: (drafts) => this.setDrafts(drafts),
    note: (prefix, text) => this.note(prefix, text),
    device: this.device,
    dataset: () => this.data.dataset,
    batchSize: () => this.batchSize,
    sizes: () => this.check.network.settings?.sizes,
    race: this.race,
    seed: () => this.seed,
    requestUpdate: () => this.requestUpdate(),
  });
  private readonly toolbarActions: ToolbarActions = {
    preset: (value) => this.choosePreset(value),
    number: (field: SettingField, value: number) => this.sweep.setting(field === 'seed', () => void (this[field] = value)),
    network: (change) => void (this.network = { ...this.network, ...change }),
    controls: this,
  };
  /** Draws the test digits (again when the colour scheme changes). */
  protected readonly digits = new DigitsController(
    this,
    () => this.renderRoot,
    () => this.data.dataset,
  );

  // ---- public API ----------------------------------------------------------------------------

  /** The racers as configured (numbers that do not parse are NaN). Setting replaces them. */
  @property({ attribute: 'racers', converter: racersConverter })
  get racers(): RacerSpec[] {
    return this.drafts.map(specFromDraft);
  }
  set racers(value: RacerSpec[]) {
    const old = this.racers;
    if (value === null || value === undefined) return;
    const read = racersFromValue(value);
    if ('drafts' in read) [this.drafts, this.preset] = [read.drafts, matchingPreset(read.drafts)];
    this.note('racers:', 'note' in read ? read.note : null);
    this.requestUpdate('racers', old);
  }

  /** Per racer: name, optimizer, hyperparameters, init, activation, losses, accuracy checkpoints, diverged, predictions. */
  get history(): RacerHistory[] {
    return this.race.engine?.history ?? [];
  }

  /** The loaded MNIST data set, or null while loading. */
  get mnist(): MnistDataset | null {
    return this.data.dataset;
  }

  get status(): RaceStatus {
    return this.race.status;
  }

  /** The engine of the current race (webgpu, wasm or cpu), or null before one starts. */
  get activeBackend(): BackendKind | null {
    return this.race.engine?.backendKind ?? null;
  }

  /** The race that Start would run now, or null (with the reason shown) while an input is invalid. */
  get config(): RaceConfig | null {
    return this.check.config;
  }

  /**
   * Starts a new race (or resumes a paused one) once the data is loaded; resolves when it stops.
   * Errors are shown in the element (and `.status` is "error").
   */
  start(): Promise<void> {
    // A host's start() is the race autostart would have begun: a later autostart must not begin a second one.
    this.autostarted = true;
    return this.race.start();
  }

  /** Stops after the chunk in flight. */
  pause(): void {
    this.race.pause();
  }

  resume(): Promise<void> {
    return this.race.resume();
  }

  /** Exactly one more iteration (starting a race when none is under way). */
  step(): Promise<void> {
    this.autostarted = true;
    return this.race.step();
  }

  /** Stops the race and clears its history and charts; the racers stay as configured. */
  async reset(): Promise<void> {
    this.race.reset();
    await this.updateComplete;
  }

  /** The losses CSV of the current race (columns: iteration, then one per racer). */
  readonly lossCsv = (): string => lossCsv(this.history);
  /** The accuracy CSV (iteration, epoch when the race has epochs, each racer's test accuracy, then each one's training accuracy when measured). */
  readonly accuracyCsv = (): string => accuracyCsv(this.history);
  /** Racer `racer`'s weights as a .safetensors file, or (no racer) a zip of one file per racer; the race must be paused or finished. */
  readonly saveWeights = (racer?: number): Promise<Uint8Array> => this.weights.save(racer);
  /** The whole race (paused or finished) as one .safetensors: every racer's weights and optimizer state, the history, the iteration. */
  readonly checkpoint = (): Promise<Uint8Array> => this.weights.checkpoint();
  /** Continues a checkpoint of this element's race (same settings, racers and data): the race stands paused at its iteration; start() goes on. */
  readonly loadCheckpoint = (bytes: Uint8Array): Promise<void> => this.weights.loadCheckpoint(bytes);
  /** The loss chart replayed as a WebM video (or GIF), frame i showing iterations 1 to ⌈N·(i+1)/frames⌉ (./loss-timelapse-controller.ts). */
  readonly exportTimelapse = (format: MovieFormat, options?: TimelapseOptions): Promise<Blob> => this.exports.timelapse.export(format, options);

  /** The run as the CLI's --json: {config, racers: [{name, optimizer, hyperparameters, losses, accuracy, diverged, …}]}, a search's `search` and `trials`. */
  json(): ReturnType<RaceController['json']> {
    return withTrials(this.race.json(), this.sweep.active, this.race.engine?.config.seed ?? this.seed, this.history);
  }

  /** Resolves once the racer editor inside has rendered too. */
  protected override async getUpdateComplete(): Promise<boolean> {
    const done = await super.getUpdateComplete();
    await this.renderRoot?.querySelector('racer-editor')?.updateComplete;
    return done;
  }

  protected override updated(changed: PropertyValues<this>): void {
    // Written on change only: the first render shows what was read, and a page's own anchors stay.
    const configKeys = ['iterations', 'batchSize', 'seed', 'evalEvery', 'network', 'drafts', 'preset'];
    if (this.firstRendered && configKeys.some((k) => changed.has(k as keyof OptimizerRace))) this.hash.write();
    this.firstRendered = true;
    if (this.autostart && !this.autostarted && this.data.state === 'ready' && !this.device.checking && this.device.backend && this.config) {
      void this.start();
    }
  }

  private get numbers(): RaceNumbers {
    return { iterations: this.iterations, batchSize: this.batchSize, seed: this.seed, evalEvery: this.evalEvery };
  }

  /** The settings' and racers' validation (recomputed when they change). */
  private get check(): SettingsCheck {
    return this.checker.check(this.numbers, this.network, this.drafts, this.data.dataset?.trainCount);
  }

  /** Replaces the note starting with `prefix` (null: removes it). */
  private note(prefix: string, text: string | null): void {
    this.notes = [...this.notes.filter((n) => !n.startsWith(prefix)), ...(text ? [text] : [])];
  }

  /** The race Start runs: the settings once the data has loaded, or null while either is missing or invalid. */
  private async plan(): Promise<RacePlan | null> {
    if (this.data.state === 'loading') await this.data.loading;
    const [config, dataset] = [this.config, this.data.dataset];
    if (!config || !dataset) return null;
    const colors = this.check.racers.racers?.map((r) => r.color ?? '#888888') ?? [];
    return { config, dataset, colors, grouped: this.sweep.active !== null, weightsFiles: weightsFileNames(this.drafts) };
  }

  private setDrafts(drafts: RacerDraft[]): void {
    this.drafts = drafts;
    this.preset = matchingPreset(drafts);
  }

  private choosePreset(value: string): void {
    if (!isPresetId(value)) return;
    this.sweep.adopt(kPresets[value].study ?? null);
    this.drafts = presetDrafts(value);
    this.preset = value;
  }

  // ---- rendering -----------------------------------------------------------------------------

  protected override render(): TemplateResult {
    const { race, data, device } = this;
    const engine = race.engine;
    const check = this.check;
    const locked = race.locked;
    const total = engine?.config.iterations ?? check.numbers.iterations;
    const xMax = Number.isFinite(total) && total > 0 ? total : undefined;
    const ready = data.state === 'ready' && data.dataset !== null && this.config !== null && device.backend !== null;
    const dataset = data.dataset ? describeDataset(data.dataset) : null;
    const badge = this.engineChoice.badge(engine?.backendKind ?? null, race.threads);
    const network = { draft: this.network, epochIterations: check.network.epochIterations, trainCount: data.dataset?.trainCount };
    const toolbar = { preset: this.preset, numbers: this.numbers, network, problems: check.fields, racerProblems: check.racers.problems.size > 0 };
    const progress = { status: race.status, engine: !!engine, iteration: engine?.iteration ?? 0, total, speed: race.speed };
    return html`
      <div class="race ${data.dragging ? 'dragging' : ''}" part="base"
        @dragenter=${data.dragOver} @dragover=${data.dragOver} @dragleave=${data.dragLeave} @drop=${data.drop}>
        ${renderDataBar({ data, dataset, locked, badge }, (files) => data.filesPicked(files))}
        ${renderNotices(
          { ...this.engineChoice.notice, data, hasSrc: !!this.src, raceError: race.error, notes: this.notes },
          { ...this.engineChoice.offers, data, restartGpu: () => void this.race.restartOnNewDevice() },
        )}
        ${renderToolbar({ ...toolbar, ...progress, locked, ready }, this.toolbarActions)}
        ${renderCharts({ lossSeries: race.lossSeries, accuracySeries: race.accuracySeries, xMax, yMax: kPresets[this.preset === 'custom' ? 'seed' : this.preset].yMax, config: engine?.config })}
        ${this.sweep.render({ history: this.history, iterations: total, revision: `${progress.iteration}:${this.history[0]?.accuracy.length ?? 0}`, locked })}
        ${renderResults({ history: this.history, colors: race.colors, finished: race.status === 'finished', testLabels: data.dataset?.testLabels ?? null }, this.exports, this.weights.render())}
        ${this.sweep.renderRacers({ problems: check.racers.problems, locked, iterations: total })}
        ${data.dragging ? html`<div class="drop-hint" aria-hidden="true">Drop the four MNIST IDX files (gzipped or raw)</div>` : nothing}
      </div>`;
  }
}
