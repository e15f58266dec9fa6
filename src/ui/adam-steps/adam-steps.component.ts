import type { BackendKind } from '../../gpu/backend-kind';
import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { sharedGpuDevice } from '../../gpu/device';
import { checkHyperparameter } from '../../optim/hyperparameters';
import { optimizerSpec } from '../../optim/registry';
import { isFunctionId, kFunctionIds, kFunctions } from '../../race2d/functions';
import { themeTokens } from '../theme';
import { renderDeviceLost } from '../device-loss';
import { resolveAdamStepsConfig, type AdamStepsConfig, type AdamStepValues, type Vec2 } from '../../race2d/adam-steps';
import { AdamStepsController, type AdamStepsRun } from './adam-steps-controller';
import type { StepsComputedDetail } from './adam-steps.events';
import { adamStepsStyles } from './adam-steps.styles';
import { formatClosedForm, formatNumber, formatSetting } from './format';
import {
  kAdamQuantities,
  kClosedFormTolerance,
  kSeedExercises,
  seedExerciseFor,
  type AdamQuantity,
  type ClosedStep,
  type SeedExercise,
} from './seed-exercises';
import { kAdamStepsLimits, wholeNumberProblem } from '../../race/limits';
import { errorMessage } from '../../util/error-message';
import { parsePoint, pointText } from '../../util/point-text';

/** One row of the table: the kernel's values after step t and, for the seed's exercises, its closed forms. */
export interface AdamStepRow extends AdamStepValues {
  /** The seed's closed forms for step t; null when the settings are not the seed's exercise or t > 2. */
  closed: ClosedStep | null;
  /** Per quantity and component: the computed value is within 1e-6 of the closed form. Null when `closed` is. */
  matches: Readonly<Record<AdamQuantity, readonly [boolean, boolean]>> | null;
}

interface Computed {
  rows: AdamStepRow[];
  backend: BackendKind;
  config: AdamStepsConfig;
}

/** Accepts "1,2", "1 2" or "(1, 2)" as an attribute (parsePoint); anything else has a NaN and shows a message. */
const pointConverter = {
  fromAttribute(value: string | null): Vec2 | undefined {
    if (value === null || value.trim() === '') return undefined;
    return parsePoint(value);
  },
  toAttribute(value: Vec2 | undefined): string | null {
    return value ? pointText(value) : null;
  },
};

const kHeaders: Readonly<Record<AdamQuantity, TemplateResult>> = {
  g: html`g = ∇f(x<sub>t−1</sub>)`,
  m: html`m`,
  v: html`v`,
  mHat: html`m̂ = m / (1 − β<sub>1</sub><sup>t</sup>)`,
  vHat: html`v̂ = v / (1 − β<sub>2</sub><sup>t</sup>)`,
  x: html`x<sub>t</sub>`,
};

const kAdam = optimizerSpec('adam');

/** Settings that change the table. */
const kSettingKeys = ['exercise', 'start', 'lr', 'beta1', 'beta2', 'steps', 'deviceSource'] as const;

/**
 * Adam by hand: the seed's two worked Adam exercises as a step table. For each step t it shows
 * g, m, v, the bias-corrected m̂ and v̂, and the new x, as computed by the Adam WGSL kernel (or,
 * without WebGPU, by the float64 reference), beside the closed forms the seed derives when the
 * settings are exactly the seed's exercise. The reader can change the function, start point,
 * lr, betas and number of steps.
 *
 * @fires steps-computed - When the table has been computed; detail: {rows, backend, config}.
 *
 * @csspart base - The outer wrapper.
 * @csspart explanation - The text above the table.
 * @csspart controls - The settings.
 * @csspart notice - The message shown when WebGPU is missing and the CPU computes the table.
 * @csspart error - The message shown for invalid settings.
 * @csspart badge - Says which backend computed the numbers.
 * @csspart table - The step table.
 *
 * @cssproperty --or-font - Text font.
 * @cssproperty --or-mono - Font of the numbers.
 * @cssproperty --or-bg - Background.
 * @cssproperty --or-surface - Background of the table header and controls.
 * @cssproperty --or-text - Text colour.
 * @cssproperty --or-muted - Secondary text colour (closed forms, captions).
 * @cssproperty --or-border - Borders.
 * @cssproperty --or-accent - Focus ring, active buttons, GPU badge.
 * @cssproperty --or-danger - Error messages and mismatches.
 * @cssproperty --or-ok - Check marks.
 * @cssproperty --or-radius - Corner radius.
 */
export class AdamSteps extends LitElement {
  static override styles = [themeTokens, adamStepsStyles];

  /** A function id from kFunctions ('xy' and 'x2xy' are the seed's exercises). */
  @property({ reflect: true }) exercise = 'xy';
  /** Number of Adam updates, 1 to 20. */
  @property({ type: Number }) steps = 2;
  @property({ type: Number }) lr = 1;
  @property({ type: Number }) beta1 = 0.5;
  @property({ type: Number }) beta2 = 0.5;
  /** Start point x0; undefined means the function's default start. Attribute: "1,2". */
  @property({ converter: pointConverter }) start: Vec2 | undefined = undefined;
  /** Where the GPU device comes from (one shared device per page); tests replace it to simulate no WebGPU. */
  @property({ attribute: false }) deviceSource: () => Promise<GPUDevice> = () => sharedGpuDevice();

  @state() private computed: Computed | null = null;
  /** The message for invalid settings, or null. */
  @state() private problem: string | null = null;

  private config: AdamStepsConfig | null = null;
  /** Computes the table; says why not on the GPU (`gpuProblem`) and when the device was lost (`loss`). */
  private readonly task = new AdamStepsController(this, {
    config: () => this.config,
    backendPreference: () => 'auto',
    device: () => this.deviceSource(),
    computed: (run, backend) => void this.show(run, backend),
  });

  /** The computed table (empty until the first `steps-computed`, and while the settings are invalid). */
  get rows(): readonly AdamStepRow[] {
    return this.computed?.rows ?? [];
  }

  /** Which backend computed `rows`, or null before the first table. */
  get backend(): BackendKind | null {
    return this.computed?.backend ?? null;
  }

  /** The message shown for invalid settings, or null. */
  get error(): string | null {
    return this.problem;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('deviceSource')) this.task.forgetUnavailable();
    if (!kSettingKeys.some((key) => changed.has(key))) return;
    try {
      this.config = resolveAdamStepsConfig({
        exercise: this.exercise,
        start: this.start,
        lr: this.lr,
        beta1: this.beta1,
        beta2: this.beta2,
        steps: this.steps,
      });
      this.problem = null;
    } catch (error) {
      this.config = null;
      this.problem = errorMessage(error);
      this.computed = null;
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    this.syncInputs();
    if (this.config && kSettingKeys.some((key) => changed.has(key))) this.task.schedule();
  }

  /** A computed table, unless the settings changed meanwhile (a run for them follows, or they are invalid). */
  private async show({ values, config }: AdamStepsRun, backend: BackendKind): Promise<void> {
    if (config !== this.config) return;
    const exercise = seedExerciseFor(config.fn.id, config.start, config.hyper);
    const rows = values.map((v) => withClosedForms(v, exercise));
    this.computed = { rows, backend, config };
    await this.updateComplete;
    const detail: StepsComputedDetail = { rows, backend, config };
    this.dispatchEvent(new CustomEvent('steps-computed', { detail, bubbles: true, composed: true }));
  }

  /** Writes the properties into the form (after first render, and when set from outside). */
  private syncInputs(): void {
    const select = this.renderRoot.querySelector<HTMLSelectElement>('select[name="function"]');
    if (select && select.value !== this.exercise) select.value = this.exercise;
    const start = this.currentStart();
    const values: Record<string, number> = {
      lr: this.lr,
      beta1: this.beta1,
      beta2: this.beta2,
      steps: this.steps,
      'start-x': start[0],
      'start-y': start[1],
    };
    for (const [name, value] of Object.entries(values)) {
      const input = this.renderRoot.querySelector<HTMLInputElement>(`input[name="${name}"]`);
      // Only overwrite when the number differs, so that text being typed ("0.") is left alone.
      if (!input || input.valueAsNumber === value || (Number.isNaN(value) && Number.isNaN(input.valueAsNumber))) continue;
      input.value = Number.isFinite(value) ? String(value) : '';
    }
  }

  private onNumberInput(event: Event): void {
    const input = event.target as HTMLInputElement;
    const value = input.valueAsNumber;
    switch (input.name) {
      case 'lr':
        this.lr = value;
        break;
      case 'beta1':
        this.beta1 = value;
        break;
      case 'beta2':
        this.beta2 = value;
        break;
      case 'steps':
        this.steps = value;
        break;
      case 'start-x':
        this.start = [value, this.currentStart()[1]];
        break;
      case 'start-y':
        this.start = [this.currentStart()[0], value];
        break;
    }
  }

  /** The inputs whose value is what makes the settings invalid (marked aria-invalid). */
  private invalidFields(): Set<string> {
    const invalid = new Set<string>();
    if (!this.problem) return invalid;
    for (const spec of kAdam.hyperparameters) {
      if (checkHyperparameter(spec, this[spec.key as 'lr' | 'beta1' | 'beta2'])) invalid.add(spec.key);
    }
    if (wholeNumberProblem(kAdamStepsLimits.steps, this.steps)) invalid.add('steps');
    const [x, y] = this.currentStart();
    if (!Number.isFinite(x)) invalid.add('start-x');
    if (!Number.isFinite(y)) invalid.add('start-y');
    return invalid;
  }

  private currentStart(): Vec2 {
    return this.start ?? (isFunctionId(this.exercise) ? kFunctions[this.exercise].start : [NaN, NaN]);
  }

  private onFunctionChange(event: Event): void {
    this.exercise = (event.target as HTMLSelectElement).value;
    this.start = undefined;
  }

  /** Restores exactly the seed's exercise (function, start, lr 1, betas 1/2, 2 steps). */
  loadSeedExercise(exercise: SeedExercise): void {
    this.exercise = exercise.functionId;
    this.start = undefined;
    this.lr = exercise.lr;
    this.beta1 = exercise.beta1;
    this.beta2 = exercise.beta2;
    this.steps = exercise.steps.length;
  }

  protected override render(): TemplateResult {
    const active = this.config ? seedExerciseFor(this.config.fn.id, this.config.start, this.config.hyper) : undefined;
    return html`
      <div part="base" class="base">
        <div part="explanation" class="explanation">
          <p>
            <strong>Adam = Momentum + RMSprop.</strong> <var>m</var> carries the momentum, a running average
            of the gradient; <var>v</var> is RMSprop's running average of the squared gradient. Both start at
            zero, and with β close to 1 they stay close to it: the first steps are biased toward zero.
            The bias correction divides by 1 − β<sup>t</sup>, which pulls the early <var>m</var> and
            <var>v</var> away from their zero start.
          </p>
          <p class="formulas" aria-label="Adam's update rule">
            <span>m ← β<sub>1</sub> m + (1 − β<sub>1</sub>) g</span>
            <span>v ← β<sub>2</sub> v + (1 − β<sub>2</sub>) g²</span>
            <span>m̂ = m / (1 − β<sub>1</sub><sup>t</sup>)</span>
            <span>v̂ = v / (1 − β<sub>2</sub><sup>t</sup>)</span>
            <span>x ← x − lr · m̂ / √v̂</span>
          </p>
          <p>
            The seed works two exercises by hand with lr = 1 and β<sub>1</sub> = β<sub>2</sub> = 1/2 (past
            and present weigh the same). Each cell shows the kernel's number and, beside it, the seed's
            closed form; ✓ means they agree within ${kClosedFormTolerance.toExponential(0)}.
          </p>
        </div>
        <div class="presets" role="group" aria-label="The seed's exercises">
          ${kSeedExercises.map(
            (ex) => html`
            <button type="button" aria-pressed=${active === ex ? 'true' : 'false'} @click=${() => this.loadSeedExercise(ex)}>
              ${ex.title}: ${kFunctions[ex.functionId].formula.replace('f(x, y) = ', '')} from (${ex.start.join(', ')})
            </button>`,
          )}
        </div>
        ${this.renderControls()}
        ${renderDeviceLost(this.task.loss.lost, {
          part: 'notice',
          meanwhile: this.computed?.backend === 'cpu' ? 'The table shows the CPU reference meanwhile.' : 'The table shows the last result.',
          restart: () => this.task.restartOnNewDevice(),
        })}
        ${
          this.task.gpuProblem
            ? html`<p part="notice" class="notice" role="status">${this.task.gpuProblem} The table below is computed by the float64 CPU reference instead.</p>`
            : nothing
        }
        ${this.problem ? html`<p part="error" class="error" id="problem" role="alert">${this.problem}</p>` : nothing}
        ${this.computed && !this.problem ? this.renderTable(this.computed) : nothing}
      </div>
    `;
  }

  private renderControls(): TemplateResult {
    const invalid = this.invalidFields();
    const number = (name: string, label: TemplateResult | string, extra: { min?: number; max?: number; step?: string } = {}) => html`
      <label class="field">
        <span class="label">${label}</span>
        <input type="number" name=${name} inputmode="decimal" step=${extra.step ?? 'any'}
          min=${extra.min ?? nothing} max=${extra.max ?? nothing} @input=${this.onNumberInput}
          aria-invalid=${invalid.has(name) ? 'true' : 'false'} aria-describedby=${invalid.has(name) ? 'problem' : nothing} />
      </label>`;
    return html`
      <div part="controls" class="controls">
        <label class="field function">
          <span class="label">Function</span>
          <select name="function" @change=${this.onFunctionChange}>
            ${kFunctionIds.map((id) => html`<option value=${id} ?selected=${id === this.exercise}>${kFunctions[id].label}</option>`)}
          </select>
        </label>
        ${number('start-x', html`x<sub>0</sub>`)}
        ${number('start-y', html`y<sub>0</sub>`)}
        ${number('lr', 'lr', { min: 0 })}
        ${number('beta1', html`β<sub>1</sub>`, { min: 0, max: 1, step: '0.05' })}
        ${number('beta2', html`β<sub>2</sub>`, { min: 0, max: 1, step: '0.05' })}
        ${number('steps', 'steps', { min: kAdamStepsLimits.steps.min, max: kAdamStepsLimits.steps.max, step: '1' })}
      </div>
    `;
  }

  private renderTable({ rows, backend, config }: Computed): TemplateResult {
    const h = config.hyper;
    const badge = backend === 'webgpu' ? 'Adam WGSL kernel · WebGPU · float32' : 'CPU reference · float64';
    return html`
      <div class="meta">
        <span class="badge-label">Computed by</span>
        <span part="badge" class="badge" data-backend=${backend}>${badge}</span>
        ${this.task.running ? html`<span class="busy" role="status">updating…</span>` : nothing}
      </div>
      <p class="setting" id="setting">
        ${config.fn.formula} · x<sub>0</sub> = (${config.start.join(', ')}) · lr ${formatSetting(h.lr)} ·
        β<sub>1</sub> = ${formatSetting(h.beta1)} · β<sub>2</sub> = ${formatSetting(h.beta2)}
      </p>
      <p class="scroll-hint" aria-hidden="true">Scroll the table sideways for v, m̂, v̂ and x →</p>
      <div class="scroller" tabindex="0" role="region" aria-label="Adam steps table, scrolls sideways">
        <table part="table" aria-describedby="setting">
          <thead>
            <tr><th scope="col">t</th>${kAdamQuantities.map((q) => html`<th scope="col">${kHeaders[q]}</th>`)}</tr>
          </thead>
          <tbody>
            <tr class="start">
              <th scope="row">0</th>
              <td colspan=${kAdamQuantities.length - 1} class="start-label">start; m and v are zero</td>
              <td>${plainVectorCell(config.start)}</td>
            </tr>
            ${rows.map(
              (row) => html`
              <tr>
                <th scope="row">${row.t}</th>
                ${kAdamQuantities.map((q) => html`<td>${vectorCell(row[q], row.closed?.[q] ?? null, row.matches?.[q] ?? null)}</td>`)}
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
    `;
  }
}

function withClosedForms(values: AdamStepValues, exercise: SeedExercise | undefined): AdamStepRow {
  const closed = exercise?.steps[values.t - 1] ?? null;
  if (!closed) return { ...values, closed: null, matches: null };
  const near = (a: number, b: number): boolean => Math.abs(a - b) <= kClosedFormTolerance;
  const matches = Object.fromEntries(
    kAdamQuantities.map((q) => [q, [near(values[q][0], closed[q][0].value), near(values[q][1], closed[q][1].value)] as const]),
  ) as Record<AdamQuantity, readonly [boolean, boolean]>;
  return { ...values, closed, matches };
}

function plainVectorCell(value: Vec2): TemplateResult {
  return html`<div class="vec plain">${value.map((c) => html`<span class="num" title=${String(c)}>${formatNumber(c)}</span>`)}</div>`;
}

function vectorCell(value: Vec2, closed: ClosedStep[AdamQuantity] | null, matches: readonly [boolean, boolean] | null): TemplateResult {
  return html`<div class="vec">${[0, 1].map(
    (k) => html`
    <span class="num" title=${String(value[k])}>${formatNumber(value[k])}</span>
    ${
      closed === null
        ? html`<span class="cf none" aria-label="no closed form">—</span><span class="mark"></span>`
        : html`<span class="cf">${formatClosedForm(closed[k].text)}</span>${
            matches?.[k]
              ? html`<span class="mark ok" role="img" aria-label="equals the seed's value">✓</span>`
              : html`<span class="mark bad" role="img" aria-label="differs from the seed's value">✗</span>`
          }`
    }`,
  )}
  </div>`;
}
