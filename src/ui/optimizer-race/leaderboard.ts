/** The leaderboard: racers ranked by test (or, in a race with a validation share, validation) accuracy, with current and best loss and divergence. */
import { html, nothing, type TemplateResult } from 'lit';
import { cssomStyle } from '../cssom-style';
import type { RacerHistory } from '../../race/engine';
import { isOptimizerId, optimizerSpec } from '../../optim/registry';

export interface LeaderboardRow {
  /** Index in the race (history order). */
  racer: number;
  name: string;
  optimizer: string;
  color: string;
  /** Loss at the last iteration (NaN after divergence, undefined before the first). */
  loss: number | undefined;
  best: number | undefined;
  accuracy: number | undefined;
  diverged: number | null;
}

function finiteMin(values: readonly number[]): number | undefined {
  let best: number | undefined;
  for (const v of values) if (Number.isFinite(v) && (best === undefined || v < best)) best = v;
  return best;
}

/** Ranked: racers still in the race first, by latest test accuracy, then by best loss. */
export function leaderboardRows(history: readonly RacerHistory[], colors: readonly string[]): LeaderboardRow[] {
  const rows = history.map(
    (h, racer): LeaderboardRow => ({
      racer,
      name: h.name,
      optimizer: isOptimizerId(h.optimizer) ? optimizerSpec(h.optimizer).label : h.optimizer,
      color: colors[racer] ?? 'currentColor',
      loss: h.losses.length ? h.losses[h.losses.length - 1] : undefined,
      best: finiteMin(h.losses),
      // A race with a validation share measures validation, never test (src/race/search-race.ts).
      accuracy: h.accuracy.length ? (h.accuracy[h.accuracy.length - 1].test ?? h.accuracy[h.accuracy.length - 1].validation) : undefined,
      diverged: h.diverged,
    }),
  );
  const key = (r: LeaderboardRow): [number, number, number] => [r.diverged === null ? 0 : 1, -(r.accuracy ?? -1), r.best ?? Infinity];
  return rows.sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    return ka[0] - kb[0] || ka[1] - kb[1] || ka[2] - kb[2] || a.racer - b.racer;
  });
}

const formatLoss = (v: number | undefined): string => (v === undefined ? '–' : Number.isFinite(v) ? v.toFixed(4) : '—');
const formatAccuracy = (v: number | undefined): string => (v === undefined ? '–' : `${(v * 100).toFixed(1)}%`);

/** Past this many racers (a sweep's, a search's) the table scrolls in a box of its own under a header that stays. */
export const kScrollRowsAbove = 16;

export function renderLeaderboard(rows: readonly LeaderboardRow[], finished: boolean): TemplateResult {
  return html`
    <div class="table-scroll ${rows.length > kScrollRowsAbove ? 'many' : ''}" tabindex="0" role="region" aria-label="Leaderboard">
      <table class="leaderboard" part="leaderboard">
        <thead>
          <tr>
            <th scope="col" class="num">#</th>
            <th scope="col">Racer</th>
            <th scope="col" class="wide-only">Optimizer</th>
            <th scope="col" class="num" title="Loss on the last minibatch">Loss</th>
            <th scope="col" class="num" title="Lowest minibatch loss so far">Best</th>
            <th scope="col" class="num" title="Test accuracy (validation accuracy in a race with a validation share) at the last evaluation">Accuracy</th>
            <th scope="col" class="wide-only">Status</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (r, rank) => html`
            <tr data-racer-index=${r.racer} class=${r.diverged === null ? '' : 'diverged'} ${cssomStyle({ '--trace': r.color })}>
              <td class="num">${rank + 1}</td>
              <th scope="row"><span class="dot" aria-hidden="true"></span>${r.name}${
                r.name !== r.optimizer ? html`<span class="sub narrow-only">${r.optimizer}</span>` : nothing
              }${r.diverged !== null ? html`<span class="sub bad narrow-only">diverged at iteration ${r.diverged + 1}</span>` : nothing}</th>
              <td class="wide-only">${r.optimizer}</td>
              <td class="num" data-col="loss">${formatLoss(r.loss)}</td>
              <td class="num" data-col="best">${formatLoss(r.best)}</td>
              <td class="num" data-col="accuracy">${formatAccuracy(r.accuracy)}</td>
              <td class="status wide-only" data-col="status">${
                r.diverged === null
                  ? r.loss === undefined
                    ? nothing
                    : html`<span class="ok">${finished ? 'finished' : 'racing'}</span>`
                  : html`<span class="bad">diverged at iteration ${r.diverged + 1}</span>`
              }</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
}

export interface ExportActions {
  lossCsv(): void;
  accuracyCsv(): void;
  json(): void;
  lossPng(): void;
  accuracyPng(): void;
  /** The loss chart's time-lapse (./loss-timelapse-controller.ts), where the race has one. */
  timelapse?: { render(enabled: boolean): TemplateResult };
}

/** The export buttons under the leaderboard, enabled once the race has losses. */
export function renderExportButtons(enabled: boolean, actions: ExportActions): TemplateResult {
  return html`
    <div class="export" part="export" role="group" aria-labelledby="export-label">
      <span class="export-label" id="export-label">Export the run</span>
      <button type="button" data-export="loss-csv" ?disabled=${!enabled} @click=${() => actions.lossCsv()}>Losses CSV</button>
      <button type="button" data-export="accuracy-csv" ?disabled=${!enabled} @click=${() => actions.accuracyCsv()}>Accuracy CSV</button>
      <button type="button" data-export="json" ?disabled=${!enabled} @click=${() => actions.json()}>JSON</button>
      <button type="button" data-export="loss-png" ?disabled=${!enabled} @click=${() => actions.lossPng()}>Loss chart PNG</button>
      <button type="button" data-export="accuracy-png" ?disabled=${!enabled} @click=${() => actions.accuracyPng()}>Accuracy chart PNG</button>
      ${actions.timelapse?.render(enabled)}
    </div>`;
}
