import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { resolveRace } from '../../race/config';
import { formatSearchSpec, parseSearchSpec, type SearchSpec } from '../../optim/sweep';
import { errorMessage } from '../../util/error-message';
import { EmbeddedRaceElement } from '../chapter6-race/embedded-race-element';
import type { RacePlan } from '../optimizer-race/race-controller';
import { themeTokens } from '../theme';
import { renderAbout, renderNarrow, renderSpecFields, renderTested, type SearchView } from './search-race-view';
import { searchRaceStyles } from './search-race.styles';
import { trialResults, type SearchRound, type TrialResult } from './search-figure-data';
import { proposedBox, proposeNarrowed, type FinishedRound } from './search-rounds';
import { kBookSearch, searchRoundConfig, searchSeed } from './search-config';
import { testBestTrials, type TestedRow } from './test-best';

/** How many of the best trials "Test the best" measures on the test set. */
export const kTestBest = 5;

/**
 * The book's hyperparameter search (section 6.5, hyperparameter_optimization.py) as one race: the
 * `hypersearch` preset (src/race/chapter6-presets.ts: 500 training images of which 20% are held
 * out for validation, 100 networks 784-100x6-10 with SGD, lr = 10^U(−6, −2), λ = 10^U(−8, −4),
 * batch 100, 50 epochs), every trial a racer, raced with Start/Pause/Reset on the engine the MNIST
 * race would use (../chapter6-race/embedded-race-controller.ts, as <chapter6-race>; the element
 * owns no GPU buffers), with figure 6-24 (<search-best-figure>), the book's "Best-k" lines and the
 * landscape (<search-landscape>) filling in as the engine reports each epoch. When a round
 * finishes, "Narrow and search again" proposes the box around the top five (editable) and races a
 * second round; every round stays on the landscape. "Test the best" measures the best five on the
 * test set afterwards, labelled as such: the search itself never touches it.
 *
 * @fires race-progress - CustomEvent<{iteration, iterations, losses, speed}> after each chunk of iterations.
 * @fires race-finished - CustomEvent<{history, backend}> once per round that ran to its end.
 *
 * @csspart base - the element's outer box
 * @csspart toolbar - Start, Reset, the progress and the engine badge
 * @csspart backend - the engine badge
 * @csspart message - notices and errors
 * @csspart spec - the search spec's fields
 * @csspart narrow - the narrowed box and "Search again"
 *
 * @cssproperty --or-accent - buttons, the badge, the validation lines
 */
export class SearchRace extends EmbeddedRaceElement {
  static override styles = [themeTokens, searchRaceStyles];

  /** The search spec (the preset's: `lr=1e-6..1e-2:log,l2=1e-8..1e-4:log`); the field edits it too. */
  @property() spec = formatSearchSpec(kBookSearch?.spec ?? { ranges: [] });
  /** Trials (racers); unset: the preset's 100. */
  @property({ type: Number }) trials?: number;
  /** Overrides the preset's epochs (a shorter search, e.g. for a test). */
  @property({ type: Number }) epochs?: number;
  /** Overrides the preset's training-set limit (the validation share is held out of it). */
  @property({ type: Number, attribute: 'train-limit' }) trainLimit?: number;
  /** Overrides the preset's hidden layers (`100x6`, `20,20`). */
  @property({ attribute: 'hidden-layers' }) hiddenLayers?: string;
  /** Overrides the preset's seed (round k races seed + k − 1). */
  @property({ type: Number }) seed?: number;

  /** Why the settings cannot race, or null. */
  @state() private problem: string | null = null;
  /** The spec field as typed, and its problem. */
  @state() private specText = '';
  @state() private specProblem: string | null = null;
  /** The spec this round races (the field's until a narrowed round). */
  @state() private roundSpec: SearchSpec | null = null;
  /** Rounds already raced (their results kept for the landscape and the grid). */
  @state() private finished: FinishedRound[] = [];
  /** The narrowed box as typed, its problem. */
  @state() private narrowText: string | null = null;
  @state() private narrowProblem: string | null = null;
  @state() private tested: TestedRow[] | null = null;
  @state() private testing = false;

  /** 1: the first search; 2 after "Search again", ... */
  get round(): number {
    return this.finished.length + 1;
  }

  /** Every trial so far, every round, with its drawn values and accuracies. */
  get results(): TrialResult[] {
    return [...this.finished.flatMap((r) => r.results), ...this.currentResults()];
  }

  /** Every round's spec and trials (the landscape's). */
  get rounds(): SearchRound[] {
    const spec = this.roundSpec;
    return [...this.finished, ...(spec ? [{ spec, results: this.currentResults() }] : [])];
  }

  /** Why Start cannot run, or null. */
  get error(): string | null {
    return this.specProblem ?? this.problem ?? this.controls.data.error ?? this.race.error?.text ?? null;
  }

  /** Drops every round: the figures are empty, the next Start races round 1 of the spec field. */
  reset(): void {
    this.race.reset();
    this.finished = [];
    this.narrowText = null;
    this.narrowProblem = null;
    this.tested = null;
    this.applySpec(this.specText);
  }

  /** The box proposed for the next round (edited, or around the top trials), or why there is none; null while a round runs. */
  get proposal(): { text: string } | { problem: string } | null {
    if (this.race.status !== 'finished' || !this.roundSpec) return null;
    return this.narrowText !== null ? { text: this.narrowText } : proposeNarrowed(this.roundSpec, this.currentResults());
  }

  /** Races the next round on `text` (default: the narrowed box as proposed or edited); a bad spec is explained and nothing changes. */
  async searchAgain(text?: string): Promise<void> {
    const proposal = this.proposal;
    text ??= proposal && 'text' in proposal ? proposal.text : '';
    let spec: SearchSpec;
    try {
      spec = parseSearchSpec(text);
    } catch (error) {
      this.narrowProblem = errorMessage(error);
      return;
    }
    const current = this.roundSpec;
    if (!current || this.race.locked) return;
    this.finished = [...this.finished, { spec: current, results: this.currentResults(), seed: this.roundSeedNow }];
    this.race.reset();
    this.roundSpec = spec;
    this.narrowText = null;
    this.narrowProblem = null;
    this.tested = null;
    this.resolve();
    if (this.resolved) await this.start();
  }

  /** Measures the best kTestBest trials of the current round on the test set (after the round). */
  async testBest(count = kTestBest): Promise<TestedRow[] | null> {
    const engine = this.race.engine;
    if (!engine || this.race.locked || this.testing) return null;
    this.testing = true;
    try {
      this.tested = await testBestTrials(engine, count);
      return this.tested;
    } catch (error) {
      this.race.fail(`Could not test the best trials: ${errorMessage(error)}`, error);
      return null;
    } finally {
      this.testing = false;
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('spec')) this.specText = this.spec;
    const settings = ['spec', 'trials', 'epochs', 'trainLimit', 'hiddenLayers', 'seed'] as const;
    if (settings.some((k) => changed.has(k))) {
      // A search of other settings is another search: the rounds (and the figures) go.
      if (this.hasUpdated) this.race.reset();
      this.finished = [];
      this.narrowText = null;
      this.tested = null;
      this.applySpec(this.specText);
    }
    // After the settings: a race they dropped no longer holds the engine when it settles.
    super.willUpdate(changed);
  }

  /** The spec field's text becomes round 1's spec (while no round has been raced); a bad one is explained. */
  private applySpec(text: string): void {
    this.specText = text;
    try {
      this.roundSpec = parseSearchSpec(text);
      this.specProblem = null;
    } catch (error) {
      this.specProblem = errorMessage(error);
      return;
    }
    this.resolve();
  }

  private get roundSeedNow(): number {
    return searchSeed(this, this.round);
  }

  private resolve(): void {
    this.resolved = null;
    const spec = this.roundSpec;
    if (!spec) return;
    try {
      this.resolved = resolveRace(searchRoundConfig(spec, this.round, this));
      this.problem = null;
    } catch (error) {
      this.problem = errorMessage(error);
    }
  }

  private currentResults(): TrialResult[] {
    const trials = this.resolved?.trials ?? [];
    return trialResults(trials, this.race.engine?.history ?? [], this.round);
  }

  protected override async plan(): Promise<RacePlan | null> {
    if (!this.resolved) return null;
    const plan = await this.controls.planOn(this.resolved, true);
    if (plan) this.tested = null;
    return plan;
  }

  private view(): SearchView {
    const narrow = this.proposal;
    return {
      status: this.race.status,
      round: this.round,
      problem: this.specProblem ?? this.problem,
      specText: this.specText,
      trials: this.resolved?.racers.length ?? this.trials ?? kBookSearch?.trials ?? 0,
      narrow,
      narrowProblem: this.narrowProblem,
      tested: this.tested,
      testing: this.testing,
      seed: this.roundSeedNow,
    };
  }

  protected override render(): TemplateResult {
    const view = this.view();
    const results = this.results;
    const epochs = this.resolved?.config.epochs ?? this.resolved?.evaluations.length ?? 1;
    const actions = {
      spec: (text: string) => (this.race.locked || this.finished.length ? undefined : this.applySpec(text)),
      narrowInput: (text: string) => {
        this.narrowText = text;
        this.narrowProblem = null;
      },
      searchAgain: () => void this.searchAgain(),
      testBest: () => void this.testBest(),
    };
    const toolbar = {
      resolved: this.resolved,
      settingsReady: this.resolved !== null && !this.specProblem,
      canReset: !!this.race.engine || view.round > 1,
      reset: () => this.reset(),
      readoutPrefix: view.round > 1 ? `round ${view.round}, ` : '',
    };
    return html`<div part="base" class="base">
      ${this.controls.renderToolbar(toolbar)}
      ${this.controls.renderNotices(view.problem, 'The search stopped; a restart races this round again from epoch 0.')}
      ${renderSpecFields(view, actions, this.race.locked || this.finished.length > 0)}
      ${this.resolved ? renderAbout(this.resolved, view) : nothing}
      <section class="figure" aria-label="The best trials">
        <h4>The best ${Math.min(20, results.length)} trials (figure 6-24)</h4>
        <search-best-figure .results=${results} epochs=${epochs}></search-best-figure>
      </section>
      <section class="figure" aria-label="The landscape">
        <h4>Every trial over its searched values</h4>
        <search-landscape .rounds=${this.rounds} .box=${proposedBox(view.narrow)}></search-landscape>
      </section>
      ${renderNarrow(view, actions)}
      ${renderTested(view, actions)}
    </div>`;
  }
}
