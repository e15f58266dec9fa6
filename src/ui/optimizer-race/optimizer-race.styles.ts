import { css } from 'lit';
import { badgeStyles, hostBaseStyles, raceHostStyles, noticeStyles } from '../shared-styles';
import { networkStyles } from './network.styles';
import { studyStyles } from './study.styles';
import { controlStyles, errorTextStyles, hintStyles, visuallyHiddenStyles } from './controls.styles';
import { timelapseStyles } from './loss-timelapse-controller';

/**
 * Layout follows the element's own width (container queries): side by side on a laptop, stacked on
 * a phone. The controls' look comes from the controls layer (../shared-styles.ts, ./controls.styles.ts)
 * and the tokens (../theme.ts).
 */
export const raceStyles = css`
  ${raceHostStyles}
  :host {
    /* Disabled selects (a locked race) as the browser (Chromium) dims them, not the shared layer's. */
    --or-select-disabled-opacity: 0.7;
    --or-select-disabled-cursor: default;
  }
  ${hostBaseStyles}
  .race {
    position: relative;
    display: grid;
    gap: var(--or-space-6);
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
    gap: var(--or-space-4) var(--or-space-6);
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
  /* The reason after the engine's name reads as a note. */
  .badge .why {
    font-weight: 400;
  }

  /* ---- notices ---- */
  ${noticeStyles}
  .notice {
    display: grid;
    gap: var(--or-space-3);
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
    gap: var(--or-space-3);
  }
  ${errorTextStyles}

  /* ---- toolbar ---- */
  .toolbar {
    display: grid;
    gap: var(--or-space-5);
    padding: var(--or-space-6);
    background: var(--or-surface);
    border: 1px solid var(--or-border);
    border-radius: var(--or-radius);
  }
  .settings,
  .controls {
    display: flex;
    flex-wrap: wrap;
    align-items: flex-end;
    gap: var(--or-space-5) var(--or-space-7);
  }
  .controls {
    align-items: center;
    gap: var(--or-space-4);
  }
  .field {
    min-width: 0;
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
    gap: var(--or-space-2) var(--or-space-5);
    flex: 1 1 260px;
    min-width: 0;
  }
  .progress progress {
    flex: 1 1 120px;
    min-width: 80px;
  }
  .counter {
    font-family: var(--or-mono);
    font-size: var(--or-font-size-md);
    color: var(--or-muted);
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }

  /* ---- cards ---- */
  .card {
    display: grid;
    align-content: start;
    gap: var(--or-space-4);
    padding: var(--or-space-6);
    background: var(--or-surface);
    border: 1px solid var(--or-border);
    border-radius: var(--or-radius);
    min-width: 0;
  }
  .card-head {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: var(--or-space-1) var(--or-space-5);
  }
  .charts {
    display: grid;
    grid-template-columns: minmax(0, 3fr) minmax(0, 2fr);
    gap: var(--or-space-6);
  }
  .results {
    display: grid;
    grid-template-columns: minmax(0, 11fr) minmax(0, 9fr);
    gap: var(--or-space-6);
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
    border-radius: var(--or-radius-xs);
  }
  /* Many racers (a search's 100): the table scrolls in its own box, its header stays in view. */
  .table-scroll.many {
    max-height: 28rem;
    overflow-y: auto;
  }
  .table-scroll.many thead th {
    position: sticky;
    top: 0;
    z-index: 1;
    background: var(--or-surface);
  }
  .leaderboard {
    width: 100%;
    border-collapse: collapse;
    font-size: var(--or-font-size-md);
  }
  .leaderboard th,
  .leaderboard td {
    padding: 5px var(--or-space-4);
    text-align: left;
    border-bottom: 1px solid var(--or-border);
    white-space: nowrap;
  }
  .leaderboard thead th {
    font-size: var(--or-font-size-sm);
    color: var(--or-muted);
    font-weight: 600;
  }
  .leaderboard tbody th {
    font-weight: 600;
  }
  /* A sweep's names ("Momentum lr=0.0003728") and a divergence ("diverged at iteration 120") wrap
     rather than push the last column out of the card; a long name without spaces breaks anywhere. */
  .leaderboard tbody th,
  .leaderboard td.status {
    white-space: normal;
    overflow-wrap: anywhere;
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
    margin-right: var(--or-space-3);
    vertical-align: -1px;
  }
  .leaderboard tr.diverged td,
  .leaderboard tr.diverged th {
    color: var(--or-muted);
  }
  .leaderboard .sub {
    display: block;
    margin-left: var(--or-space-8);
    font-size: var(--or-font-size-xs);
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
      padding: 5px var(--or-space-2);
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
    gap: var(--or-space-3);
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
    padding: var(--or-space-3) var(--or-space-2);
    background: var(--or-bg);
    border: 1px solid var(--or-border);
    border-radius: var(--or-radius-sm);
  }
  .digit canvas {
    width: 56px;
    height: 56px;
    image-rendering: pixelated;
    color: var(--or-text);
  }
  .truth {
    font-size: var(--or-font-size-xs);
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
    padding: 0 var(--or-space-1);
    font-family: var(--or-mono);
    font-size: var(--or-font-size-sm);
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
    /* Its buttons are the small size. */
    --or-control-height: var(--or-control-height-sm);
    --or-control-padding: var(--or-control-padding-sm);
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--or-space-3);
    margin-top: var(--or-space-3);
    padding-top: var(--or-space-5);
    border-top: 1px solid var(--or-border);
  }
  .export-label {
    flex-basis: 100%;
    font-size: var(--or-font-size-sm);
    font-weight: 600;
    color: var(--or-muted);
  }
  .export button {
    font-size: var(--or-font-size-md);
  }
  ${timelapseStyles}

  /* ---- drop target ---- */
  .race.dragging {
    outline: 2px dashed var(--or-accent);
    outline-offset: var(--or-space-2);
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

/** The element's own styles with its study and network sections'. */
export const styles = [raceStyles, studyStyles, networkStyles];
