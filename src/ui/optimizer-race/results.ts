/** The loss and accuracy charts, and the results row: leaderboard with the export buttons, and the test digits. */
import { html, nothing, type TemplateResult } from 'lit';
import { kPredictedDigits } from '../../race/backend';
import type { RaceConfig } from '../../race/config';
import type { RacerHistory } from '../../race/engine';
import type { AccuracySeries } from '../charts/accuracy-chart';
import type { LossSeries } from '../charts/loss-chart';
import { renderDigitGrid } from './digit-grid';
import { accuracyCsv, download, downloadText, lossCsv } from './export';
import { leaderboardRows, renderExportButtons, renderLeaderboard, type ExportActions } from './leaderboard';
import type { ChartElement, RaceController } from './race-controller';
import { errorMessage } from '../../util/error-message';
import { lazyElement, LazyModule } from '../lazy-element';
import { LossTimelapse, type LossTimelapseHost } from './loss-timelapse-controller';

// The loss and accuracy charts and uPlot: a chunk of their own, loaded when the race section is first shown.
const kRaceCharts = new LazyModule('the charts', ['loss-chart', 'accuracy-chart'], () =>
  Promise.all([import('../charts/loss-chart'), import('../charts/accuracy-chart')]),
);

export interface ChartsView {
  lossSeries: LossSeries[];
  accuracySeries: AccuracySeries[];
  /** Top of the loss axis. */
  yMax: number;
  /** Iterations of the race (or planned), undefined while invalid. */
  xMax: number | undefined;
  /** The race's: trainAccuracy measures its training images too (dashed lines); with a validation share the solid lines are validation accuracy (the test set is not touched). */
  config: Pick<RaceConfig, 'trainAccuracy' | 'validation'> | undefined;
}

export function renderCharts(view: ChartsView): TemplateResult {
  const train = !!view.config?.trainAccuracy;
  const measured = view.config?.validation === undefined ? 'test' : 'validation';
  const title = `${measured === 'test' ? 'Test' : 'Validation'}${train ? ' and training' : ''} accuracy`;
  return html`
    <div class="charts">
      <section class="card loss-card" part="loss-card" aria-labelledby="loss-title">
        <header class="card-head">
          <h3 id="loss-title">Training loss</h3>
          <span class="hint">per minibatch, smoothed as in the seed</span>
        </header>
        ${lazyElement(kRaceCharts, () => html`<loss-chart .series=${view.lossSeries} .yMax=${view.yMax} .xMax=${view.xMax}></loss-chart>`)}
      </section>
      <section class="card accuracy-card" part="accuracy-card" aria-labelledby="accuracy-title">
        <header class="card-head"><h3 id="accuracy-title">${title}</h3>
          ${train ? html`<span class="hint">${measured} solid, training images dashed</span>` : nothing}</header>
        ${lazyElement(kRaceCharts, () => html`<accuracy-chart .series=${view.accuracySeries} .xMax=${view.xMax} measured=${measured}></accuracy-chart>`)}
      </section>
    </div>`;
}

export interface ResultsView {
  history: readonly RacerHistory[];
  /** Racer colours, history order. */
  colors: readonly string[];
  finished: boolean;
  /** Labels of the test digits, null before the data is loaded. */
  testLabels: Uint8Array | null;
}

/** `weights`: the weights row (./weights-controller.ts), under the export buttons. */
export function renderResults(view: ResultsView, exports: ExportActions, weights: TemplateResult | typeof nothing = nothing): TemplateResult {
  const { history, colors } = view;
  const validated = history.some((h) => h.accuracy.some((a) => a.validation !== undefined));
  return html`
    <div class="results">
      <section class="card" aria-labelledby="board-title">
        <header class="card-head"><h3 id="board-title">Leaderboard</h3>
          <span class="hint">${history.length ? `ranked by ${validated ? 'validation' : 'test'} accuracy` : 'starts with the race'}</span></header>
        ${
          history.length
            ? renderLeaderboard(leaderboardRows(history, colors), view.finished)
            : html`<p class="empty">Press Start: each racer's loss and accuracy appear here.</p>`
        }
        ${renderExportButtons(
          history.some((h) => h.losses.length > 0),
          exports,
        )}
        ${weights}
      </section>
      <section class="card digits-card" aria-labelledby="digits-title">
        <header class="card-head"><h3 id="digits-title">First ${kPredictedDigits} test digits</h3>
          <span class="hint">each racer's guess at the last evaluation</span></header>
        ${renderDigitGrid(
          view.testLabels,
          history.map((h, r) => ({
            name: h.name,
            color: colors[r],
            predictions: h.predictions,
            diverged: h.diverged !== null,
          })),
        )}
      </section>
    </div>`;
}

/** A chart element under `root` once its definition has loaded (until then it is a plain element). */
export function chartIn(root: ParentNode | undefined, tag: 'loss-chart' | 'accuracy-chart'): ChartElement | null {
  const element = root?.querySelector<ChartElement>(tag);
  return element && typeof element.refresh === 'function' ? element : null;
}

/** What the export buttons download from. */
export interface ExportSource {
  lossCsv(): string;
  accuracyCsv(): string;
  json(): unknown;
  chart(tag: 'loss-chart' | 'accuracy-chart'): ChartElement | null;
  /** A chart could not be exported. */
  failed(text: string, cause: unknown): void;
}

/** The export buttons of a race: its history and JSON (the controller's, or `json`: the host's, e.g. with a search's trials), its charts, its error line, the loss chart's time-lapse. */
export function raceExportActions(
  host: LossTimelapseHost,
  race: RaceController,
  chart: ExportSource['chart'],
  json: () => unknown = () => race.json(),
): ExportActions & { timelapse: LossTimelapse } {
  const history = () => race.engine?.history ?? [];
  const failed = (text: string, cause: unknown) => race.fail(text, cause);
  const actions = exportActions({ lossCsv: () => lossCsv(history()), accuracyCsv: () => accuracyCsv(history()), json, chart, failed });
  return { ...actions, timelapse: new LossTimelapse(host, () => chart('loss-chart')) };
}

export function exportActions(source: ExportSource): ExportActions {
  const png = async (tag: 'loss-chart' | 'accuracy-chart', filename: string): Promise<void> => {
    const chart = source.chart(tag);
    if (!chart) return;
    try {
      download(await chart.toPNG(), filename);
    } catch (error) {
      source.failed(`Could not export the chart: ${errorMessage(error)}`, error);
    }
  };
  return {
    lossCsv: () => downloadText(source.lossCsv(), 'optimizer-race-losses.csv', 'text/csv'),
    accuracyCsv: () => downloadText(source.accuracyCsv(), 'optimizer-race-accuracy.csv', 'text/csv'),
    json: () => downloadText(`${JSON.stringify(source.json(), null, 1)}\n`, 'optimizer-race.json', 'application/json'),
    lossPng: () => void png('loss-chart', 'optimizer-race-loss.png'),
    accuracyPng: () => void png('accuracy-chart', 'optimizer-race-accuracy.png'),
  };
}
