/**
 * <optimizer-race>'s search card, while its racers are a search's: the trials ranked with the
 * book's "Best-k" lines (src/optim/sweep/search-report.ts, the CLI's) by the accuracy the race
 * measures (validation where it holds a validation share out, else test: a search here is a
 * sketch; the page's "Hyperparameter search" section tunes on validation data as the book does),
 * and the trials CSV.
 */
import { html, type TemplateResult } from 'lit';
import { bestLines, formatSearchSpec } from '../../optim/sweep';
import { downloadText } from './export';
import { trialExports, trialsCsv, type SearchStudy } from './search-export';
import type { StudyView } from './study-view';

/** Lines shown (the book prints 20). */
const kLines = 10;

export function searchCard(study: SearchStudy, view: StudyView): TemplateResult {
  const trials = trialExports(study, view.seed, view.history);
  const validation = trials.some((t) => t.validation !== null);
  const outcomes = trials.map((t) => ({ ...t, validation: validation ? t.validation : (t.test ?? null) }));
  const measured = outcomes.some((o) => o.validation !== null);
  const lines = bestLines(outcomes, kLines).map((l) => (validation ? l : l.replace('(val acc:', '(test acc:')));
  return html`
    <section class="card search-card" part="search-card" aria-labelledby="search-title">
      <header class="card-head"><h3 id="search-title">Search: ${study.trials} trials of ${formatSearchSpec(study.spec)}</h3>
        <span class="hint">drawn from seed ${view.seed}; ranked by ${validation ? 'validation' : 'test'} accuracy</span></header>
      ${
        measured
          ? html`<ol class="best-lines" tabindex="0" aria-label="The best trials">${lines.map((l) => html`<li>${l}</li>`)}</ol>`
          : html`<p class="empty">Press Start: the best trials appear here as they are measured.</p>`
      }
      <div class="export" role="group" aria-label="Export the trials">
        <button type="button" data-export="trials-csv" ?disabled=${view.history.length === 0}
          @click=${() => downloadText(trialsCsv(study, trialExports(study, view.seed, view.history)), 'optimizer-race-trials.csv', 'text/csv')}>Trials CSV</button>
      </div>
    </section>`;
}
