import { renderExtraRacers, shownRacers } from './extra-racers';
import { StartPointInput } from './start-point';
import type { BackendKind } from '../../gpu/backend-kind';
import { html, LitElement, nothing, svg, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { cssomStyle } from '../cssom-style';
import { optimizerSpec, type OptimizerId } from '../../optim/registry';
import { kFunctionIds, kFunctions, type Function2D } from '../../race2d/functions';
import { kMaxSteps, kSeedTrajectoryRace, type TrajectoryResult } from '../../race2d/trajectory';
import { themeTokens } from '../theme';
import { StepAnimation } from './animation';
import type { RaceFinishedDetail } from './events';
import { pathStatus, visiblePath } from './path-geometry';
import { markerPath } from '../markers';
import { renderDeviceLost } from '../device-loss';
import { PlotFrame, plotContent, type PlotSeries } from './plot';
import { TrajectoryRaceController } from './race-controller';
import { seedRacerSettings, type RacerSetting } from './racer-settings';
import { styles } from './trajectory-race.styles';
import { checkRace, type RaceCheck } from './validation';
import { stateAt, stateOverlay, statePanel, type StateSnapshot } from './state-drawing';
import { renderLrSlider } from './lr-slider';

export type RaceView = 'grid' | 'overlay';

/** Plot sizes in SVG units: the grid's panels and the overlay's one big plot. */
const kPanelPlotSize = 240;
const kOverlayPlotSize = 460;
/** Below this element width the overlay plot is drawn at the panels' size. */
const kCompactWidth = 600;
/** More points than this per path: draw the line without markers. */
const kMaxMarkers = 400;

const formatValue = (v: number): string => (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5) ? v.toExponential(2) : String(Number(v.toPrecision(3))));

/**
 * The seed's optimizer_compare_naive figure, live: six optimizers race on a 2D function from one
 * start point, each update computed by the WGSL optimizer kernels (the float64 TypeScript
 * reference when WebGPU is unavailable). A 3x2 grid of panels or all paths on one plot, over
 * contour lines of the function; every hyperparameter, the steps, the start (type it, click or
 * drag on a plot, or arrow keys on a focused plot) and the function can be changed, and the
 * paths can be revealed step by step.
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
  static override styles = [themeTokens, styles];

  /** The function raced on: seed, xy, x2xy, rosenbrock, beale, himmelblau, or a typed f(x, y) such as "sin(x)*y^2". Changing it resets the start. */
  @property({ reflect: true }) function = 'seed';

  /** Number of updates per racer (1 to 10000). */
  @property({ type: Number, reflect: true }) steps = kSeedTrajectoryRace.steps;

  /** Start point as "x,y"; defaults to the function's own start (the seed's is "-7,2"). */
  @property({ reflect: true }) start?: string;

  /** "grid": one panel per racer (the seed's figure); "overlay": all paths on one plot with a legend. */
  @property({ reflect: true }) view: RaceView = 'grid';

  /** Race on the float64 TypeScript reference even when WebGPU is available. */
  @property({ type: Boolean, reflect: true, attribute: 'force-cpu' }) forceCpu = false;

  @state() private racers: RacerSetting[] = seedRacerSettings();

  private check!: RaceCheck;
  private readonly race = new TrajectoryRaceController(this, {
    config: () => this.check?.config ?? null,
    backendPreference: () => (this.forceCpu ? 'cpu' : 'auto'),
    finished: (detail) => this.finished(detail),
  });
  private readonly animation = new StepAnimation(this);
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
  }

  /** Sets every input back to the seed's experiment. */
  resetToSeed(): void {
    this.animation.stop();
    this.racers = seedRacerSettings();
    this.function = kSeedTrajectoryRace.function;
    this.steps = kSeedTrajectoryRace.steps;
    this.start = kSeedTrajectoryRace.start.join(',');
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const fn = kFunctionIds.find((id) => id === this.function);
    const resetStart = this.hasUpdated && changed.has('function') && !changed.has('start');
    if (fn && (this.start === undefined || resetStart)) this.start = kFunctions[fn].start.join(',');
    this.check = checkRace({ function: this.function, steps: this.steps, start: this.start ?? '', racers: this.racers });
  }

  /** Any change to what is raced reruns the race (debounced); the first race starts at once. */
  protected override updated(changed: PropertyValues): void {
    const inputs: PropertyKey[] = ['function', 'steps', 'start', 'forceCpu', 'racers'];
    if (inputs.some((key) => changed.has(key))) this.live ? this.race.scheduleFrame() : this.race.schedule(this.hasRaced ? undefined : 0);
    this.live = false;
  }

  private finished(detail: RaceFinishedDetail): void {
    this.hasRaced = true;
    this.animation.setTotal(Math.max(0, ...detail.results.map((r) => r.path.length - 1)));
    this.dispatchEvent(new CustomEvent('race-finished', { detail, bubbles: true, composed: true }));
  }

  protected override render(): TemplateResult {
    const { fn } = this.check;
    return html`
      <div class="race" part="base">
        ${this.renderToolbar()}
        ${this.renderNotices()}
        ${fn ? (this.view === 'overlay' ? this.renderOverlay(fn) : this.renderGrid(fn)) : nothing}
        ${renderExtraRacers(this.racers, (setting, included) => this.updateRacer(setting.optimizer, { included }))}
      </div>`;
  }

  // ---- toolbar -------------------------------------------------------------------------------

  private renderToolbar(): TemplateResult {
    const { fn, stepsError, startError } = this.check;
    const [sx, sy] = (this.start ?? '').split(',');
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
        <label class="field">
          <span>Function</span>
          <select .value=${this.function} @change=${(e: Event) => {
            this.animation.stop();
            this.function = (e.target as HTMLSelectElement).value;
          }}>
            ${kFunctionIds.map((id) => html`<option value=${id} ?selected=${id === this.function}>${kFunctions[id].label}</option>`)}
          </select>
        </label>
        <label class="field narrow">
          <span>Steps</span>
          <input type="number" min="1" max=${kMaxSteps} step="1" .value=${Number.isFinite(this.steps) ? String(this.steps) : ''}
            aria-invalid=${stepsError ? 'true' : 'false'} aria-describedby="steps-error"
            @input=${(e: Event) =>
              this.numberInput(e, (v) => {
                this.steps = v === '' ? NaN : Number(v);
              })}>
        </label>
        <div class="field" role="group" aria-labelledby="start-label">
          <span id="start-label">Start</span>
          <div class="row start-inputs">
            <label><span>x</span><input type="number" step="any" .value=${sx ?? ''} aria-label="start x"
              aria-invalid=${startError ? 'true' : 'false'} aria-describedby="start-error"
              @input=${(e: Event) =>
                this.numberInput(e, (v) => {
                  this.start = `${v},${sy ?? ''}`;
                })}></label>
            <label><span>y</span><input type="number" step="any" .value=${sy ?? ''} aria-label="start y"
              aria-invalid=${startError ? 'true' : 'false'} aria-describedby="start-error"
              @input=${(e: Event) =>
                this.numberInput(e, (v) => {
                  this.start = `${sx ?? ''},${v}`;
                })}></label>
          </div>
        </div>
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
      </div>
      ${stepsError ? html`<p class="error" id="steps-error">${stepsError}</p>` : nothing}
      ${startError ? html`<p class="error" id="start-error">${startError}</p>` : nothing}
      ${this.animation.reducedMotion && state === 'done' ? html`<p class="hint">Reduced motion is on: showing the end state.</p>` : nothing}`;
  }

  /** Number inputs report '' while a value is half-typed ("1e", "-"); keep the state until it parses. */
  private numberInput(e: Event, set: (value: string) => void): void {
    const input = e.target as HTMLInputElement;
    if (input.validity.badInput) return;
    set(input.value);
  }

  private togglePlay(total: number): void {
    const { state } = this.animation;
    if (state === 'playing') this.animation.pause();
    else if (state === 'paused') this.animation.resume();
    else this.animation.play(total);
  }

  private renderNotices(): TemplateResult {
    const { functionError, racersError, config, fn } = this.check;
    const blocked = !config && fn;
    const meanwhile = this.race.backend === 'cpu' ? 'The plots show the CPU reference meanwhile.' : 'The plots show the last race.';
    return html`
      ${renderDeviceLost(this.race.loss.lost, { part: 'message', meanwhile, restart: () => this.race.restartOnNewDevice() })}
      ${
        this.race.gpuProblem
          ? html`<p class="notice warn" part="message" role="status">
        <strong>${this.race.backend === 'cpu' ? 'Showing the CPU reference.' : 'WebGPU problem.'}</strong> ${this.race.gpuProblem}</p>`
          : nothing
      }
      ${functionError ? html`<p class="notice error" part="message" role="alert">${functionError}</p>` : nothing}
      ${racersError ? html`<p class="notice error" part="message" role="alert">${racersError}</p>` : nothing}
      ${
        blocked && !racersError
          ? html`<p class="notice error" part="message" role="status">
        Fix the highlighted values to race again; the plots show the last valid race.</p>`
          : nothing
      }`;
  }

  // ---- plots ---------------------------------------------------------------------------------

  private resultFor(optimizer: OptimizerId): TrajectoryResult | undefined {
    return this.results.find((r) => r.optimizer === optimizer);
  }

  private series(fn: Function2D, setting: RacerSetting, marker: PlotSeries['marker']): PlotSeries | null {
    const result = setting.included ? this.resultFor(setting.optimizer) : undefined;
    if (!result) return null;
    return {
      id: setting.optimizer,
      color: optimizerSpec(setting.optimizer).color,
      marker,
      path: visiblePath(result.path, fn.view, this.animation.revealed ?? Infinity),
    };
  }

  /** The optimizer state at the step shown, in the step-by-step mode. */
  private snapshot(setting: RacerSetting): StateSnapshot | null {
    const result = setting.included ? this.resultFor(setting.optimizer) : undefined;
    return result && this.animation.revealed !== null ? stateAt(result, this.animation.revealed) : null;
  }

  private renderPlot(
    fn: Function2D,
    size: number,
    clipId: string,
    series: PlotSeries[],
    label: string,
    markerRadius: number,
    className = '',
    states: RacerSetting[] = [],
  ): TemplateResult {
    const frame = new PlotFrame(fn.view, size);
    const overlay = states.flatMap((setting) => {
      const snapshot = this.snapshot(setting);
      return snapshot ? [stateOverlay(frame, snapshot)] : [];
    });
    const showMarkers = (this.results[0]?.path.length ?? 0) <= kMaxMarkers;
    const on = this.startInput.handlers(frame, fn);
    return html`
      <svg class="plot ${className}" part="plot" viewBox="0 0 ${frame.width} ${frame.height}" tabindex="0" role="application"
        aria-roledescription="plot" aria-label="${label}. Click, drag or use the arrow keys to move the start point."
        @pointerdown=${on.pointerdown} @pointermove=${on.pointermove} @pointerup=${on.pointerup} @pointercancel=${on.pointerup}
        @click=${on.click} @keydown=${on.keydown}
      >${plotContent({ fn, frame, clipId, series, start: this.startInput.point, markerRadius, showMarkers, overlay })}</svg>`;
  }

  private renderGrid(fn: Function2D): TemplateResult {
    return html`
      <div class="panels">
        ${repeat(
          shownRacers(this.racers),
          (r) => r.optimizer,
          (setting) => {
            const spec = optimizerSpec(setting.optimizer);
            const series = this.series(fn, setting, 'circle');
            return html`
            <section class="panel ${setting.included ? '' : 'excluded'}" part="panel" data-racer=${setting.optimizer}
              ${cssomStyle({ '--trace': spec.color })} aria-label=${spec.label}>
              <header class="panel-head">
                ${this.renderIncludeToggle(setting, svg`<circle cx="6" cy="6" r="4"></circle>`)}
                ${this.renderStatus(fn, setting)}
              </header>
              ${this.renderPlot(fn, kPanelPlotSize, `clip-${setting.optimizer}`, series ? [series] : [], `${spec.label} path on ${fn.formula}`, 2.6, '', [setting])}
              ${this.renderHyperparameters(setting)}
            </section>`;
          },
        )}
      </div>`;
  }

  private renderOverlay(fn: Function2D): TemplateResult {
    const series = shownRacers(this.racers).flatMap((s) => this.series(fn, s, optimizerSpec(s.optimizer).marker) ?? []);
    return html`
      <div class="overlay">
        <div class="overlay-plot">
          ${
            this.compact
              ? this.renderPlot(fn, kPanelPlotSize, 'clip-overlay', series, `All paths on ${fn.formula}`, 2.8, 'compact', this.racers)
              : this.renderPlot(fn, kOverlayPlotSize, 'clip-overlay', series, `All paths on ${fn.formula}`, 3.4, '', this.racers)
          }
        </div>
        <ul class="legend" part="legend" aria-label="Racers">
          ${repeat(
            shownRacers(this.racers),
            (r) => r.optimizer,
            (setting) => {
              const { color, marker } = optimizerSpec(setting.optimizer);
              return html`
            <li class="legend-item ${setting.included ? '' : 'excluded'}" data-racer=${setting.optimizer}
              ${cssomStyle({ '--trace': color })}>
              <div class="panel-head">
                ${this.renderIncludeToggle(
                  setting,
                  svg`<line x1="0" y1="6" x2="22" y2="6"></line>
                  <path class=${marker} d=${markerPath(marker, 11, 6, 3.4)}></path>`,
                  22,
                )}
                ${this.renderStatus(fn, setting)}
              </div>
              ${this.renderHyperparameters(setting)}
            </li>`;
            },
          )}
        </ul>
      </div>`;
  }

  private renderIncludeToggle(setting: RacerSetting, key: unknown, keyWidth = 12): TemplateResult {
    const spec = optimizerSpec(setting.optimizer);
    return html`
      <label class="racer-name">
        <input type="checkbox" .checked=${setting.included} aria-label="Include ${spec.label}"
          @change=${(e: Event) => this.updateRacer(setting.optimizer, { included: (e.target as HTMLInputElement).checked })}>
        <svg class="key" viewBox="0 0 ${keyWidth} 12" width=${keyWidth} height="12" aria-hidden="true">${key}</svg>
        <span>${spec.label}</span>
      </label>`;
  }

  private renderStatus(fn: Function2D, setting: RacerSetting): TemplateResult {
    const result = this.resultFor(setting.optimizer);
    if (!setting.included) return html`<span class="status muted">not racing</span>`;
    if (!result) return html`<span class="status muted">${this.race.running ? 'racing…' : ''}</span>`;
    const status = pathStatus(result, fn.view);
    const shown = Math.min(this.animation.revealed ?? Infinity, result.path.length - 1);
    if (status.divergedAt !== null && shown >= status.divergedAt) {
      const why = status.leftPlot ? 'left the plot and did not come back' : 'its numbers overflowed (NaN or beyond 1e6)';
      const text = status.leftPlot && status.divergedAt === 0 ? 'starts outside the plot' : `diverged at step ${status.divergedAt}`;
      return html`<span class="status diverged" title="${text}: ${why}">${text}</span>`;
    }
    const [x, y] = result.path[shown];
    return html`<span class="status" title="f at step ${shown}, at (${formatValue(x)}, ${formatValue(y)})">f = ${formatValue(fn.f(x, y))}</span>`;
  }

  private renderHyperparameters(setting: RacerSetting): TemplateResult {
    const spec = optimizerSpec(setting.optimizer);
    const errors = this.check.racers.get(setting.optimizer)?.errors ?? {};
    return html`
      <div class="hypers">
        ${spec.hyperparameters.map((h) => {
          const error = errors[h.key];
          const id = `${setting.optimizer}-${h.key}-error`;
          return html`
            <label class="hyper" title=${h.label}>
              <span>${h.symbol ?? h.key}</span>
              <input type="number" step="any" min=${h.min} max=${Number.isFinite(h.max) ? h.max : nothing}
                data-key=${h.key} .value=${setting.values[h.key] ?? ''} aria-label="${spec.label} ${h.label}"
                aria-invalid=${error ? 'true' : 'false'} aria-describedby=${error ? id : nothing}
                @input=${(e: Event) => this.numberInput(e, (v) => this.updateRacer(setting.optimizer, { values: { ...setting.values, [h.key]: v } }))}>
            </label>
            ${h.key === 'lr' ? renderLrSlider(spec.label, setting.values.lr, (lr) => this.slide(setting, lr)) : nothing}
            ${error ? html`<p class="error" id=${id}>${error}</p>` : nothing}`;
        })}
      </div>
      ${statePanel(spec.label, this.snapshot(setting))}`;
  }

  private slide(setting: RacerSetting, lr: string): void {
    this.live = true;
    this.updateRacer(setting.optimizer, { values: { ...setting.values, lr } });
  }

  private updateRacer(optimizer: OptimizerId, change: Partial<RacerSetting>): void {
    this.racers = this.racers.map((r) => (r.optimizer === optimizer ? { ...r, ...change } : r));
  }
}
