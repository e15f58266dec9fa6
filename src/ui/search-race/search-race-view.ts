/**
 * <search-race>'s own controls and notes as templates: the spec fields, what runs, the narrowed box
 * with "Search again", and the trials tested on the test set (the toolbar and the notices are
 * ../chapter6-race/embedded-race-controller.ts's). The element decides; these draw.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { kSearchForm, trialAccuracyText, trialValuesText } from '../../optim/sweep';
import type { ResolvedRace } from '../../race/config';
import type { RaceStatus } from '../../race/engine';
import { shortNumber } from '../../util/short-number';
import { kNarrowTop } from './search-rounds';
import type { TestedRow } from './test-best';

export interface SearchView {
  status: RaceStatus;
  round: number;
  problem: string | null;
  specText: string;
  trials: number;
  /** After a round: the box to search next (as text) or why there is none. */
  narrow: { text: string } | { problem: string } | null;
  narrowProblem: string | null;
  tested: TestedRow[] | null;
  testing: boolean;
  seed: number;
}

export interface SearchActions {
  spec(text: string): void;
  narrowInput(text: string): void;
  searchAgain(): void;
  testBest(): void;
}

export function renderSpecFields(v: SearchView, a: SearchActions, locked: boolean): TemplateResult {
  return html`<div class="spec" part="spec">
    <label class="spec-field">
      <span>Search</span>
      <input type="text" data-field="spec" .value=${v.specText} ?disabled=${locked} spellcheck="false" autocomplete="off"
        aria-invalid=${v.problem ? 'true' : 'false'} aria-describedby="spec-form"
        @change=${(e: Event) => a.spec((e.target as HTMLInputElement).value)}>
    </label>
    <p class="hint" id="spec-form">${kSearchForm}; ${v.trials} trials drawn from seed ${v.seed}.</p>
  </div>`;
}

/** What runs, from the resolved config. */
export function renderAbout(race: ResolvedRace, v: SearchView): TemplateResult {
  const { config, racers } = race;
  const epochs = config.epochs ?? race.evaluations.length;
  const first = racers[0];
  return html`<p class="about" data-about>
    ${v.round > 1 ? html`Round ${v.round}: ` : nothing}${racers.length} networks ${config.sizes.join('-')} (ReLU) with ${first?.spec.label ?? ''}, batches of
    ${config.batchSize} from ${race.trainSize.toLocaleString('en')} training images; ${race.validationSize.toLocaleString('en')} more held out for
    validation (never trained on), ${epochs} epochs (${config.iterations} iterations), seed ${config.seed}. Accuracy is measured after each epoch
    on the training and the validation images; the test set is not touched.
  </p>`;
}

export function renderNarrow(v: SearchView, a: SearchActions): TemplateResult | typeof nothing {
  if (!v.narrow) return nothing;
  if ('problem' in v.narrow) return html`<p class="notice warn" part="narrow" role="status">No box to narrow to yet: ${v.narrow.problem}.</p>`;
  return html`<div class="narrow" part="narrow">
    <label class="spec-field">
      <span>Narrow and search again</span>
      <input type="text" data-field="narrow" .value=${v.narrow.text} spellcheck="false" autocomplete="off"
        aria-invalid=${v.narrowProblem ? 'true' : 'false'} aria-describedby="narrow-hint"
        @input=${(e: Event) => a.narrowInput((e.target as HTMLInputElement).value)}
        @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && a.searchAgain()}>
    </label>
    <button type="button" class="primary" data-action="search-again" @click=${a.searchAgain}>Search again</button>
    <p class="hint" id="narrow-hint">The box around the top ${kNarrowTop} trials by validation accuracy (the dashed box on the landscape); edit it, then search again with ${v.trials} new trials. Every round stays on the landscape.</p>
    ${v.narrowProblem ? html`<p class="notice error" role="alert" data-problem="narrow">${v.narrowProblem}</p>` : nothing}
  </div>`;
}

export function renderTested(v: SearchView, a: SearchActions): TemplateResult | typeof nothing {
  if (v.status !== 'finished' && !v.tested) return nothing;
  return html`<div class="tested">
    <button type="button" data-action="test-best" ?disabled=${v.testing || v.status !== 'finished'} @click=${a.testBest}>Test the best</button>
    ${
      v.tested
        ? html`<table data-tested>
            <caption>Tested after the search: the best ${v.tested.length} of round ${v.round} on the test set</caption>
            <thead><tr><th scope="col">rank</th><th scope="col">trial</th><th scope="col">values</th><th scope="col">validation</th><th scope="col">test</th></tr></thead>
            <tbody>${v.tested.map(
              (t) => html`<tr><td>${t.rank}</td><th scope="row">trial ${t.number}</th><td>${trialValuesText(t.values)}</td>
                <td>${trialAccuracyText(t.validation)}</td><td>${shortNumber(t.test, 3)}</td></tr>`,
            )}</tbody>
          </table>`
        : nothing
    }
  </div>`;
}
