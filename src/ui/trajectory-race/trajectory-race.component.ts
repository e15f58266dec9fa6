import type { BackendKind } from '../../gpu/backend-kind';
import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { OptimizerId } from '../../optim/registry';
import { isFunctionId, kFunctions, type Function2D, type Point } from '../../race2d/functions';
import { kTypedStart } from '../../race2d/typed-function';
import { kRaceLimits } from '../../race/limits';
import { kSeedTrajectoryRace, type TrajectoryResult } from '../../race2d/trajectory';
import { renderDeviceLost } from '../device-loss';
import { HashState } from '../hash-state';
import { themeTokens } from '../theme';
import { StepAnimation } from './animation';
import { ExportMenu, exportMenuStyles } from './export/export-menu';
import type { AnimationFormat, AnimationOptions, ImageFormat } from './export/export-options';
import type { RaceFinishedDetail } from './events';
import { renderExtraRacers } from './extra-racers';
import { FunctionField } from './function-field';
import { functionFieldStyles } from './function-field.styles';
import { inView, type View } from './path-geometry';
import { TrajectoryRaceController } from './race-controller';
import { renderGrid, renderOverlay, type RacePlotsHost } from './race-plots';
import { numberInput } from './racer-card';
import { seedRacerSettings, type RacerSetting } from './racer-settings';
import { StartPointInput } from './start-point';
import { renderSurfacePanel, surfacePanelStyles } from './surface-panel';
import type { SurfaceView } from './surface-view/surface-view.component';
import { styles } from './trajectory-race.styles';
import { decodeTrajectorySettings, encodeTrajectorySettings, kTrajectoryHashKey, type RaceView, type TrajectorySettings } from './url-state';
import { checkRace, type RaceCheck } from './validation';
import { formatViewBox, functionInView, parseViewBox, renderViewBoxControl, renderViewBoxError } from './view-box';
import { pointParts, pointText } from '../../util/point-text';
import { roundSignificant } from '../../util/short-number';

export type { RaceView } from './url-state';
export type { AnimationOptions } from './export/export-options';

/** Below this element width the overlay plot is drawn at the panels' size. */
const kCompactWidth = 600;

/** Hash writes wait for the input to settle: a dragged slider would otherwise call replaceState every frame. */
const kHashWriteMs = 250;

/**
 * The seed's optimizer_compare_naive figure, live: six optimizers race on a 2D function from one
 * start point, each update computed by the WGSL optimizer kernels (the float64 TypeScript
 * reference when WebGPU is unavailable). A 3x2 grid of panels or all paths on one plot, over
 * contour lines of the function; every hyperparameter, the steps, the start (type it, click or
 * drag on a plot, or arrow keys on a focused plot), the function (a named one or a typed f(x, y))
 * and the view box can be changed, and the paths can be revealed step by step with the optimizer's
 * state drawn at the step shown. The settings live in the URL hash (`#race2d=…`, ./url-state.ts).
 *
 * @fires race-finished - CustomEvent<{results, backend}> each time new paths are computed.
 *
 * @csspart base - the element's outer box
 * @csspart toolbar - the row of race controls
 * @csspart backend - the badge naming the backend that produced the paths
 * @csspart message - inline notices (WebGPU unavailable, invalid input)
 * @csspart panel - one racer's card in the grid view
 * @csspart plot - each plot's <svg>
 * @csspart legend - the overlay view's list of racers
 *
 * @cssproperty --or-font - font family
 * @cssproperty --or-bg - background of plots and inputs
 * @cssproperty --or-surface - background of cards
 * @cssproperty --or-text - text and axes
 * @cssproperty --or-muted - secondary text, tick labels
 * @cssproperty --or-border - card and input borders
 * @cssproperty --or-accent - focus rings, active toggles
 * @cssproperty --or-danger - invalid input and divergence
 * @cssproperty --or-contour - contour lines
 * @cssproperty --or-radius - corner radius of cards
 */
export class TrajectoryRace extends LitElement {
  static override styles = [themeTokens, styles, functionFieldStyles, surfacePanelStyles, exportMenuStyles];

  /** The function raced on: seed, xy, x2xy, rosenbrock, beale, himmelblau, or a typed f(x, y) such as "sin(x)*y^2". Picking a named one resets the start and the view box. */
  @property({ reflect: true }) function = 'seed';

  /** Number of updates per racer (1 to 10000). */
  @property({ type: Number, reflect: true }) steps = kSeedTrajectoryRace.steps;

  /** Start point as "x,y"; defaults to the function's own start (the seed's is "-7,2"). */
  @property({ reflect: true }) start?: string;

  /** The plots' window as "xmin,xmax,ymin,ymax"; unset: the function's own (a typed function's is -5,5,-5,5). */
  @property({ reflect: true, attribute: 'view-box' }) viewBox?: string;

  /** "grid": one panel per racer (the seed's figure); "overlay": all paths on one plot with a legend. */
  @property({ reflect: true }) view: RaceView = 'grid';

  /** Show the 3D view of the surface with the paths (./surface-panel.ts) beside the contour view. */
  @property({ type: Boolean, reflect: true }) surface = false;

  /** Race on the float64 TypeScript reference even when WebGPU is available. */
  @property({ type: Boolean, reflect: true, attribute: 'force-cpu' }) forceCpu = false;

  /** Key of this element's part of the URL hash; "" leaves the URL alone. Unset: "race2d" for the first such element on the page. */
  @property({ attribute: 'hash-key' }) hashKey?: string;

  @state() private racers: RacerSetting[] = seedRacerSettings();

  private check!: RaceCheck;
  /** The function drawn: the last valid one (a bad typed text keeps the last race), in the view box. */
  private shown: Function2D | null = null;
  private lastFn: Function2D | null = null;
  private lastView: View | null = null;
  private viewBoxError: string | null = null;
  @state() private hashProblem: string | null = null;
  private readonly race = new TrajectoryRaceController(this, {
    config: () => this.check?.config ?? null,
    backendPreference: () => (this.forceCpu ? 'cpu' : 'auto'),
    finished: (detail) => this.finished(detail),
  });
  private readonly animation = new StepAnimation(this);
  private readonly functionField = new FunctionField(this);
  private readonly hash = new HashState<TrajectorySettings>(
    this,
    {
      key: () => this.hashKey,
      frozen: () => false,
      settings: () => ({ function: this.function, steps: this.steps, start: this.start ?? '', viewBox: this.viewBox, view: this.view, racers: this.racers }),
      apply: (settings) => this.applySettings(settings),
      invalid: (reason) => {
        this.hashProblem = reason;
      },
    },
    { defaultKey: kTrajectoryHashKey, encode: encodeTrajectorySettings, decode: decodeTrajectorySettings },
  );
  private hashTimer = 0;
  /** Narrow element: the overlay uses the panels' plot size so text and markers stay legible. */
  @state() private compact = false;
  private readonly resizeObserver = new ResizeObserver(([entry]) => {
    const compact = entry.contentRect.width < kCompactWidth;
    // Re-rendering inside the observer callback would resize the host again in the same frame.
    if (compact !== this.compact)
      requestAnimationFrame(() => {
        this.compact = compact;
      });
  });
  private readonly startInput = new StartPointInput(this);
  /** What the plots and racer cards read and change (./race-plots.ts, ./racer-card.ts). */
  private readonly plots: RacePlotsHost = {
    result: (optimizer) => this.results.find((r) => r.optimizer === optimizer),
    running: () => this.race.running,
    revealed: () => this.animation.revealed,
    check: () => this.check,
    updateRacer: (optimizer, change) => this.updateRacer(optimizer, change),
    slide: (setting, lr) => {
      this.live = true;
      this.updateRacer(setting.optimizer, { values: { ...setting.values, lr } });
    },
    racers: () => this.racers,
    results: () => this.results,
    compact: () => this.compact,
    startInput: this.startInput,
  };
  /** PNG, SVG, GIF and WebM of the figure (./export/): drawn off screen in `.export-stage`, so the race shown is untouched. */
  private readonly exporter = new ExportMenu(this, () => {
    const stage = this.renderRoot.querySelector<HTMLElement>('.export-stage');
    if (!this.shown || !stage) return 'Nothing to export yet: the race has no valid function.';
    const panels = [...this.renderRoot.querySelectorAll<HTMLElement>('.panel')];
    const columns = panels.filter((p) => p.offsetTop === panels[0].offsetTop).length;
    const surface = this.surface ? this.renderRoot.querySelector<SurfaceView>('surface-view') : null;
    return { plots: this.plots, fn: this.shown, view: this.view, columns, stage, surface: surface && 'camera' in surface ? surface : null };
  });
  private hasRaced = false;
  /** The last change came from a dragged slider: rerun within a frame, not after the typing debounce. */
  private live = false;

  /** Per included racer, as the engine returned them: optimizer, hyperparameters, path (steps + 1 [x, y] points). */
  get results(): TrajectoryResult[] {
    return this.race.results;
  }

  /** Which engine produced `.results`, or null before the first race. */
  get backend(): BackendKind | null {
    return this.race.backend;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.resizeObserver.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver.disconnect();
    clearTimeout(this.hashTimer);
  }

  /** Sets every input back to the seed's experiment. */
  resetToSeed(): void {
    this.animation.stop();
    this.racers = seedRacerSettings();
    this.function = kSeedTrajectoryRace.function;
    this.steps = kSeedTrajectoryRace.steps;
    this.start = pointText(kSeedTrajectoryRace.start);
    this.viewBox = undefined;
  }

  stopAnimation(): void {
    this.animation.stop();
  }

  /** The figure as shown (grid or overlay, contours, paths, names, the formula, the 3D view when on): PNG at the screen's pixel ratio, or SVG. */
  exportImage(format: ImageFormat): Promise<Blob> {
    return this.exporter.image(format);
  }

  /** The race unfolding step by step (the 3D view turning, when on): a GIF, or a WebM video where WebCodecs can encode one (else refused with a message suggesting GIF, or a GIF with `gifFallback`). */
  exportAnimation(format: AnimationFormat, options?: AnimationOptions): Promise<Blob> {
    return this.exporter.animation(format, options);
  }

  private applySettings(settings: TrajectorySettings): void {
    this.hashProblem = null;
    this.animation.stop();
    this.function = settings.function;
    this.steps = settings.steps;
    this.start = settings.start;
    this.viewBox = settings.viewBox;
    this.view = settings.view;
    this.racers = settings.racers;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('function')) this.functionField.sync(this.function);
    const named = isFunctionId(this.function) ? this.function : null;
    const functionChanged = this.hasUpdated && changed.has('function');
    if (functionChanged && named && !changed.has('viewBox')) this.viewBox = undefined;
    if (named && (this.start === undefined || (functionChanged && !changed.has('start')))) this.start = pointText(kFunctions[named].start);
    this.check = this.checkInputs();
    if (this.check.fn) this.lastFn = this.check.fn;
    const box = this.viewBox === undefined ? null : parseViewBox(this.viewBox);
    this.viewBoxError = box?.error ?? null;
    if (!box) this.lastView = null;
    else if (box.view) this.lastView = box.view;
    this.shown = this.lastFn ? functionInView(this.lastFn, this.lastView ?? this.lastFn.view) : null;
    // A typed function keeps the start while it is on the plot (typing must not move it).
    const typedChanged = !named && this.check.fn && (this.start === undefined || (functionChanged && !changed.has('start')));
    if (typedChanged && this.shown && !(this.startInput.point && inView(this.startInput.point, this.shown.view))) {
      this.start = pointText(this.typedStart(this.shown.view));
      this.check = this.checkInputs();
    }
  }

  private checkInputs(): RaceCheck {
    return checkRace({ function: this.function, steps: this.steps, start: this.start ?? '', racers: this.racers });
  }

  private typedStart(view: View): Point {
    if (inView(kTypedStart, view)) return kTypedStart;
    const at = (range: Point, t: number): number => roundSignificant(range[0] + (range[1] - range[0]) * t, 3);
    return [at(view.x, 0.1), at(view.y, 0.8)];
  }

  /** Any change to what is raced reruns the race (debounced); the first race starts at once. */
  protected override updated(changed: PropertyValues): void {
    const inputs: PropertyKey[] = ['function', 'steps', 'start', 'forceCpu', 'racers'];
    if (inputs.some((key) => changed.has(key))) this.live ? this.race.scheduleFrame() : this.race.schedule(this.hasRaced ? undefined : 0);
    this.live = false;
    const saved: PropertyKey[] = ['function', 'steps', 'start', 'viewBox', 'view', 'racers'];
    if (this.hasRaced && saved.some((key) => changed.has(key))) {
      clearTimeout(this.hashTimer);
      this.hashTimer = window.setTimeout(() => this.hash.write(), kHashWriteMs);
    }
  }

  private finished(detail: RaceFinishedDetail): void {
    this.hasRaced = true;
    this.animation.setTotal(Math.max(0, ...detail.results.map((r) => r.path.length - 1)));
    this.dispatchEvent(new CustomEvent('race-finished', { detail, bubbles: true, composed: true }));
  }

  protected override render(): TemplateResult {
    const fn = this.shown;
    return html`
      <div class="race" part="base">
        ${this.renderToolbar()}
        ${this.renderNotices()}
        ${fn ? this.renderViews(fn) : nothing}
        ${renderExtraRacers(this.racers, (setting, included) => this.updateRacer(setting.optimizer, { included }))}
        <div class="export-stage" aria-hidden="true" inert></div>
      </div>`;
  }

  private renderViews(fn: Function2D): TemplateResult {
    const plots = this.view === 'overlay' ? renderOverlay(this.plots, fn) : renderGrid(this.plots, fn);
    if (!this.surface) return plots;
    return html`<div class="views with-surface ${this.view}-view">${plots}${renderSurfacePanel(this.plots, fn)}</div>`;
  }

  // ---- toolbar -------------------------------------------------------------------------------

  private renderToolbar(): TemplateResult {
    const { stepsError, startError } = this.check;
    const fn = this.shown;
    const [sx, sy] = pointParts(this.start ?? '');
    const total = this.results[0]?.path.length ? this.results[0].path.length - 1 : this.steps;
    const { state, revealed } = this.animation;
    const backendLabel = this.race.backend === 'webgpu' ? 'WebGPU' : this.race.backend === 'cpu' ? 'CPU reference' : 'racing…';
    return html`
      <div class="head">
        <p class="formula">${fn?.formula ?? ''}</p>
        <span class="badge ${this.race.backend ?? 'pending'}" part="backend"
          title=${this.race.backend === 'webgpu' ? 'Paths computed by the WGSL optimizer kernels' : 'Paths computed by the float64 TypeScript reference'}
        >${backendLabel}</span>
        <button type="button" class="reset" @click=${() => this.resetToSeed()}>Reset to the seed's settings</button>
      </div>
      <div class="toolbar" part="toolbar">
        ${this.functionField.render()}
        <label class="field narrow">
          <span>Steps</span>
          <input type="number" min=${kRaceLimits.steps.min} max=${kRaceLimits.steps.max} step="1" .value=${Number.isFinite(this.steps) ? String(this.steps) : ''}
            aria-invalid=${stepsError ? 'true' : 'false'} aria-describedby="steps-error"
            @input=${(e: Event) =>
              numberInput(e, (v) => {
                this.steps = v === '' ? NaN : Number(v);
              })}>
        </label>
        <div class="field" role="group" aria-labelledby="start-label">
          <span id="start-label">Start</span>
          <div class="row start-inputs">
            <label><span>x</span><input type="number" step="any" .value=${sx ?? ''} aria-label="start x"
              aria-invalid=${startError ? 'true' : 'false'} aria-describedby="start-error"
              @input=${(e: Event) =>
                numberInput(e, (v) => {
                  this.start = `${v},${sy ?? ''}`;
                })}></label>
            <label><span>y</span><input type="number" step="any" .value=${sy ?? ''} aria-label="start y"
              aria-invalid=${startError ? 'true' : 'false'} aria-describedby="start-error"
              @input=${(e: Event) =>
                numberInput(e, (v) => {
                  this.start = `${sx ?? ''},${v}`;
                })}></label>
          </div>
        </div>
        ${renderViewBoxControl(this.viewBox ?? (fn ? formatViewBox(fn.view) : ''), this.viewBoxError, (text) => {
          this.viewBox = text;
        })}
        <div class="field" role="radiogroup" aria-labelledby="view-label">
          <span id="view-label">View</span>
          <div class="row segmented">
            ${(['grid', 'overlay'] as const).map(
              (v) => html`
              <label><input type="radio" name="view" value=${v} .checked=${this.view === v}
                @change=${() => {
                  this.view = v;
                }}><span>${v === 'grid' ? 'Grid' : 'Overlay'}</span></label>`,
            )}
          </div>
        </div>
        <div class="field">
          <span aria-hidden="true">Surface</span>
          <label class="check"><input type="checkbox" .checked=${this.surface} @change=${(e: Event) => {
            this.surface = (e.target as HTMLInputElement).checked;
          }}><span>3D view</span></label>
        </div>
        <div class="field playback">
          <span>Animation</span>
          <div class="buttons">
            <button type="button" class="primary" @click=${() => this.togglePlay(total)}>
              ${state === 'playing' ? 'Pause' : state === 'paused' ? 'Resume' : 'Animate'}
            </button>
            <button type="button" ?disabled=${state === 'idle'} @click=${() => this.animation.play(total)}>Replay</button>
            <button type="button" class="step-button" aria-label="previous step" @click=${() => this.animation.stepTo((revealed ?? total) - 1, total)}>‹</button>
            <button type="button" class="step-button" aria-label="next step" @click=${() => this.animation.stepTo((revealed ?? 0) + 1, total)}>›</button>
            <output class="counter" aria-label="step shown">step ${revealed ?? total} / ${total}</output>
          </div>
        </div>
        ${this.exporter.render()}
      </div>
      ${this.exporter.renderStatus()}
      ${stepsError ? html`<p class="error" id="steps-error">${stepsError}</p>` : nothing}
      ${startError ? html`<p class="error" id="start-error">${startError}</p>` : nothing}
      ${renderViewBoxError(this.viewBoxError)}
      ${this.animation.reducedMotion && state === 'done' ? html`<p class="hint">Reduced motion is on: showing the end state.</p>` : nothing}`;
  }

  private togglePlay(total: number): void {
    const { state } = this.animation;
    if (state === 'playing') this.animation.pause();
    else if (state === 'paused') this.animation.resume();
    else this.animation.play(total);
  }

  private renderNotices(): TemplateResult {
    const { racersError, config } = this.check;
    // A bad function is explained in its field (./function-field.ts).
    const blocked = !config && this.shown;
    const meanwhile = this.race.backend === 'cpu' ? 'The plots show the CPU reference meanwhile.' : 'The plots show the last race.';
    return html`
      ${renderDeviceLost(this.race.loss.lost, { part: 'message', meanwhile, restart: () => this.race.restartOnNewDevice() })}
      ${
        this.race.gpuProblem
          ? html`<p class="notice warn" part="message" role="status">
        <strong>${this.race.backend === 'cpu' ? 'Showing the CPU reference.' : 'WebGPU problem.'}</strong> ${this.race.gpuProblem}</p>`
          : nothing
      }
      ${
        this.hashProblem
          ? html`<p class="notice warn" part="message" role="status">The link's 2D race settings could not be read (${this.hashProblem}); showing the defaults.</p>`
          : nothing
      }
      ${racersError ? html`<p class="notice error" part="message" role="alert">${racersError}</p>` : nothing}
      ${
        blocked && !racersError
          ? html`<p class="notice error" part="message" role="status">
        Fix the highlighted values to race again; the plots show the last valid race.</p>`
          : nothing
      }`;
  }

  private updateRacer(optimizer: OptimizerId, change: Partial<RacerSetting>): void {
    this.racers = this.racers.map((r) => (r.optimizer === optimizer ? { ...r, ...change } : r));
  }
}
