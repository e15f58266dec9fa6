/**
 * <racer-editor>: the racers of an <optimizer-race>, one card per racer (name, colour, optimizer,
 * hyperparameters, init, activation, learning-rate schedule with a sparkline of lr over the race,
 * the network row: batch norm, dropout, L2 λ, and "Load weights…", ./racer-weights-field.ts).
 * It is controlled: it shows `drafts` and fires
 * `racers-change` with the edited list (bubbling, not composed); the host sets `drafts` back.
 */
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { cssomStyle } from '../cssom-style';
import { parseNumber } from '../../optim/racer-spec';
import { parseWeightInit } from '../../nn/weight-init';
import { checkScheduleText, describeSchedule, kScheduleForms, scheduleSamples } from '../../optim/schedule';
import { isOptimizerId, optimizerIds, optimizers, optimizerSpec } from '../../optim/registry';
import { kRaceLimits } from '../../race/limits';
import type { HiddenActivation } from '../../race/config';
import type { RacersChangeDetail } from './events';
import { hyperDefaults, kActivationIds, newDraft, type DraftProblems, type RacerDraft } from './racers';
import { styles } from './racer-editor.styles';
import { renderNetworkProblems, renderNetworkRow, type NetworkRowContext } from './racer-network-fields';
import { renderWeightsField, type WeightsFieldContext } from './racer-weights-field';

/** What a card needs from the editor. */
interface CardContext {
  drafts: readonly RacerDraft[];
  /** The race's iterations (the schedule's length); NaN while the field is invalid. */
  iterations: number;
  problems: ReadonlyMap<number, DraftProblems>;
  update(key: number, change: Partial<RacerDraft>): void;
  remove(key: number): void;
  /** The race's layer sizes (a chosen weights file's shapes are checked against them), when valid. */
  sizes: readonly number[] | undefined;
  /** Per racer, why its last chosen weights file was refused. */
  weightsErrors: ReadonlyMap<number, string>;
  setWeightsError(key: number, error: string | undefined): void;
}

const kActivationLabels: Record<HiddenActivation, string> = { relu: 'ReLU', sigmoid: 'sigmoid', tanh: 'tanh' };

/** Number inputs report '' while a value is half-typed ("1e", "-"); keep the text until it parses. */
function numberText(e: Event, set: (text: string) => void): void {
  const input = e.target as HTMLInputElement;
  if (input.validity.badInput) return;
  set(input.value);
}

/** The init select's choice for a draft's text (a number or anything unread: "std", its field showing the text). */
const initChoice = (init: string): 'he' | 'xavier' | 'std' => {
  const parsed = parseWeightInit(init);
  return typeof parsed === 'number' ? 'std' : parsed;
};

/** Sparkline size in px (the SVG's own coordinates). */
const kSparkWidth = 80;
const kSparkHeight = 20;

/** lr over the race's iterations as a small polyline, with its one-line description for assistive tech. */
function renderSparkline(d: RacerDraft, iterations: number, error: string | undefined): TemplateResult | typeof nothing {
  const lr = parseNumber(d.values.lr ?? '');
  if (error || !(lr > 0) || !(Number.isInteger(iterations) && iterations >= 1)) return nothing;
  const { schedule, problem } = checkScheduleText(d.schedule, lr);
  if (problem) return nothing;
  const samples = scheduleSamples(lr, schedule, iterations, kSparkWidth);
  const top = Math.max(...samples.map(([, v]) => v));
  const x = (t: number) => (iterations === 1 ? 0 : ((t - 1) / (iterations - 1)) * kSparkWidth);
  const y = (v: number) => kSparkHeight - 1 - (top > 0 ? (v / top) * (kSparkHeight - 2) : 0);
  const points = samples.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const summary = `${describeSchedule(lr, schedule, iterations)} over ${iterations} iterations`;
  return html`
    <span class="sparkline" title=${summary} data-field="schedule-sparkline">
      <svg width=${kSparkWidth} height=${kSparkHeight} viewBox="0 0 ${kSparkWidth} ${kSparkHeight}" aria-hidden="true" focusable="false">
        <polyline points=${points}></polyline>
      </svg>
      <span class="visually-hidden" data-field="schedule-summary">${summary}</span>
    </span>`;
}

function renderSchedule(ctx: CardContext, d: RacerDraft, label: string, error: string | undefined, id: (what: string) => string): TemplateResult {
  const describedBy = [id('schedule-forms'), ...(error ? [id('schedule')] : [])].join(' ');
  return html`
    <div class="racer-fields schedule-row">
      <label class="mini schedule">
        <span>lr schedule</span>
        <input type="text" data-field="schedule" .value=${d.schedule} placeholder="constant" spellcheck="false" autocomplete="off"
          aria-label="${label} learning-rate schedule" aria-invalid=${error ? 'true' : 'false'} aria-describedby=${describedBy}
          @input=${(e: Event) => ctx.update(d.key, { schedule: (e.target as HTMLInputElement).value })}>
      </label>
      ${renderSparkline(d, ctx.iterations, error)}
      <span class="visually-hidden" id=${id('schedule-forms')}>${kScheduleForms}</span>
    </div>`;
}

function renderCard(ctx: CardContext, d: RacerDraft, index: number): TemplateResult {
  const spec = optimizerSpec(d.optimizer);
  const problems = ctx.problems.get(d.key);
  const label = d.name.trim() || spec.label;
  const id = (what: string) => `racer-${d.key}-${what}`;
  const init = initChoice(d.init);
  const network: NetworkRowContext = { label, id, update: (change) => ctx.update(d.key, change) };
  const weights: WeightsFieldContext = {
    ...network,
    sizes: ctx.sizes,
    error: ctx.weightsErrors.get(d.key),
    setError: (error) => ctx.setWeightsError(d.key, error),
  };
  return html`
    <li class="racer-card" part="racer" data-racer-index=${index} ${cssomStyle({ '--trace': d.color })}>
      <div class="racer-head">
        <label class="swatch" title="Colour of ${label}">
          <input type="color" .value=${d.color} aria-label="Colour of ${label}"
            @input=${(e: Event) => ctx.update(d.key, { color: (e.target as HTMLInputElement).value })}>
        </label>
        <input class="racer-name-input" type="text" .value=${d.name} placeholder=${spec.label} maxlength="80"
          aria-label="Name of racer ${index + 1}" data-field="name"
          @input=${(e: Event) => ctx.update(d.key, { name: (e.target as HTMLInputElement).value })}>
        <button type="button" class="icon remove" aria-label="Remove ${label}" title="Remove ${label}"
          ?disabled=${ctx.drafts.length <= 1} @click=${() => ctx.remove(d.key)}>✕</button>
      </div>
      <div class="racer-fields">
        <label class="mini">
          <span>Optimizer</span>
          <select data-field="optimizer" aria-label="${label} optimizer" @change=${(e: Event) => {
            const value = (e.target as HTMLSelectElement).value;
            if (isOptimizerId(value)) ctx.update(d.key, { optimizer: value, values: hyperDefaults(value) });
          }}>
            ${optimizers().map((o) => html`<option value=${o.id} ?selected=${o.id === d.optimizer}>${o.label}</option>`)}
          </select>
        </label>
        <label class="mini">
          <span>Init</span>
          <select data-field="init" aria-label="${label} weight init" @change=${(e: Event) => {
            const value = (e.target as HTMLSelectElement).value;
            ctx.update(d.key, { init: value === 'std' ? '0.01' : value });
          }}>
            <option value="he" ?selected=${init === 'he'}>He</option>
            <option value="xavier" ?selected=${init === 'xavier'}>Xavier</option>
            <option value="std" ?selected=${init === 'std'}>std =</option>
          </select>
        </label>
        ${
          init === 'std'
            ? html`
          <label class="mini">
            <span>std</span>
            <input type="number" step="any" min="0" data-field="std" .value=${d.init}
              aria-label="${label} weight standard deviation" aria-invalid=${problems?.init ? 'true' : 'false'}
              aria-describedby=${problems?.init ? id('init') : nothing}
              @input=${(e: Event) => numberText(e, (v) => ctx.update(d.key, { init: v }))}>
          </label>`
            : nothing
        }
        <label class="mini">
          <span>Activation</span>
          <select data-field="activation" aria-label="${label} activation" @change=${(e: Event) => {
            const value = kActivationIds.find((a) => a === (e.target as HTMLSelectElement).value);
            if (value) ctx.update(d.key, { activation: value });
          }}>
            ${kActivationIds.map((a) => html`<option value=${a} ?selected=${a === d.activation}>${kActivationLabels[a]}</option>`)}
          </select>
        </label>
      </div>
      <div class="racer-fields hypers">
        ${spec.hyperparameters.map((h) => {
          const error = problems?.hyper[h.key];
          const value = d.values[h.key] ?? '';
          // As wide as its value (a sweep's 0.0003728), never narrower than six digits.
          const chars = String(Math.max(6, value.length));
          return html`
            <label class="mini" title=${h.label}>
              <span>${h.symbol ?? h.key}</span>
              <input type="number" step="any" data-key=${h.key} .value=${value} ${cssomStyle({ '--chars': chars })}
                aria-label="${label} ${h.label}" aria-invalid=${error ? 'true' : 'false'}
                aria-describedby=${error ? id(h.key) : nothing}
                @input=${(e: Event) => numberText(e, (v) => ctx.update(d.key, { values: { ...d.values, [h.key]: v } }))}>
            </label>`;
        })}
      </div>
      ${spec.hyperparameters.some((h) => h.key === 'lr') || d.schedule.trim() !== '' ? renderSchedule(ctx, d, label, problems?.schedule, id) : nothing}
      ${renderNetworkRow(network, d, problems)}
      ${renderWeightsField(weights, d)}
      ${spec.hyperparameters.map((h) => (problems?.hyper[h.key] ? html`<p class="error" id=${id(h.key)} role="alert">${problems.hyper[h.key]}</p>` : nothing))}
      ${problems?.init ? html`<p class="error" id=${id('init')} role="alert">${problems.init}</p>` : nothing}
      ${problems?.color ? html`<p class="error" role="alert">${problems.color}</p>` : nothing}
      ${problems?.schedule ? html`<p class="error" id=${id('schedule')} role="alert">${problems.schedule}</p>` : nothing}
      ${renderNetworkProblems(network, problems)}
    </li>`;
}

export class RacerEditor extends LitElement {
  static override styles = styles;

  /** The racers shown (the host's; edits come back through `racers-change`). */
  @property({ attribute: false }) drafts: readonly RacerDraft[] = [];

  /** Validation problems per draft key. */
  @property({ attribute: false }) problems: ReadonlyMap<number, DraftProblems> = new Map();

  /** While a race is running or paused the racers cannot change. */
  @property({ type: Boolean }) locked = false;

  @property({ type: Number, attribute: 'max-racers' }) maxRacers = kRaceLimits.racers.max;

  /** The race's iterations: the length of each racer's schedule in its sparkline. */
  @property({ type: Number }) iterations = NaN;

  /** The race's layer sizes, when its settings are valid: a chosen weights file is checked against them. */
  @property({ attribute: false }) sizes: readonly number[] | undefined;

  /** Per racer key, why its last chosen weights file was refused (cleared by a good one). */
  @state() private weightsErrors: ReadonlyMap<number, string> = new Map();

  private readonly setWeightsError = (key: number, error: string | undefined): void => {
    const next = new Map(this.weightsErrors);
    if (error === undefined) next.delete(key);
    else next.set(key, error);
    this.weightsErrors = next;
  };

  /** Sets `drafts` at once (events fired before the host re-renders build on each other) and tells the host. */
  private change(drafts: RacerDraft[]): void {
    this.drafts = drafts;
    const detail: RacersChangeDetail = { drafts };
    this.dispatchEvent(new CustomEvent('racers-change', { detail, bubbles: true }));
  }

  private readonly updateDraft = (key: number, change: Partial<RacerDraft>): void =>
    this.change(this.drafts.map((d) => (d.key === key ? { ...d, ...change } : d)));

  private readonly removeDraft = (key: number): void => this.change(this.drafts.filter((d) => d.key !== key));

  private add(): void {
    const used = new Set(this.drafts.map((d) => d.optimizer));
    const optimizer = optimizerIds().find((o) => !used.has(o)) ?? 'adam';
    this.change([
      ...this.drafts,
      newDraft(
        optimizer,
        this.drafts.map((d) => d.color),
      ),
    ]);
  }

  protected override render(): TemplateResult {
    const ctx: CardContext = {
      drafts: this.drafts,
      iterations: this.iterations,
      problems: this.problems,
      update: this.updateDraft,
      remove: this.removeDraft,
      sizes: this.sizes,
      weightsErrors: this.weightsErrors,
      setWeightsError: this.setWeightsError,
    };
    return html`
      <fieldset class="racers" ?disabled=${this.locked}>
        <legend class="visually-hidden">Racers</legend>
        <ul class="racer-list">
          ${repeat(
            this.drafts,
            (d) => d.key,
            (d, i) => renderCard(ctx, d, i),
          )}
        </ul>
        <div class="racer-actions">
          <button type="button" class="add" ?disabled=${this.drafts.length >= this.maxRacers} @click=${() => this.add()}>+ Add racer</button>
          ${this.locked ? html`<span class="hint">Reset the race to change its racers.</span>` : nothing}
        </div>
      </fieldset>`;
  }
}
