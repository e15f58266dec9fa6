import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { describeDataset, imagePixels, type MnistDataset } from '../../data/dataset';
import type { LoadProgress } from '../../data/load';
import { kSeedSizes } from '../../nn/layout';
import { optimizerIds } from '../../optim/registry';
import { kPredictedDigits } from '../../race/backend';
import { checkRaceSettings, kRaceSettingNames, kSeedRace, type RaceConfig, type RaceSettingName, type RaceSettingsProblems } from '../../race/config';
import { kRaceLimits } from '../../race/limits';
import type { RaceProgress, RaceStatus, RacerHistory } from '../../race/engine';
import '../charts/accuracy-chart';
import type { AccuracySeries } from '../charts/accuracy-chart';
import '../charts/loss-chart';
import type { LossSeries } from '../charts/loss-chart';
import { themeTokens } from '../theme';
import { loadDataset, type DataRequest } from './data-loader';
import { drawDigit, parseRgb, renderDigitGrid } from './digit-grid';
import type { MnistRaceFinishedDetail, OptimizerRaceEventMap, RaceProgressDetail } from './events';
import { accuracyCsv, download, downloadText, lossCsv, raceJson } from './export';
import { leaderboardRows, renderLeaderboard } from './leaderboard';
import { RaceController, type BackendKind } from './race-controller';
import { renderRacerEditor } from './racer-editor';
import {
  checkDrafts, draftsFromSpecs, kPresets, markersFor, matchingPreset, newDraft, presetDrafts, specFromDraft,
  type DraftCheck, type PresetChoice, type PresetId, type RacerDraft, type RacerSpec,
} from './racers';
import { styles } from './optimizer-race.styles';
import { decodeSettings, encodeSettings, readHashPart, writeHashPart } from './url-state';

/** The part of <loss-chart> and <accuracy-chart> (src/ui/charts) this element drives. */
interface ChartElement extends HTMLElement {
  refresh(): void;
  toPNG(): Promise<Blob>;
}

/** Iterations offered by default on the CPU reference (about a second each for the seed's race). */
export const kCpuIterations = 100;
const kMaxRacers = kRaceLimits.racers.max;

type DataState = 'loading' | 'ready' | 'error';

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The `racers` attribute is JSON; what does not parse is handed on as text and reported. */
const racersConverter = {
  fromAttribute: (value: string | null): unknown => {
    if (value === null) return null;
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  },
  toAttribute: (value: unknown): string => JSON.stringify(value),
};

/**
 * The seed's optimizer_compare_mnist experiment, live: six 784-100-100-100-100-10 networks, one per
 * optimizer, train on the same MNIST minibatches on WebGPU (every racer in one submit per chunk),
 * with live loss and test-accuracy charts, a leaderboard, the first test digits with each racer's
 * predictions, exports, and the configuration in the URL hash. Without WebGPU it says why and
 * offers the float64 CPU reference in a Web Worker.
 *
 * Attributes / properties:
 * - `iterations` (number, default 2000), `batch-size` / `batchSize` (128), `seed` (1),
 *   `eval-every` / `evalEvery` (100: test accuracy every this many iterations and at the end).
 * - `src`: URL of a folder holding the four standard MNIST files (train-images-idx3-ubyte.gz,
 *   train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz). Default:
 *   full MNIST from the app's `data/mnist/` when present, else the embedded 8,000/2,000 subset.
 *   The user can also pick or drop the four IDX files (gzipped or raw).
 * - `racers`: JSON array (attribute) or array (property) of
 *   `{optimizer, hyperparameters?, init?: 'he'|'xavier'|std, activation?: 'relu'|'sigmoid'|'tanh', name?, color?}`.
 * - `autostart` (boolean): start once the data is loaded (on WebGPU, or with `force-cpu`).
 * - `force-cpu` (boolean): race on the CPU reference even when WebGPU works.
 * - `hash-key` (default "race"): the URL-hash key holding the configuration (`#race=…`); give
 *   each instance on a page its own, or "" to leave the URL alone.
 *
 * Methods: `start()`, `pause()`, `resume()`, `step()`, `reset()` (each resolves when done; start
 * and resume when the race stops). Removing the element from the page ends its race and frees
 * its GPU buffers; several elements on one page share one GPUDevice and one set of pipelines. `.history`: per racer `{name, optimizer, hyperparameters, init,
 * activation, losses, accuracy: [{iteration, test}], diverged: iteration | null, predictions}`.
 * `.mnist` (the loaded data), `.status`, `.backend`; export builders: `lossCsv()`, `accuracyCsv()`, `json()`.
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
export class OptimizerRace extends LitElement {
  static override styles = [themeTokens, styles];

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

  /** Race on the float64 CPU reference (in a Web Worker) even where WebGPU works. */
  @property({ type: Boolean, attribute: 'force-cpu' }) forceCpu = false;

  /** Key of this element's part of the URL hash; "" leaves the URL alone. */
  @property({ attribute: 'hash-key' }) hashKey = 'race';

  @state() private drafts: RacerDraft[] = presetDrafts('seed');
  @state() private preset: PresetChoice = 'seed';
  @state() private dataState: DataState = 'loading';
  @state() private loadProgress: { loaded: number; total: number | undefined } = { loaded: 0, total: undefined };
  @state() private dataError: string | null = null;
  @state() private dataNote: string | null = null;
  @state() private notes: string[] = [];
  @state() private raceError: string | null = null;
  @state() private cpuAccepted = false;
  @state() private dragging = false;
  @state() private lossSeries: LossSeries[] = [];
  @state() private accuracySeries: AccuracySeries[] = [];

  private _dataset: MnistDataset | null = null;
  /** Colours of the racers in the current engine (history order). */
  private raceColors: string[] = [];
  private raceDataset: MnistDataset | null = null;
  private checked: { drafts: RacerDraft[]; check: DraftCheck } | null = null;
  private checkedSettings: { key: string; problems: RaceSettingsProblems } | null = null;
  private loadAbort: AbortController | null = null;
  private loading: Promise<void> = Promise.resolve();
  private hashRead = false;
  private firstRendered = false;
  private lastHash: string | null = null;
  private autostarted = false;
  private finishedFired = false;
  private digitsDrawn: MnistDataset | null = null;
  private readonly race = new RaceController(this, {
    progress: (p) => this.onProgress(p),
    evaluation: () => this.accuracyChart()?.refresh(),
    diverged: (racer, iteration) => {
      if (this.lossSeries[racer]) this.lossSeries[racer].diverged = iteration;
    },
    status: (s) => this.onStatus(s),
    error: (error) => { this.raceError = error.message; },
  });
  private readonly colorScheme = window.matchMedia?.('(prefers-color-scheme: dark)');
  private readonly onSchemeChange = (): void => { this.digitsDrawn = null; this.requestUpdate(); };
  private readonly onHashChange = (): void => this.readHash(false);

  // ---- public API ----------------------------------------------------------------------------

  /** The racers as configured (numbers that do not parse are NaN). Setting replaces them. */
  @property({ attribute: 'racers', converter: racersConverter })
  get racers(): RacerSpec[] {
    return this.drafts.map(specFromDraft);
  }
  set racers(value: RacerSpec[]) {
    const old = this.racers;
    if (value === null || value === undefined) return;
    try {
      this.drafts = draftsFromSpecs(value);
      this.preset = matchingPreset(this.drafts);
      this.notes = this.notes.filter((n) => !n.startsWith('racers:'));
    } catch (error) {
      const text = typeof value === 'string' ? 'racers: not valid JSON' : `racers: ${message(error)}`;
      this.notes = [...this.notes.filter((n) => !n.startsWith('racers:')), `${text}. Keeping the previous racers.`];
    }
    this.requestUpdate('racers', old);
  }

  /** Per racer: name, optimizer, hyperparameters, init, activation, losses, accuracy checkpoints, diverged, predictions. */
  get history(): RacerHistory[] {
    return this.race.engine?.history ?? [];
  }

  /** The loaded MNIST data set, or null while loading. */
  get mnist(): MnistDataset | null {
    return this._dataset;
  }

  get status(): RaceStatus {
    return this.race.status;
  }

  /** The backend of the current race, or null before one starts. */
  get backend(): BackendKind | null {
    return this.race.engine?.backendKind ?? null;
  }

  /** The race that Start would run now, or null (with the reason shown) while an input is invalid. */
  get config(): RaceConfig | null {
    const racers = this.check.racers;
    if (!racers || this.settingsProblem()) return null;
    return {
      sizes: [...kSeedSizes], iterations: this.iterations, batchSize: this.batchSize, seed: this.seed, evalEvery: this.evalEvery,
      racers: racers.map(({ color: _color, ...racer }) => racer),
    };
  }

  /**
   * Starts a new race (or resumes a paused one) once the data is loaded; resolves when it stops.
   * Errors are shown in the element (and `.status` is "error").
   */
  async start(): Promise<void> {
    const engine = this.race.engine;
    if (engine && engine.status === 'running') return;
    if (engine && engine.status === 'paused') return this.resume();
    if (!(await this.createEngine())) return;
    await this.race.engine?.start().catch(() => undefined);
  }

  /** Stops after the chunk in flight. */
  pause(): void {
    this.race.engine?.pause();
  }

  async resume(): Promise<void> {
    const engine = this.race.engine;
    if (!engine || engine.status !== 'paused') return;
    await engine.resume().catch(() => undefined);
  }

  /** Exactly one more iteration (starting a race when none is under way). */
  async step(): Promise<void> {
    let engine = this.race.engine;
    if (engine?.status === 'running') return;
    if (!engine || engine.status === 'finished' || engine.status === 'error') {
      if (!(await this.createEngine())) return;
      engine = this.race.engine;
    }
    await engine?.step().catch(() => undefined);
  }

  /** Stops the race and clears its history and charts; the racers stay as configured. */
  async reset(): Promise<void> {
    this.race.destroy();
    this.lossSeries = [];
    this.accuracySeries = [];
    this.raceColors = [];
    this.raceError = null;
    this.finishedFired = false;
    await this.updateComplete;
  }

  /** The losses CSV of the current race (columns: iteration, then one per racer). */
  lossCsv(): string {
    return lossCsv(this.history);
  }

  /** The accuracy CSV (columns: iteration, then one per racer; one row per checkpoint). */
  accuracyCsv(): string {
    return accuracyCsv(this.history);
  }

  /** The run as the CLI's --json: {config, racers: [{name, optimizer, hyperparameters, losses, accuracy, diverged, …}]}. */
  json(): ReturnType<typeof raceJson> | null {
    const engine = this.race.engine;
    const data = this.raceDataset;
    if (!engine || !data) return null;
    return raceJson(engine.config, engine.history, this.raceColors,
      { source: data.source, trainCount: data.trainCount, testCount: data.testCount }, engine.backendKind);
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.hashRead) {
      this.hashRead = true;
      this.readHash(true);
    }
    window.addEventListener('hashchange', this.onHashChange);
    this.colorScheme?.addEventListener('change', this.onSchemeChange);
    if (!this._dataset) this.loadData(this.dataRequest());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.onHashChange);
    this.colorScheme?.removeEventListener('change', this.onSchemeChange);
    this.loadAbort?.abort();
    this.loadAbort = null;
    if (this.dataState === 'loading' && this._dataset) this.dataState = 'ready';
    // The controller destroys the engine (and its GPU buffers); the charts forget its arrays.
    this.lossSeries = [];
    this.accuracySeries = [];
    this.raceColors = [];
  }

  /** The drafts' validation, recomputed when they change. */
  private get check(): DraftCheck {
    if (this.checked?.drafts !== this.drafts) this.checked = { drafts: this.drafts, check: checkDrafts(this.drafts) };
    return this.checked.check;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // A new src loads at once (the first one loads from connectedCallback).
    if (changed.has('src') && this.firstRendered && this.isConnected) this.loadData(this.dataRequest());
  }

  protected override updated(changed: PropertyValues<this>): void {
    // Written on change only: the first render shows what was read, and a page's own anchors stay.
    const configKeys = ['iterations', 'batchSize', 'seed', 'evalEvery', 'drafts', 'preset'];
    if (this.firstRendered && configKeys.some((k) => changed.has(k as keyof OptimizerRace))) this.writeHash();
    this.firstRendered = true;
    if (this._dataset && this.digitsDrawn !== this._dataset) this.drawDigits();
    this.maybeAutostart();
  }

  // ---- data ----------------------------------------------------------------------------------

  private dataRequest(): DataRequest {
    return this.src ? { kind: 'url', url: this.src } : { kind: 'default' };
  }

  /** Starts loading (aborting a load under way); `this.loading` settles when the data is there or has failed. */
  private loadData(request: DataRequest): void {
    this.loadAbort?.abort();
    const abort = new AbortController();
    this.loadAbort = abort;
    this.loading = this.load(request, abort.signal).finally(() => {
      if (this.loadAbort === abort) this.loadAbort = null;
    });
  }

  private async load(request: DataRequest, signal: AbortSignal): Promise<void> {
    const previous = this._dataset;
    this.dataState = 'loading';
    this.loadProgress = { loaded: 0, total: undefined };
    const options = {
      signal,
      onProgress: ({ loadedBytes, totalBytes }: LoadProgress) => { this.loadProgress = { loaded: loadedBytes, total: totalBytes }; },
    };
    try {
      const dataset = await loadDataset(request, options);
      if (signal.aborted) return;
      this.setDataset(dataset);
      this.dataError = null;
      this.dataNote = null;
      return;
    } catch (error) {
      if (signal.aborted) return;
      const what = request.kind === 'url' ? `Could not load MNIST from ${request.url}` : request.kind === 'files'
        ? 'Could not read those files' : 'Could not load MNIST';
      this.dataError = `${what}: ${message(error)}`;
    }
    if (previous) {
      this._dataset = previous;
      this.dataState = 'ready';
      this.dataNote = `Still using the ${describeDataset(previous)}.`;
      return;
    }
    if (request.kind === 'default') {
      this.dataState = 'error';
      return;
    }
    // Keep the element usable: fall back to the server's data, with the error still shown.
    this.dataNote = 'Loading the default data set instead.';
    try {
      const dataset = await loadDataset({ kind: 'default' }, options);
      if (signal.aborted) return;
      this.setDataset(dataset);
      this.dataNote = `Racing on the ${describeDataset(dataset)} instead.`;
    } catch (error) {
      if (signal.aborted) return;
      this.dataState = 'error';
      this.dataNote = `The default data set failed too: ${message(error)}`;
    }
  }

  private setDataset(dataset: MnistDataset): void {
    if (this._dataset && this._dataset !== dataset && this.race.engine) void this.reset();
    this._dataset = dataset;
    this.dataState = 'ready';
  }

  private retryData(): void {
    this.dataError = null;
    this.dataNote = null;
    this.loadData(this.dataRequest());
  }

  private filesPicked(files: FileList | null): void {
    if (!files || files.length === 0) return;
    this.dataError = null;
    this.dataNote = null;
    this.loadData({ kind: 'files', files: [...files] });
  }

  private drawDigits(): void {
    const dataset = this._dataset;
    if (!dataset) return;
    const canvases = this.renderRoot.querySelectorAll<HTMLCanvasElement>('.digit canvas');
    if (canvases.length === 0) return;
    const ink = parseRgb(getComputedStyle(canvases[0]).color);
    canvases.forEach((canvas, n) => {
      if (n < dataset.testCount) drawDigit(canvas, imagePixels(dataset, 'test', n), dataset.rows, dataset.cols, ink);
    });
    this.digitsDrawn = dataset;
  }

  // ---- race ----------------------------------------------------------------------------------

  /** Every setting's problem at once (one check per change, not per field per render). */
  private get settingsProblems(): RaceSettingsProblems {
    const key = `${this.iterations}/${this.batchSize}/${this.seed}/${this.evalEvery}`;
    if (this.checkedSettings?.key !== key) {
      this.checkedSettings = { key, problems: checkRaceSettings({ iterations: this.iterations, batchSize: this.batchSize, seed: this.seed, evalEvery: this.evalEvery }) };
    }
    return this.checkedSettings.problems;
  }

  private settingsProblem(): string | null {
    return kRaceSettingNames.map((name) => this.settingsProblems[name]).find((p) => p !== undefined) ?? null;
  }

  /** Problem with one setting (the engine's own message). */
  private fieldProblem(field: RaceSettingName): string | null {
    return this.settingsProblems[field] ?? null;
  }

  private backendToUse(): BackendKind | null {
    if (this.forceCpu || this.cpuAccepted) return 'cpu';
    return this.race.gpu === 'ready' || this.race.gpu === 'checking' ? 'webgpu' : null;
  }

  private async createEngine(): Promise<boolean> {
    if (this.dataState === 'loading') await this.loading;
    const config = this.config;
    const dataset = this._dataset;
    if (!config || !dataset) return false;
    if (this.race.gpu === 'checking') await this.race.probe();
    const kind = this.backendToUse();
    if (!kind) return false;
    this.raceError = null;
    this.finishedFired = false;
    const colors = this.check.racers?.map((r) => r.color ?? '#888888') ?? [];
    try {
      const engine = await this.race.create(config, dataset, kind);
      const markers = markersFor(config.racers.map((r) => r.optimizer));
      this.raceColors = colors;
      this.raceDataset = dataset;
      this.lossSeries = engine.history.map((h, r) => ({ name: h.name, color: colors[r], marker: markers[r], losses: h.losses, diverged: h.diverged }));
      this.accuracySeries = engine.history.map((h, r) => ({ name: h.name, color: colors[r], marker: markers[r], points: h.accuracy }));
      return true;
    } catch (error) {
      this.raceError = `Could not set up the race on ${kind === 'webgpu' ? 'WebGPU' : 'the CPU'}: ${message(error)}`;
      return false;
    }
  }

  private onProgress(p: RaceProgress): void {
    this.lossChart()?.refresh();
    const detail: RaceProgressDetail = { iteration: p.iteration, iterations: p.iterations, losses: p.losses, speed: p.speed };
    this.dispatchEvent(new CustomEvent('race-progress', { detail, bubbles: true, composed: true }));
  }

  private onStatus(status: RaceStatus): void {
    if (status !== 'finished' || this.finishedFired || !this.race.engine) return;
    this.finishedFired = true;
    this.lossChart()?.refresh();
    this.accuracyChart()?.refresh();
    const detail: MnistRaceFinishedDetail = { history: this.race.engine.history, backend: this.race.engine.backendKind };
    this.dispatchEvent(new CustomEvent('race-finished', { detail, bubbles: true, composed: true }));
  }

  private maybeAutostart(): void {
    if (!this.autostart || this.autostarted || this.dataState !== 'ready' || this.race.gpu === 'checking') return;
    if (!this.backendToUse() || !this.config) return;
    this.autostarted = true;
    void this.start();
  }

  private acceptCpu(): void {
    this.cpuAccepted = true;
    if (this.iterations === kSeedRace.iterations) this.iterations = kCpuIterations;
  }

  private async retryGpu(): Promise<void> {
    await this.reset();
    this.cpuAccepted = false;
    await this.race.probe();
  }

  /** Top of the loss chart's fixed y range: 1 as in the seed's figure, 2.5 for the weight-init race as in the book. */
  private yMax(): number {
    return this.preset === 'init' ? kPresets.init.yMax : kPresets.seed.yMax;
  }

  private plannedIterations(): number | undefined {
    return Number.isFinite(this.iterations) && this.iterations > 0 ? this.iterations : undefined;
  }

  /** A chart element once its definition has loaded (until then it is a plain element). */
  private chart(tag: 'loss-chart' | 'accuracy-chart'): ChartElement | null {
    const element = this.renderRoot?.querySelector<ChartElement>(tag);
    return element && typeof element.refresh === 'function' ? element : null;
  }

  private lossChart(): ChartElement | null {
    return this.chart('loss-chart');
  }

  private accuracyChart(): ChartElement | null {
    return this.chart('accuracy-chart');
  }

  // ---- editing -------------------------------------------------------------------------------

  private get locked(): boolean {
    const s = this.race.engine?.status;
    return s === 'running' || s === 'paused';
  }

  private setDrafts(drafts: RacerDraft[]): void {
    this.drafts = drafts;
    this.preset = matchingPreset(drafts);
  }

  private choosePreset(value: string): void {
    if (value !== 'seed' && value !== 'init') return;
    this.drafts = presetDrafts(value);
    this.preset = value;
  }

  private setNumber(field: 'iterations' | 'batchSize' | 'seed' | 'evalEvery', e: Event): void {
    const input = e.target as HTMLInputElement;
    if (input.validity.badInput) return;
    this[field] = input.value.trim() === '' ? NaN : Number(input.value);
  }

  // ---- URL hash ------------------------------------------------------------------------------

  private readHash(initial: boolean): void {
    if (!this.hashKey || this.locked) return;
    const part = readHashPart(location.hash, this.hashKey);
    if (part === null || part === this.lastHash) return;
    this.lastHash = part;
    try {
      const settings = decodeSettings(part);
      this.iterations = settings.iterations;
      this.batchSize = settings.batchSize;
      this.seed = settings.seed;
      this.evalEvery = settings.evalEvery;
      this.drafts = settings.racers;
      this.preset = settings.preset === 'custom' ? matchingPreset(settings.racers) : settings.preset;
      this.notes = this.notes.filter((n) => !n.startsWith('The link'));
    } catch (error) {
      const note = `The link's race settings could not be read (${message(error)}); using the defaults.`;
      this.notes = [...this.notes.filter((n) => !n.startsWith('The link')), note];
      if (!initial) this.choosePreset('seed');
    }
  }

  private writeHash(): void {
    if (!this.hashKey) return;
    const value = encodeSettings({
      iterations: this.iterations, batchSize: this.batchSize, seed: this.seed, evalEvery: this.evalEvery,
      preset: this.preset, racers: this.drafts,
    });
    if (value === this.lastHash) return;
    this.lastHash = value;
    history.replaceState(history.state, '', writeHashPart(location.hash, this.hashKey, value));
  }

  // ---- exports -------------------------------------------------------------------------------

  private async exportPng(chart: ChartElement | null, filename: string): Promise<void> {
    if (!chart) return;
    try {
      download(await chart.toPNG(), filename);
    } catch (error) {
      this.raceError = `Could not export the chart: ${message(error)}`;
    }
  }

  // ---- drag and drop -------------------------------------------------------------------------

  private dragOver(e: DragEvent): void {
    if (!e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    this.dragging = true;
  }

  private drop(e: DragEvent): void {
    this.dragging = false;
    if (!e.dataTransfer?.files.length) return;
    e.preventDefault();
    if (this.locked) {
      this.dataError = 'Reset the race before loading other data.';
      return;
    }
    this.filesPicked(e.dataTransfer.files);
  }

  // ---- rendering -----------------------------------------------------------------------------

  protected override render(): TemplateResult {
    const history = this.history;
    const status = this.race.status;
    const colors = this.raceColors;
    return html`
      <div class="race ${this.dragging ? 'dragging' : ''}" part="base"
        @dragenter=${this.dragOver} @dragover=${this.dragOver}
        @dragleave=${(e: DragEvent) => { if (e.target === e.currentTarget) this.dragging = false; }}
        @drop=${this.drop}>
        ${this.renderDataBar()}
        ${this.renderNotices()}
        ${this.renderToolbar()}
        <div class="charts">
          <section class="card loss-card" part="loss-card" aria-labelledby="loss-title">
            <header class="card-head">
              <h3 id="loss-title">Training loss</h3>
              <span class="hint">per minibatch, smoothed as in the seed</span>
            </header>
            <loss-chart .series=${this.lossSeries} .yMax=${this.yMax()} .xMax=${this.race.engine?.config.iterations ?? this.plannedIterations()}></loss-chart>
          </section>
          <section class="card accuracy-card" part="accuracy-card" aria-labelledby="accuracy-title">
            <header class="card-head"><h3 id="accuracy-title">Test accuracy</h3></header>
            <accuracy-chart .series=${this.accuracySeries} .xMax=${this.race.engine?.config.iterations ?? this.plannedIterations()}></accuracy-chart>
          </section>
        </div>
        <div class="results">
          <section class="card" aria-labelledby="board-title">
            <header class="card-head"><h3 id="board-title">Leaderboard</h3>
              <span class="hint">${history.length ? 'ranked by test accuracy' : 'starts with the race'}</span></header>
            ${history.length ? renderLeaderboard(leaderboardRows(history, colors), status === 'finished')
              : html`<p class="empty">Press Start: each racer's loss and accuracy appear here.</p>`}
            ${this.renderExport()}
          </section>
          <section class="card digits-card" aria-labelledby="digits-title">
            <header class="card-head"><h3 id="digits-title">First ${kPredictedDigits} test digits</h3>
              <span class="hint">each racer's guess at the last evaluation</span></header>
            ${renderDigitGrid(this._dataset?.testLabels ?? null, history.map((h, r) => ({
              name: h.name, color: colors[r], predictions: h.predictions, diverged: h.diverged !== null,
            })))}
          </section>
        </div>
        <details class="card racers-card" open>
          <summary><h3>Racers <span class="count">(${this.drafts.length})</span></h3></summary>
          ${renderRacerEditor({
            drafts: this.drafts, problems: this.check.problems, locked: this.locked, maxRacers: kMaxRacers,
            update: (key, change) => this.setDrafts(this.drafts.map((d) => (d.key === key ? { ...d, ...change } : d))),
            remove: (key) => this.setDrafts(this.drafts.filter((d) => d.key !== key)),
            add: () => {
              const used = new Set(this.drafts.map((d) => d.optimizer));
              const optimizer = optimizerIds().find((o) => !used.has(o)) ?? 'adam';
              this.setDrafts([...this.drafts, newDraft(optimizer, this.drafts.map((d) => d.color))]);
            },
          })}
        </details>
        ${this.dragging ? html`<div class="drop-hint" aria-hidden="true">Drop the four MNIST IDX files (gzipped or raw)</div>` : nothing}
      </div>`;
  }

  private renderDataBar(): TemplateResult {
    const { loaded, total } = this.loadProgress;
    const dataset = this._dataset;
    const backend = this.race.engine?.backendKind ?? this.backendToUse();
    const gpuLabel = this.race.gpu === 'checking' && !this.forceCpu ? 'checking WebGPU…' : backend === 'webgpu' ? 'WebGPU' : backend === 'cpu' ? 'CPU reference' : 'no WebGPU';
    return html`
      <div class="databar">
        <span class="dataset" data-state=${this.dataState}>
          ${this.dataState === 'loading' ? 'Loading MNIST…' : dataset ? describeDataset(dataset) : 'No data loaded'}
        </span>
        ${this.dataState === 'loading' ? html`
          <progress class="load" aria-label="Loading MNIST" max=${total ?? nothing} value=${total ? loaded : nothing}></progress>
          <span class="hint">${(loaded / 1e6).toFixed(1)}${total ? ` / ${(total / 1e6).toFixed(1)}` : ''} MB</span>` : nothing}
        <label class="button file-button" title="Pick the four MNIST IDX files (train/test images and labels, gzipped or raw), or drop them here">
          <input class="visually-hidden" type="file" multiple accept=".gz,.ubyte,.idx,.idx1-ubyte,.idx3-ubyte,application/gzip,application/octet-stream"
            aria-label="Load MNIST IDX files" ?disabled=${this.locked}
            @change=${(e: Event) => { const input = e.target as HTMLInputElement; this.filesPicked(input.files); input.value = ''; }}>
          Load IDX files…
        </label>
        <span class="badge ${backend ?? 'none'}" part="backend">${gpuLabel}</span>
      </div>`;
  }

  private renderNotices(): TemplateResult {
    const gpuBlocked = !this.forceCpu && !this.cpuAccepted && (this.race.gpu === 'unavailable' || this.race.gpu === 'lost');
    const lostMidRace = this.race.gpu === 'lost';
    return html`
      ${this.dataError ? html`<div class="notice error" part="message" role="alert">
        <p>${this.dataError}</p>
        ${this.dataNote ? html`<p>${this.dataNote}</p>` : nothing}
        <div class="notice-actions">
          <button type="button" @click=${() => this.retryData()}>Retry</button>
          ${this.src ? html`<button type="button" @click=${() => { this.dataError = null; this.dataNote = null; this.loadData({ kind: 'default' }); }}>Use the default data</button>` : nothing}
          <button type="button" class="link" @click=${() => { this.dataError = null; this.dataNote = null; }} aria-label="Dismiss the loading error">Dismiss</button>
        </div>
      </div>` : this.dataState === 'error' ? html`<div class="notice error" part="message" role="alert">
        <p>MNIST could not be loaded. ${this.dataNote ?? ''}</p>
        <div class="notice-actions"><button type="button" @click=${() => this.retryData()}>Retry</button></div>
      </div>` : nothing}
      ${gpuBlocked ? html`<div class="notice warn" part="message" role="status">
        <p><strong>${lostMidRace ? 'The GPU device was lost.' : 'WebGPU is not available.'}</strong> ${this.race.gpuMessage}</p>
        <p>The race can run on the CPU reference instead (the same arithmetic in float64, in a Web Worker so the page
          stays responsive). It is slow, about a second per iteration for the seed's six racers, so it starts with
          ${kCpuIterations} iterations.</p>
        <div class="notice-actions">
          <button type="button" class="primary" @click=${() => this.acceptCpu()}>Race on the CPU</button>
          ${lostMidRace ? html`<button type="button" @click=${() => void this.retryGpu()}>Try WebGPU again</button>` : nothing}
        </div>
      </div>` : nothing}
      ${this.cpuAccepted && !this.forceCpu ? html`<p class="notice info" part="message" role="status">
        Racing on the CPU reference: about a second per iteration for six racers. Fewer racers or a smaller batch go faster.</p>` : nothing}
      ${this.raceError && !(lostMidRace && /GPU device was lost/.test(this.raceError))
        ? html`<div class="notice error" part="message" role="alert"><p>${this.raceError}</p></div>` : nothing}
      ${this.notes.map((n) => html`<div class="notice warn" part="message" role="status"><p>${n}</p></div>`)}`;
  }

  private renderToolbar(): TemplateResult {
    const engine = this.race.engine;
    const status = this.race.status;
    const iteration = engine?.iteration ?? 0;
    const total = engine?.config.iterations ?? this.iterations;
    const ready = this.dataState === 'ready' && this._dataset !== null && this.config !== null && this.backendToUse() !== null;
    const running = status === 'running';
    const paused = status === 'paused';
    const primaryLabel = running ? 'Pause' : paused ? 'Resume' : status === 'finished' ? 'Race again' : 'Start';
    const field = (name: RaceSettingName, label: string) => {
      const { min, max } = kRaceLimits[name];
      const problem = this.fieldProblem(name);
      return html`
        <label class="field narrow">
          <span>${label}</span>
          <input type="number" min=${min} max=${max} step="1" data-setting=${name} .value=${Number.isFinite(this[name]) ? String(this[name]) : ''}
            aria-invalid=${problem ? 'true' : 'false'} aria-describedby=${problem ? `${name}-error` : nothing}
            ?disabled=${this.locked} @input=${(e: Event) => this.setNumber(name, e)}>
        </label>`;
    };
    const problems = kRaceSettingNames.flatMap((name) => {
      const problem = this.fieldProblem(name);
      return problem ? [html`<p class="error" id="${name}-error">${problem}</p>`] : [];
    });
    const racerProblems = this.check.problems.size > 0;
    return html`
      <div class="toolbar" part="toolbar">
        <div class="settings">
          <label class="field preset">
            <span>Preset</span>
            <select data-setting="preset" ?disabled=${this.locked} @change=${(e: Event) => this.choosePreset((e.target as HTMLSelectElement).value)}>
              ${(Object.keys(kPresets) as PresetId[]).map((id) => html`<option value=${id} ?selected=${this.preset === id}>${kPresets[id].label}</option>`)}
              <option value="custom" disabled ?selected=${this.preset === 'custom'}>Custom racers</option>
            </select>
          </label>
          ${field('iterations', 'Iterations')}
          ${field('batchSize', 'Batch size')}
          ${field('seed', 'Seed')}
          ${field('evalEvery', 'Evaluate every')}
        </div>
        <div class="controls">
          <button type="button" class="primary" data-action="start" ?disabled=${!running && !paused && !ready}
            @click=${() => (running ? this.pause() : paused ? void this.resume() : void this.start())}>${primaryLabel}</button>
          <button type="button" data-action="step" ?disabled=${running || (!paused && !ready)}
            title="Run exactly one more iteration" @click=${() => void this.step()}>Step</button>
          <button type="button" data-action="reset" ?disabled=${!engine} @click=${() => void this.reset()}>Reset</button>
          <div class="progress">
            <progress aria-label="Race progress" max=${total > 0 && Number.isFinite(total) ? total : 1} value=${iteration}></progress>
            <output class="counter" data-readout="iteration">iteration ${iteration} / ${Number.isFinite(total) ? total : '–'}</output>
            <output class="counter" data-readout="speed" title="Iterations per second, all racers together"
              >${this.race.speed > 0 ? `${this.race.speed.toFixed(this.race.speed < 10 ? 1 : 0)} it/s` : '– it/s'}</output>
          </div>
        </div>
        ${problems}
        ${racerProblems ? html`<p class="error">Fix the highlighted racer settings to start.</p>` : nothing}
      </div>`;
  }

  private renderExport(): TemplateResult {
    const has = this.history.some((h) => h.losses.length > 0);
    return html`
      <div class="export" part="export" role="group" aria-labelledby="export-label">
        <span class="export-label" id="export-label">Export the run</span>
        <button type="button" data-export="loss-csv" ?disabled=${!has} @click=${() => downloadText(this.lossCsv(), 'optimizer-race-losses.csv', 'text/csv')}>Losses CSV</button>
        <button type="button" data-export="accuracy-csv" ?disabled=${!has} @click=${() => downloadText(this.accuracyCsv(), 'optimizer-race-accuracy.csv', 'text/csv')}>Accuracy CSV</button>
        <button type="button" data-export="json" ?disabled=${!has} @click=${() => downloadText(`${JSON.stringify(this.json(), null, 1)}\n`, 'optimizer-race.json', 'application/json')}>JSON</button>
        <button type="button" data-export="loss-png" ?disabled=${!has} @click=${() => void this.exportPng(this.lossChart(), 'optimizer-race-loss.png')}>Loss chart PNG</button>
        <button type="button" data-export="accuracy-png" ?disabled=${!has} @click=${() => void this.exportPng(this.accuracyChart(), 'optimizer-race-accuracy.png')}>Accuracy chart PNG</button>
      </div>`;
  }
}

/** Typed listeners: `race-finished` on this element carries {history, backend}. */
export interface OptimizerRace {
  addEventListener<K extends keyof OptimizerRaceEventMap>(type: K, listener: (this: OptimizerRace, ev: OptimizerRaceEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof OptimizerRaceEventMap>(type: K, listener: (this: OptimizerRace, ev: OptimizerRaceEventMap[K]) => unknown, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}
