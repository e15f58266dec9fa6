/**
 * The study cards of <optimizer-race>: the sweep panel (always, folded by default), and while the
 * racers are a sweep's the sensitivity charts (final loss and test accuracy against the swept
 * value), or while they are an LR range test's the LR finder chart, each with CSV and PNG export;
 * while they are a search's, its trials ranked with the book's "Best-k" lines and the trials CSV.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { RacerHistory } from '../../race/engine';
import type { TestedTrial } from '../../race/search-race';
import type { LrFinderChart } from '../charts/lr-finder-chart';
import type { SensitivityChart } from '../charts/sensitivity-chart';
import { lazyElement, LazyModule } from '../lazy-element';
import { download, downloadText } from './export';
import type { StudyApplyEvent } from './sweep-panel';
import './sweep-panel';
import { describeStudy, type Study } from './study';
import { lrFinderCsv, sensitivityCsv } from './study-export';
import { searchCard } from './search-card';
import { errorMessage } from '../../util/error-message';

// The sweep's charts: chunks of their own, loaded when a sweep or an LR range test is first raced.
const kSensitivityChart = new LazyModule('the sensitivity charts', ['sensitivity-chart'], () => import('../charts/sensitivity-chart'));
const kLrFinderChart = new LazyModule('the LR finder chart', ['lr-finder-chart'], () => import('../charts/lr-finder-chart'));

export interface StudyView {
  /** The study the racers are, or null. */
  study: Study | null;
  history: readonly RacerHistory[];
  /** The race's iterations (the range schedule's total). */
  iterations: number;
  /** Changes whenever the race reports (iteration and evaluations). */
  revision: string;
  locked: boolean;
  /** Why a race of this many racers would not fit the GPU it would run on, or null (none, or it fits). */
  fits: ((racers: number) => string | null) | null;
  /** The race seed (a search's trials are drawn from it). */
  seed: number;
  /** A validated search's best trials measured on the test set after it ("Test the best"), or null. */
  tested: readonly TestedTrial[] | null;
  testing: boolean;
}

export interface StudyActions {
  apply(study: Study): void;
  /** An export failed. */
  failed(text: string, cause: unknown): void;
  /** "Test the best" of a validated search. */
  testBest(): void;
}

/** The chart of `selector` in the card of the clicked button. */
function chartIn<T extends Element>(e: Event, selector: string): T | null {
  return (e.target as HTMLElement).closest('section')?.querySelector<T>(selector) ?? null;
}

async function png(chart: SensitivityChart | LrFinderChart | null, filename: string, actions: StudyActions): Promise<void> {
  if (!chart) return;
  try {
    download(await chart.toPNG(), filename);
  } catch (error) {
    actions.failed(`Could not export the chart: ${errorMessage(error)}`, error);
  }
}

function sensitivityCard(view: StudyView, key: string, actions: StudyActions): TemplateResult {
  const loss = (e: Event) => chartIn<SensitivityChart>(e, 'sensitivity-chart[metric="loss"]');
  return html`
    <section class="card sensitivity-card" part="sensitivity-card" aria-labelledby="sensitivity-title">
      <header class="card-head"><h3 id="sensitivity-title">Sensitivity to ${key}</h3>
        <span class="hint">final loss: mean of the last 10% of the iterations; rings at the edge: diverged</span></header>
      <div class="charts">
        ${lazyElement(
          kSensitivityChart,
          () => html`
            <sensitivity-chart metric="loss" .key=${key} .racers=${view.history} .revision=${view.revision}></sensitivity-chart>
            <sensitivity-chart metric="accuracy" .key=${key} .racers=${view.history} .revision=${view.revision}></sensitivity-chart>`,
        )}
      </div>
      <div class="export" role="group" aria-label="Export the sensitivity">
        <button type="button" data-export="sensitivity-csv" ?disabled=${view.history.length === 0}
          @click=${(e: Event) => {
            const chart = loss(e);
            if (chart) downloadText(sensitivityCsv(chart.analysis), 'optimizer-race-sensitivity.csv', 'text/csv');
          }}>Sensitivity CSV</button>
        <button type="button" data-export="sensitivity-loss-png" @click=${(e: Event) => void png(loss(e), 'optimizer-race-sensitivity-loss.png', actions)}>Loss PNG</button>
        <button type="button" data-export="sensitivity-accuracy-png"
          @click=${(e: Event) => void png(chartIn(e, 'sensitivity-chart[metric="accuracy"]'), 'optimizer-race-sensitivity-accuracy.png', actions)}>Accuracy PNG</button>
      </div>
    </section>`;
}

function lrFinderCard(view: StudyView, actions: StudyActions): TemplateResult {
  const chart = (e: Event) => chartIn<LrFinderChart>(e, 'lr-finder-chart');
  return html`
    <section class="card lr-finder-card" part="lr-finder-card" aria-labelledby="lr-finder-title">
      <header class="card-head"><h3 id="lr-finder-title">LR range test</h3>
        <span class="hint">loss smoothed as fastai does (β = 0.98); ring: steepest descent, cross: divergence</span></header>
      ${lazyElement(kLrFinderChart, () => html`<lr-finder-chart .racers=${view.history} .iterations=${view.iterations} .revision=${view.revision}></lr-finder-chart>`)}
      <div class="export" role="group" aria-label="Export the LR range test">
        <button type="button" data-export="lr-finder-csv" ?disabled=${view.history.length === 0}
          @click=${(e: Event) => {
            const c = chart(e);
            if (c) downloadText(lrFinderCsv(c.runs), 'optimizer-race-lr-finder.csv', 'text/csv');
          }}>LR finder CSV</button>
        <button type="button" data-export="lr-finder-png" @click=${(e: Event) => void png(chart(e), 'optimizer-race-lr-finder.png', actions)}>PNG</button>
      </div>
    </section>`;
}

export function renderStudy(view: StudyView, actions: StudyActions): TemplateResult {
  const { study } = view;
  return html`
    ${study?.kind === 'sweep' ? sensitivityCard(view, study.sweep.key, actions) : nothing}
    ${study?.kind === 'lr-finder' ? lrFinderCard(view, actions) : nothing}
    ${study?.kind === 'search' ? searchCard(study, view, actions.testBest) : nothing}
    <details class="card sweep-card">
      <summary><h3>Sweep / LR range test / search ${study ? html`<span class="count">(racing a ${describeStudy(study)})</span>` : nothing}</h3></summary>
      <sweep-panel ?locked=${view.locked} .study=${study} .fits=${view.fits} .seed=${view.seed} @study-apply=${(e: StudyApplyEvent) => actions.apply(e.detail.study)}></sweep-panel>
    </details>`;
}
