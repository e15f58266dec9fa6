import type { BackendKind } from '../../gpu/backend-kind';
import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { sharedGpuDevice } from '../../gpu/device';
import { renderDeviceLost } from '../device-loss';
import { kInitLimits, wholeNumberProblem } from '../../race/limits';
import {
  allInitSettings,
  formatInit,
  initDescription,
  initLabel,
  kInitActivations,
  kInitChoices,
  kSeedInitExperiment,
  parseActivation,
  parseInit,
  resolveInitConfig,
  settingKey,
  type InitActivation,
  type InitSetting,
  type ResolvedInitConfig,
} from '../../init/config';
import type { InitExperimentResult, SettingHistograms } from '../../init/experiment';
import { kHistogramRanges } from '../../init/histogram';
import { themeTokens } from '../theme';
import { settingCaption } from './captions';
import type { HistogramsComputedDetail } from './events';
import { ExperimentController } from './experiment-controller';
import { renderHistogram, rowScale } from './histogram-plot';
import { initHistogramsStyles } from './init-histograms.styles';
import { errorMessage } from '../../util/error-message';

export type HistogramsView = 'single' | 'matrix';

const kActivationLabels: Readonly<Record<InitActivation, string>> = { sigmoid: 'Sigmoid', relu: 'ReLU', tanh: 'tanh' };
const kInitOptionLabels: Readonly<Record<string, string>> = { '1': 'std 1', '0.01': 'std 0.01', xavier: 'Xavier √(1/n)', he: 'He √(2/n)' };
const rangeText = (a: InitActivation): string => kHistogramRanges[a].map((v) => String(v).replace('-', '−')).join('…');

/** Settings that change what is computed. */
const kInputs = ['view', 'init', 'activation', 'layers', 'nodes', 'samples', 'seed', 'forceCpu'] as const;
type NumberField = 'layers' | 'nodes' | 'samples' | 'seed';
const kNumberFields: readonly NumberField[] = ['layers', 'nodes', 'samples', 'seed'];

/**
 * The seed's weight-initialisation experiment, live: `samples` standard-normal inputs through
 * `layers` layers of `nodes` nodes (W ~ N(0, s²), no bias) and a histogram of every layer's
 * activations, one row of histograms per setting as in the seed's figure. The forward passes run
 * on the affine WGSL kernel and the histograms on a WGSL kernel of their own (the float64
 * reference without WebGPU). "One setting" shows the chosen init and activation; "All 12" every
 * init (1, 0.01, Xavier, He) x activation (sigmoid, ReLU, tanh), computed in one GPU run.
 *
 * @fires histograms-computed - CustomEvent<{results, config, backend}> each time new histograms are drawn.
 *
 * @csspart base - the element's outer box
 * @csspart controls - the settings
 * @csspart badge - names the backend that computed the histograms
 * @csspart notice - the message shown when WebGPU is missing or failed
 * @csspart error - the message shown for invalid settings
 * @csspart setting - one setting's row (heading, caption, histograms)
 * @csspart histogram - one layer's histogram
 *
 * @cssproperty --or-font - text font
 * @cssproperty --or-mono - font of numbers
 * @cssproperty --or-bg - background of plots and inputs
 * @cssproperty --or-surface - background of the controls and rows
 * @cssproperty --or-text - text colour
 * @cssproperty --or-muted - secondary text, axes, exact zeros
 * @cssproperty --or-border - borders
 * @cssproperty --or-accent - bars, focus rings, the GPU badge
 * @cssproperty --or-danger - values beyond the range; invalid input
 * @cssproperty --or-radius - corner radius
 * @cssproperty --ih-bar - bars (default: --or-accent)
 * @cssproperty --ih-zero - the exact-zero part of a bar (default: --or-muted)
 * @cssproperty --ih-outside - the part of an end bar beyond the range (default: --or-danger)
 */
export class InitHistograms extends LitElement {
  static override styles = [themeTokens, initHistogramsStyles];

  /** 'single': the chosen init and activation; 'matrix': all 12 combinations. */
  @property({ reflect: true }) view: HistogramsView = 'single';
  /** The weights' std: '1', '0.01', 'xavier' (√(1/n)) or 'he' (√(2/n)). */
  @property({ reflect: true }) init = formatInit(kSeedInitExperiment.settings[0].init);
  /** 'sigmoid', 'relu' or 'tanh', applied after every layer. */
  @property({ reflect: true }) activation: string = kSeedInitExperiment.settings[0].activation;
  /** Layers (1 to 10). */
  @property({ type: Number }) layers = kSeedInitExperiment.layers;
  /** Nodes per layer, also the inputs per sample (1 to 1000). */
  @property({ type: Number }) nodes = kSeedInitExperiment.nodes;
  /** Input samples (1 to 10000). */
  @property({ type: Number }) samples = kSeedInitExperiment.samples;
  /** Seed of the inputs and weights: the same seed draws the same numbers. */
  @property({ type: Number }) seed = kSeedInitExperiment.seed;
  /** Compute on the float64 TypeScript reference even when WebGPU is available. */
  @property({ type: Boolean, reflect: true, attribute: 'force-cpu' }) forceCpu = false;
  /** Where the GPU device comes from (one shared device per page); tests replace it to simulate no WebGPU. */
  @property({ attribute: false }) deviceSource: () => Promise<GPUDevice> = () => sharedGpuDevice();

  @state() private problem: string | null = null;
  private config: ResolvedInitConfig | null = null;
  private computedOnce = false;

  private readonly experiment = new ExperimentController(this, {
    config: () => this.config,
    backendPreference: () => (this.forceCpu ? 'cpu' : 'auto'),
    device: () => this.deviceSource(),
    computed: (result) => void this.announce(result),
  });

  /** Per drawn row: its setting, weight std and every layer's histogram (empty before the first run). */
  get results(): SettingHistograms[] {
    return this.experiment.result?.settings ?? [];
  }

  /** What computed `.results`, or null before the first run. */
  get backend(): BackendKind | null {
    return this.experiment.result?.backend ?? null;
  }

  /** The message shown for invalid settings, or null. */
  get error(): string | null {
    return this.problem;
  }

  /** Draws new inputs and weights: a new seed. */
  resample(): void {
    let next = this.seed;
    while (next === this.seed) next = Math.floor(Math.random() * 1_000_000);
    this.seed = next;
  }

  /** The settings drawn in the current view. */
  private settings(): InitSetting[] {
    return this.view === 'matrix' ? allInitSettings() : [{ init: parseInit(this.init), activation: parseActivation(this.activation) }];
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('deviceSource')) this.experiment.forgetUnavailable();
    if (!kInputs.some((key) => changed.has(key)) && !changed.has('deviceSource')) return;
    try {
      if (this.view !== 'single' && this.view !== 'matrix') throw new Error(`view must be 'single' or 'matrix', got '${String(this.view)}'`);
      this.config = resolveInitConfig({ settings: this.settings(), layers: this.layers, nodes: this.nodes, samples: this.samples, seed: this.seed });
      this.problem = null;
    } catch (error) {
      this.config = null;
      this.problem = errorMessage(error);
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    this.syncInputs();
    if (this.config && (kInputs.some((key) => changed.has(key)) || changed.has('deviceSource'))) {
      this.experiment.schedule(this.computedOnce ? undefined : 0);
      this.computedOnce = true;
    }
  }

  private async announce(result: InitExperimentResult): Promise<void> {
    await this.updateComplete;
    const detail: HistogramsComputedDetail = { results: result.settings, config: result.config, backend: result.backend };
    this.dispatchEvent(new CustomEvent('histograms-computed', { detail, bubbles: true, composed: true }));
  }

  /** Writes the numbers into the inputs (after the first render, and when set from outside). */
  private syncInputs(): void {
    for (const name of kNumberFields) {
      const input = this.renderRoot.querySelector<HTMLInputElement>(`input[name="${name}"]`);
      const value = this[name];
      // Only overwrite when the number differs, so that text being typed is left alone.
      if (!input || input.valueAsNumber === value || (Number.isNaN(value) && Number.isNaN(input.valueAsNumber))) continue;
      input.value = Number.isFinite(value) ? String(value) : '';
    }
  }

  private onNumberInput(event: Event): void {
    const input = event.target as HTMLInputElement;
    const name = input.name as NumberField;
    if (kNumberFields.includes(name)) this[name] = input.valueAsNumber;
  }

  private invalidFields(): Set<string> {
    const invalid = new Set<string>();
    if (!this.problem) return invalid;
    for (const name of kNumberFields) {
      if (wholeNumberProblem(kInitLimits[name], this[name])) invalid.add(name);
    }
    // Too much work for the size limit: every size is a suspect.
    if (invalid.size === 0 && /MiB/.test(this.problem)) ['layers', 'nodes', 'samples'].forEach((n) => invalid.add(n));
    return invalid;
  }

  protected override render(): TemplateResult {
    const result = this.experiment.result;
    return html`
      <div part="base" class="base">
        ${this.renderControls()}
        ${renderDeviceLost(this.experiment.loss.lost, {
          part: 'notice',
          meanwhile: result?.backend === 'cpu' ? 'The histograms show the CPU reference meanwhile.' : 'The histograms show the last result.',
          restart: () => this.experiment.restartOnNewDevice(),
        })}
        ${
          this.experiment.gpuProblem
            ? html`<p part="notice" class="notice" role="status">${this.experiment.gpuProblem} The histograms below are computed by the float64 CPU reference instead.</p>`
            : nothing
        }
        ${this.problem ? html`<p part="error" class="error" id="problem" role="alert">${this.problem}</p>` : nothing}
        ${result ? this.renderResult(result) : html`<p class="placeholder" role="status">Computing the histograms…</p>`}
      </div>
    `;
  }

  private renderControls(): TemplateResult {
    const invalid = this.invalidFields();
    const matrix = this.view === 'matrix';
    const number = (name: NumberField, label: string) => html`
      <label class="field">
        <span class="label">${label}</span>
        <input type="number" name=${name} inputmode="numeric" step="1" min=${kInitLimits[name].min} max=${kInitLimits[name].max}
          @input=${this.onNumberInput} aria-invalid=${invalid.has(name) ? 'true' : 'false'}
          aria-describedby=${invalid.has(name) ? 'problem' : nothing} />
      </label>`;
    return html`
      <div part="controls" class="controls">
        <div class="views" role="group" aria-label="View">
          <button type="button" aria-pressed=${matrix ? 'false' : 'true'} @click=${() => {
            this.view = 'single';
          }}>One setting</button>
          <button type="button" aria-pressed=${matrix ? 'true' : 'false'} @click=${() => {
            this.view = 'matrix';
          }}>All 12: init × activation</button>
        </div>
        <label class="field">
          <span class="label">Init</span>
          <select name="init" ?disabled=${matrix} title=${matrix ? 'The matrix shows every init' : nothing}
            @change=${(e: Event) => {
              this.init = (e.target as HTMLSelectElement).value;
            }}>
            ${kInitChoices.map((c) => html`<option value=${formatInit(c)} ?selected=${formatInit(c) === this.init}>${kInitOptionLabels[formatInit(c)]}</option>`)}
          </select>
        </label>
        <label class="field">
          <span class="label">Activation</span>
          <select name="activation" ?disabled=${matrix} title=${matrix ? 'The matrix shows every activation' : nothing}
            @change=${(e: Event) => {
              this.activation = (e.target as HTMLSelectElement).value;
            }}>
            ${kInitActivations.map((a) => html`<option value=${a} ?selected=${a === this.activation}>${kActivationLabels[a]}</option>`)}
          </select>
        </label>
        ${number('layers', 'Layers')}
        ${number('nodes', 'Nodes')}
        ${number('samples', 'Samples')}
        ${number('seed', 'Seed')}
        <button type="button" class="resample" @click=${() => this.resample()}>Resample</button>
      </div>
    `;
  }

  private renderResult(result: InitExperimentResult): TemplateResult {
    const { config } = result;
    const badge = result.backend === 'webgpu' ? 'affine + histogram WGSL kernels · WebGPU · float32' : 'CPU reference · float64';
    const anyZeros = result.settings.some((s) => s.layers.some((l) => l.zeros / l.total >= 0.01));
    const anyOutside = result.settings.some((s) => s.layers.some((l) => l.above + l.below > 0));
    return html`
      <div class="meta">
        <span class="badge-label">Computed by</span>
        <span part="badge" class="badge" data-backend=${result.backend}>${badge}</span>
        ${this.experiment.running ? html`<span class="busy" role="status">updating…</span>` : nothing}
      </div>
      <p class="about">
        ${config.samples} samples of ${config.nodes} standard-normal inputs through ${config.layers}
        layer${config.layers === 1 ? '' : 's'} of ${config.nodes} nodes, no bias, seed ${config.seed}.
        ${config.bins} bins per layer over a fixed range (sigmoid ${rangeText('sigmoid')}, tanh ${rangeText('tanh')},
        ReLU ${rangeText('relu')}: values above ${kHistogramRanges.relu[1]} are counted in the last bin);
        the bars of a row share one scale, and a bar cut at the top shows its count.
      </p>
      ${
        anyZeros || anyOutside
          ? html`
        <ul class="key" aria-label="Bar colours">
          <li><span class="swatch inside"></span>values in the range</li>
          ${anyZeros ? html`<li><span class="swatch zeros"></span>exactly 0 (ReLU's dead outputs)</li>` : nothing}
          ${anyOutside ? html`<li><span class="swatch outside"></span>beyond the range, counted in the end bin</li>` : nothing}
        </ul>`
          : nothing
      }
      ${this.view === 'matrix' && result.settings.length > 1 ? this.renderMatrix(result) : result.settings.map((s) => this.renderRow(s, config, false))}
    `;
  }

  private renderMatrix(result: InitExperimentResult): TemplateResult {
    return html`${kInitActivations.map(
      (activation) => html`
      <section class="group" aria-label="${kActivationLabels[activation]}">
        <h3>${kActivationLabels[activation]} <span class="range">range ${rangeText(activation)}</span></h3>
        ${result.settings.filter((s) => s.setting.activation === activation).map((s) => this.renderRow(s, result.config, true))}
      </section>`,
    )}`;
  }

  private renderRow(s: SettingHistograms, config: ResolvedInitConfig, compact: boolean): TemplateResult {
    const caption = settingCaption(s.setting, config.nodes);
    const scale = rowScale(s.layers);
    const title = compact ? initLabel(s.setting.init) : `${initDescription(s.setting.init, config.nodes)} · ${kActivationLabels[s.setting.activation]}`;
    const heading = compact ? html`<h4 class="row-title">${title}</h4>` : html`<h3 class="row-title">${title}</h3>`;
    return html`
      <section part="setting" class="setting ${compact ? 'compact' : 'single'}" data-setting=${settingKey(s.setting)}
        aria-label="${initLabel(s.setting.init)}, ${kActivationLabels[s.setting.activation]}">
        <div class="row-head">
          ${heading}
          <span class="verdict" data-verdict=${caption.verdict}>${caption.label}</span>
        </div>
        <p class="caption">${caption.text}</p>
        ${
          compact
            ? html`<button type="button" class="open" @click=${() => this.openSetting(s.setting)}
          aria-label="Show ${initLabel(s.setting.init)} with ${kActivationLabels[s.setting.activation]} alone">Show alone</button>`
            : nothing
        }
        <div class="layers" role="list" tabindex=${compact ? '0' : nothing}
          aria-label=${compact ? `${initLabel(s.setting.init)}, ${kActivationLabels[s.setting.activation]}: ${s.layers.length} layers, scrolls sideways` : nothing}>
          ${s.layers.map((layer) => html`<div role="listitem">${renderHistogram(layer, { scale, compact })}</div>`)}
        </div>
      </section>
    `;
  }

  private openSetting(setting: InitSetting): void {
    this.init = formatInit(setting.init);
    this.activation = setting.activation;
    this.view = 'single';
  }
}
