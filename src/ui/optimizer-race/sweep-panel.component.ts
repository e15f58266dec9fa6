/**
 * <sweep-panel>: turns the racers of an <optimizer-race> into a study. Choose optimizers (the
 * registry's), then either a sweep (a key of their hyperparameters, MIN, MAX, COUNT: the CLI's
 * `--sweep KEY=MIN..MAX:COUNT`, read by the same parser, with the same messages) or the LR range
 * test (MIN..MAX: the CLI's `--lr-finder`), or a random search of the first chosen optimizer (a
 * spec and a number of trials: the CLI's `--search SPEC --trials N`, drawn from the race seed,
 * section 6.5 of the book). Its buttons fire `study-apply` with the study; the host
 * replaces its racers with the study's (./study.ts). Every control is labelled and reachable by
 * keyboard; a problem is shown under its fieldset and disables its button.
 */
import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { optimizers, optimizerSpec, type OptimizerId } from '../../optim/registry';
import {
  formatSearchSpec,
  formatSweep,
  kSearchForm,
  parseLrRange,
  parseSearchSpec,
  parseSweep,
  sweepableKeys,
  sweepScale,
  sweepValues,
} from '../../optim/sweep';
import { kRaceLimits } from '../../race/limits';
import { kSweepPresetStudy, studyRacers, type Study } from './study';
import { styles } from './sweep-panel.styles';
import { errorMessage } from '../../util/error-message';
import { shortNumber } from '../../util/short-number';

export interface StudyApplyDetail {
  study: Study;
}
export type StudyApplyEvent = CustomEvent<StudyApplyDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'study-apply': StudyApplyEvent;
  }
}

/** A study the fields describe, with its racer count, or the problem with them. */
type Checked = { study: Study; racers: number; problem?: undefined } | { problem: string; study?: undefined };

function check(build: () => Study, seed: number): Checked {
  try {
    const study = build();
    return { study, racers: studyRacers(study, seed).length };
  } catch (error) {
    return { problem: errorMessage(error) };
  }
}

/** A suggested range when the key changes: the CLI's examples for lr, half the default up to near the top otherwise. */
function suggestedRange(key: string): [string, string] {
  if (key === 'lr') return ['1e-4', '1'];
  const spec = optimizers()
    .flatMap((o) => o.hyperparameters)
    .find((h) => h.key === key);
  if (!spec) return ['', ''];
  const hi = Number.isFinite(spec.max) ? spec.max - (spec.max - spec.default) / 10 : spec.default * 10;
  return [shortNumber(spec.default / 2, 3), shortNumber(hi, 4)];
}

export class SweepPanel extends LitElement {
  static override styles = styles;

  /** While a race is running or paused the racers cannot change. */
  @property({ type: Boolean }) locked = false;

  /** Why a race of this many racers would not fit the device it would run on, or null (src/race/device-fit.ts). */
  @property({ attribute: false }) fits: ((racers: number) => string | null) | null = null;

  /** The study the racers are now (a preset's, a link's): the fields show it. */
  @property({ attribute: false }) study: Study | null = null;

  /** The race seed: a search draws its trials from it. */
  @property({ type: Number }) seed = 1;

  @state() private chosen: OptimizerId[] = [...kSweepPresetStudy.optimizers];
  @state() private key = 'lr';
  @state() private min = '1e-4';
  @state() private max = '1';
  @state() private count = '8';
  @state() private lrMin = '1e-6';
  @state() private lrMax = '10';
  @state() private searchSpec = 'lr=1e-6..1e-2:log,l2=1e-8..1e-4:log';
  @state() private trials = '100';

  protected override willUpdate(changed: PropertyValues<this>): void {
    const study = this.study;
    if (!changed.has('study') || !study) return;
    this.chosen = [...study.optimizers];
    if (study.kind === 'sweep') {
      ({ key: this.key } = study.sweep);
      [this.min, this.max, this.count] = [study.sweep.min, study.sweep.max, study.sweep.count].map(String);
    } else if (study.kind === 'lr-finder') [this.lrMin, this.lrMax] = [String(study.min), String(study.max)];
    else [this.searchSpec, this.trials] = [formatSearchSpec(study.spec), String(study.trials)];
  }

  /** The chosen optimizers in registry order. */
  private get ids(): OptimizerId[] {
    return optimizers()
      .map((o) => o.id)
      .filter((id) => this.chosen.includes(id));
  }

  private sweepCheck(): Checked {
    // The CLI's text form, so the parser and its messages are the CLI's.
    const checked = check(
      () => ({
        kind: 'sweep',
        sweep: parseSweep(`${this.key}=${this.min}..${this.max}:${this.count}`, kRaceLimits.racers.max),
        optimizers: this.ids,
      }),
      this.seed,
    );
    const tooLarge = checked.problem === undefined ? this.fits?.(checked.racers) : null;
    return tooLarge ? { problem: `This sweep does not fit this GPU: ${tooLarge}.` } : checked;
  }

  private lrCheck(): Checked {
    return check(() => {
      const [min, max] = parseLrRange(`${this.lrMin}..${this.lrMax}`);
      return { kind: 'lr-finder', min, max, optimizers: this.ids };
    }, this.seed);
  }

  private searchCheck(): Checked {
    const checked = check(() => {
      const [optimizer] = this.ids;
      if (!optimizer) throw new Error('choose an optimizer to search');
      const trials = this.trials.trim() === '' ? Number.NaN : Number(this.trials);
      return { kind: 'search', spec: parseSearchSpec(this.searchSpec), trials, optimizers: [optimizer] };
    }, this.seed);
    const tooLarge = checked.problem === undefined ? this.fits?.(checked.racers) : null;
    return tooLarge ? { problem: `This search does not fit this GPU: ${tooLarge}.` } : checked;
  }

  private apply(study: Study): void {
    const detail: StudyApplyDetail = { study };
    this.dispatchEvent(new CustomEvent('study-apply', { detail, bubbles: true }));
  }

  private toggle(id: OptimizerId, on: boolean): void {
    this.chosen = on ? [...this.chosen, id] : this.chosen.filter((x) => x !== id);
  }

  private pickKey(key: string): void {
    this.key = key;
    [this.min, this.max] = suggestedRange(key);
  }

  private text(name: string, label: string, value: string, set: (v: string) => void, problem: boolean, errorId: string): TemplateResult {
    return html`
      <label class="field narrow">
        <span>${label}</span>
        <input type="text" inputmode="decimal" spellcheck="false" autocomplete="off" data-sweep=${name} .value=${value}
          aria-invalid=${problem ? 'true' : 'false'} aria-describedby=${errorId}
          @input=${(e: Event) => set((e.target as HTMLInputElement).value)}>
      </label>`;
  }

  private status(checked: Checked, id: string, describe: (study: Study, racers: number) => string): TemplateResult {
    return checked.problem !== undefined
      ? html`<p class="error" id=${id} role="alert">${checked.problem}</p>`
      : html`<p class="hint" id=${id}>${describe(checked.study, checked.racers)}</p>`;
  }

  protected override render(): TemplateResult {
    const sweep = this.sweepCheck();
    const lr = this.lrCheck();
    const search = this.searchCheck();
    const describeSearch = (study: Study, racers: number): string =>
      study.kind === 'search'
        ? `${racers} racers of ${optimizerSpec(study.optimizers[0]).label} (the first chosen optimizer), values drawn from the race seed ${this.seed}; --search ${formatSearchSpec(study.spec)} --trials ${racers}`
        : '';
    const describeSweep = (study: Study, racers: number): string => {
      if (study.kind !== 'sweep') return '';
      const values = sweepValues(study.sweep).map(String);
      return `${racers} racers: ${study.optimizers.length} optimizers × ${study.sweep.key} = ${values.join(', ')} (${sweepScale(study.sweep.key) === 'log' ? 'log-spaced' : 'evenly spaced'}; --sweep ${formatSweep(study.sweep)})`;
    };
    const describeLr = (study: Study, racers: number): string =>
      study.kind === 'lr-finder' ? `${racers} racers: lr from ${study.min} to ${study.max}, growing exponentially over the race's iterations` : '';
    return html`
      <fieldset class="panel" ?disabled=${this.locked}>
        <legend class="visually-hidden">Sweep, LR range test or random search</legend>
        <fieldset class="optimizers">
          <legend class="label">Optimizers</legend>
          <div class="choices">
            ${optimizers().map(
              (o) => html`
              <label class="check"><input type="checkbox" data-optimizer=${o.id} .checked=${this.chosen.includes(o.id)}
                @change=${(e: Event) => this.toggle(o.id, (e.target as HTMLInputElement).checked)}>${o.label}</label>`,
            )}
          </div>
        </fieldset>
        <fieldset class="study">
          <legend class="label">Sweep a hyperparameter</legend>
          <div class="row">
            <label class="field narrow">
              <span>Key</span>
              <select data-sweep="key" aria-describedby="sweep-status" @change=${(e: Event) => this.pickKey((e.target as HTMLSelectElement).value)}>
                ${sweepableKeys().map((k) => html`<option value=${k} ?selected=${k === this.key}>${k}</option>`)}
              </select>
            </label>
            ${this.text('min', 'Min', this.min, (v) => (this.min = v), sweep.problem !== undefined, 'sweep-status')}
            ${this.text('max', 'Max', this.max, (v) => (this.max = v), sweep.problem !== undefined, 'sweep-status')}
            ${this.text('count', 'Count', this.count, (v) => (this.count = v), sweep.problem !== undefined, 'sweep-status')}
            <button type="button" data-action="apply-sweep" ?disabled=${!sweep.study}
              @click=${() => sweep.study && this.apply(sweep.study)}>Race this sweep</button>
          </div>
          ${this.status(sweep, 'sweep-status', describeSweep)}
        </fieldset>
        <fieldset class="study">
          <legend class="label">LR range test</legend>
          <div class="row">
            ${this.text('lr-min', 'Min lr', this.lrMin, (v) => (this.lrMin = v), lr.problem !== undefined, 'lr-status')}
            ${this.text('lr-max', 'Max lr', this.lrMax, (v) => (this.lrMax = v), lr.problem !== undefined, 'lr-status')}
            <button type="button" data-action="apply-lr-range" ?disabled=${!lr.study}
              @click=${() => lr.study && this.apply(lr.study)}>Race the LR range test</button>
          </div>
          ${this.status(lr, 'lr-status', describeLr)}
        </fieldset>
        <fieldset class="study">
          <legend class="label">Random search</legend>
          <div class="row">
            <label class="field wide">
              <span>Spec</span>
              <input type="text" spellcheck="false" autocomplete="off" data-sweep="search-spec" .value=${this.searchSpec} title=${kSearchForm}
                aria-invalid=${search.problem !== undefined ? 'true' : 'false'} aria-describedby="search-status"
                @input=${(e: Event) => (this.searchSpec = (e.target as HTMLInputElement).value)}>
            </label>
            ${this.text('trials', 'Trials', this.trials, (v) => (this.trials = v), search.problem !== undefined, 'search-status')}
            <button type="button" data-action="apply-search" ?disabled=${!search.study}
              @click=${() => search.study && this.apply(search.study)}>Race this search</button>
          </div>
          ${this.status(search, 'search-status', describeSearch)}
        </fieldset>
        ${this.locked ? html`<p class="hint">Reset the race to change its racers.</p>` : nothing}
        <p class="hint">Each replaces the racers below (at most ${kRaceLimits.racers.max}); ${optimizerSpec('sgd').label} and the others keep their other hyperparameters at the defaults.</p>
      </fieldset>`;
  }
}
