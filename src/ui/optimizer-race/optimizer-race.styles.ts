import { css } from 'lit';
import { badgeStyles, hostBaseStyles, raceHostStyles, noticeStyles } from '../shared-styles';
import { controlStyles, errorTextStyles, hintStyles, visuallyHiddenStyles } from './controls.styles';

/** Layout follows the element's own width (container queries): side by side on a laptop, stacked on a phone. */
export const styles = css`
  ${raceHostStyles}
  ${hostBaseStyles}
  .race {
    position: relative;
    display: grid;
    gap: 12px;
  }
  ${visuallyHiddenStyles}
  h3 {
    margin: 0;
    font-size: 15px;
    font-weight: 650;
  }
  ${hintStyles}

  /* ---- controls ---- */
  ${controlStyles}
  progress {
    accent-color: var(--or-accent);
    height: 8px;
  }

  /* ---- data bar ---- */
  .databar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px 12px;
  }
  .dataset {
    font-weight: 600;
  }
  .dataset[data-state='loading'] {
    color: var(--or-muted);
  }
  progress.load {
    width: 160px;
  }
  .file-button {
    margin-left: auto;
  }
  ${badgeStyles}

  /* ---- notices ---- */
  ${noticeStyles}
  .notice {
    display: grid;
    gap: 6px;
  }
  .notice p {
    margin: 0;
  }
  .notice.info {
    border-color: var(--or-border);
    background: var(--or-surface);
    color: var(--or-muted);
  }
  .notice-actions {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
  }
  ${errorTextStyles}

  /* ---- toolbar ---- */
  .toolbar {
    display: grid;
    gap: 10px;
    padding: 12px;
    background: var(--or-surface);
    border: 1px solid var(--or-border);
    border-radius: var(--or-radius);
  }
  .settings,
  .controls {
    display: flex;
    flex-wrap: wrap;
    align-items: flex-end;
    gap: 10px 14px;
  }
  .controls {
    align-items: center;
    gap: 8px;
  }
  .field {
    display: grid;
    gap: 4px;
    min-width: 0;
  }
  .field > span {
    font-size: 12px;
    font-weight: 600;
    color: var(--or-muted);
  }
  .field.narrow input {
    width: 7.5em;
  }
  .field.preset {
    flex: 1 1 18em;
    max-width: 27em;
  }
  .progress {
    display: flex;
    align-items: center;
    flex-wrap: wrap;
    gap: 4px 10px;
    flex: 1 1 260px;
    min-width: 0;
  }
  .progress progress {
    flex: 1 1 120px;
    min-width: 80px;
  }
  .counter {
    font-family: var(--or-mono);
    font-size: 13px;
    color: var(--or-muted);
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }

  /* ---- cards ---- */
  .card {
    display: grid;
    align-content: start;
    gap: 8px;
    padding: 12px;
    background: var(--or-surface);
    border: 1px solid var(--or-border);
    border-radius: var(--or-radius);
    min-width: 0;
  }
  .card-head {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 2px 10px;
  }
  .charts {
    display: grid;
    grid-template-columns: minmax(0, 3fr) minmax(0, 2fr);
    gap: 12px;
  }
  .results {
    display: grid;
    grid-template-columns: minmax(0, 11fr) minmax(0, 9fr);
    gap: 12px;
    align-items: start;
  }
  @container (max-width: 900px) {
    .charts,
    .results {
      grid-template-columns: minmax(0, 1fr);
    }
  }
  .empty {
    margin: 0;
    color: var(--or-muted);
  }
  loss-chart,
  accuracy-chart {
    display: block;
    min-width: 0;
  }

  /* ---- leaderboard ---- */
  .table-scroll {
    overflow-x: auto;
    border-radius: 4px;
  }
  .leaderboard {
    width: 100%;
    border-collapse: collapse;
    font-size: 13px;
  }
  .leaderboard th,
  .leaderboard td {
    padding: 5px 8px;
    text-align: left;
    border-bottom: 1px solid var(--or-border);
    white-space: nowrap;
  }
  .leaderboard thead th {
    font-size: 12px;
    color: var(--or-muted);
    font-weight: 600;
  }
  .leaderboard tbody th {
    font-weight: 600;
  }
  .leaderboard .num {
    text-align: right;
    font-family: var(--or-mono);
    font-variant-numeric: tabular-nums;
  }
  .leaderboard .dot {
    display: inline-block;
    width: 10px;
    height: 10px;
    border-radius: 50%;
    background: var(--trace);
    margin-right: 6px;
    vertical-align: -1px;
  }
  .leaderboard tr.diverged td,
  .leaderboard tr.diverged th {
    color: var(--or-muted);
  }
  .leaderboard .sub {
    display: block;
    margin-left: 16px;
    font-size: 11px;
    font-weight: 500;
    color: var(--or-muted);
  }
  .leaderboard .narrow-only {
    display: none;
  }
  @container (max-width: 560px) {
    .leaderboard .wide-only {
      display: none;
    }
    .leaderboard .narrow-only {
      display: block;
    }
    .leaderboard th,
    .leaderboard td {
      padding: 5px 4px;
    }
  }
  .leaderboard .sub.bad,
  .status .bad {
    color: var(--or-danger);
    font-weight: 600;
  }
  .status .ok {
    color: var(--or-muted);
  }

  /* ---- digits ---- */
  .digits-card {
    container-type: inline-size;
  }
  .digits {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    grid-template-columns: repeat(4, minmax(0, 1fr));
    gap: 6px;
  }
  @container (min-width: 760px) {
    .digits {
      grid-template-columns: repeat(8, minmax(0, 1fr));
    }
  }
  .digit {
    display: grid;
    justify-items: center;
    gap: 3px;
    padding: 6px 4px;
    background: var(--or-bg);
    border: 1px solid var(--or-border);
    border-radius: 6px;
  }
  .digit canvas {
    width: 56px;
    height: 56px;
    image-rendering: pixelated;
    color: var(--or-text);
  }
  .truth {
    font-size: 11px;
    color: var(--or-muted);
  }
  .truth {
    text-align: center;
    line-height: 1.25;
  }
  .truth strong {
    color: var(--or-text);
  }
  .tally {
    display: block;
  }
  .predictions {
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    gap: 1px;
    min-height: 18px;
  }
  .prediction {
    display: inline-grid;
    place-items: center;
    min-width: 14px;
    height: 18px;
    padding: 0 2px;
    font-family: var(--or-mono);
    font-size: 12px;
    font-weight: 600;
    border-radius: 3px;
    border-bottom: 3px solid var(--trace);
    background: color-mix(in srgb, var(--trace) 14%, transparent);
  }
  .prediction.wrong {
    color: var(--or-danger);
    background: color-mix(in srgb, var(--or-danger) 14%, transparent);
    text-decoration: line-through;
  }

  /* ---- racers ---- */
  .racers-card summary {
    cursor: pointer;
    list-style-position: inside;
  }
  .racers-card summary h3 {
    display: inline;
  }
  .count {
    color: var(--or-muted);
    font-weight: 500;
  }

  /* ---- export ---- */
  .export {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px;
    margin-top: 6px;
    padding-top: 10px;
    border-top: 1px solid var(--or-border);
  }
  .export-label {
    flex-basis: 100%;
    font-size: 12px;
    font-weight: 600;
    color: var(--or-muted);
  }
  .export button {
    min-height: 28px;
    padding: 2px 10px;
    font-size: 13px;
  }

  /* ---- drop target ---- */
  .race.dragging {
    outline: 2px dashed var(--or-accent);
    outline-offset: 4px;
    border-radius: var(--or-radius);
  }
  .drop-hint {
    position: absolute;
    inset: 0;
    display: grid;
    place-items: center;
    font-size: 18px;
    font-weight: 600;
    color: var(--or-accent);
    background: color-mix(in srgb, var(--or-bg) 85%, transparent);
    border-radius: var(--or-radius);
    pointer-events: none;
  }
`;
