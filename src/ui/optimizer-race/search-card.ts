/**
 * <optimizer-race>'s search card, while its racers are a search's: the trials ranked with the
 * book's "Best-k" lines (src/optim/sweep/search-report.ts, the CLI's) by the accuracy the race
 * measures (validation where it holds a validation share out, as the book tunes; else test, and
 * the card says so), "Test the best" (a validated search's best trials on the test set, after the
 * search, labelled so), and the trials CSV.
 */
import { html, type TemplateResult } from 'lit';
import { bestLines, formatSearchSpec } from '../../optim/sweep';
import type { TestedTrial } from '../../race/search-race';
import { downloadText } from './export';
import { trialExports, trialsCsv, type SearchStudy } from './search-export';
import type { StudyView } from './study-view';

/** Lines shown (the book prints 20). */
const kLines = 10;

const acc = (x: number | null): string => (x === null ? '–' : x.toFixed(2));

/** "Test the best"'s rows: measured on the test set after the search, never beside its ranking. */
function renderTested(rows: readonly TestedTrial[]): TemplateResult {
  return html`<section class="tested" aria-label="Tested after the search">
    <h4>On the test set, after the search (iteration ${rows[0]?.iteration ?? 0})</h4>
    ${
      rows.length
        ? html`<ol class="best-lines">${rows.map((r) => html`<li>Best-${r.rank} (trial ${r.number}): test acc ${acc(r.test)} (val acc ${acc(r.validation)})</li>`)}</ol>`
        : html`<p class="empty">No trial measured yet: none to test.</p>`
    }
  </section>`;
}

export function searchCard(study: SearchStudy, view: StudyView, testBest: () => void): TemplateResult {
  const trials = trialExports(study, view.seed, view.history);
  const validation = trials.some((t) => t.validation !== null);
  const outcomes = trials.map((t) => ({ ...t, validation: validation ? t.validation : (t.test ?? null) }));
  const measured = outcomes.some((o) => o.validation !== null);
  const lines = bestLines(outcomes, kLines).map((l) => (validation ? l : l.replace('(val acc:', '(test acc:')));
  return html`
    <section class="card search-card" part="search-card" aria-labelledby="search-title">
      <header class="card-head"><h3 id="search-title">Search: ${study.trials} trials of ${formatSearchSpec(study.spec)}</h3>
        <span class="hint">drawn from seed ${view.seed}; ranked by ${validation ? 'validation accuracy' : 'test accuracy (set a validation share to tune on held-out images)'}</span></header>
      ${
        measured
          ? html`<ol class="best-lines" tabindex="0" aria-label="The best trials">${lines.map((l) => html`<li>${l}</li>`)}</ol>`
          : html`<p class="empty">Press Start: the best trials appear here as they are measured.</p>`
      }
      ${validation && view.tested ? renderTested(view.tested) : ''}
      <div class="export" role="group" aria-label="Export the trials">
        ${
          validation
            ? html`<button type="button" data-action="test-best" ?disabled=${view.locked || view.testing || !measured}
                title="Measures the best 5 trials by validation accuracy on the test set, which the search never touched" @click=${testBest}>Test the best</button>`
            : ''
        }
        <button type="button" data-export="trials-csv" ?disabled=${view.history.length === 0}
          @click=${() => downloadText(trialsCsv(study, trialExports(study, view.seed, view.history)), 'optimizer-race-trials.csv', 'text/csv')}>Trials CSV</button>
      </div>
    </section>`;
}
