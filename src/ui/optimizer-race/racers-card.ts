/**
 * <optimizer-race>'s racers card. Racers that are a study's (a sweep's 48, a search's 100) are
 * shown as that study, with the place to edit it (the sweep panel), until asked to unfold them
 * into one card each; a few racers, or racers of no study, are the editor's cards at once.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { DraftProblems, RacerDraft } from './racers';
import type { RacersChangeEvent } from './events';
import { describeStudy, type Study } from './study';
import './racer-editor';

/** Up to this many racers a study's racers are shown as cards at once. */
export const kFoldStudyRacersAbove = 12;

export interface RacersCardView {
  drafts: readonly RacerDraft[];
  problems: ReadonlyMap<number, DraftProblems>;
  locked: boolean;
  iterations: number;
  study: Study | null;
  /** The race seed (a search's trials are drawn from it). */
  seed: number;
  /** The study's racers are unfolded into cards. */
  unfolded: boolean;
  /** The race's layer sizes when valid (the editor checks a chosen weights file against them). */
  sizes?: readonly number[];
}

export interface RacersCardActions {
  change(drafts: RacerDraft[]): void;
  unfold(open: boolean): void;
}

export function renderRacersCard(v: RacersCardView, a: RacersCardActions): TemplateResult {
  const folded = v.study !== null && v.drafts.length > kFoldStudyRacersAbove;
  const editor = html`<racer-editor exportparts="racer" .drafts=${v.drafts} .problems=${v.problems} ?locked=${v.locked} .iterations=${v.iterations} .sizes=${v.sizes}
    @racers-change=${(e: RacersChangeEvent) => a.change(e.detail.drafts)}></racer-editor>`;
  const from = v.study?.kind === 'search' ? `, drawn from seed ${v.seed}` : '';
  return html`<details class="card racers-card" part="racers" open>
    <summary><h3>Racers <span class="count">(${v.drafts.length})</span></h3></summary>
    ${
      folded && v.study
        ? html`<div class="study-racers" data-study-racers>
            <p>These ${v.drafts.length} racers are the ${describeStudy(v.study)}${from}: change them in “Sweep / LR range test / search” above.
              Editing one of them ends the study (the link then stores every racer).</p>
            <button type="button" data-action="unfold-racers" aria-expanded=${v.unfolded ? 'true' : 'false'} @click=${() => a.unfold(!v.unfolded)}>
              ${v.unfolded ? 'Fold the racers' : `Edit the ${v.drafts.length} racers one by one`}</button>
          </div>
          ${v.unfolded ? editor : nothing}`
        : editor
    }
  </details>`;
}
