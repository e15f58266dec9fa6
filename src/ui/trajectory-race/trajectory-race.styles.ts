import { css } from 'lit';
import { badgeStyles, hostBaseStyles, raceHostStyles, invalidInputStyles, noticeStyles } from '../shared-styles';

/** Layout follows the element's own width (container queries): 3 columns, then 2, then 1. */
export const styles = css`
  ${raceHostStyles}
  ${hostBaseStyles}
  .race {
    display: grid;
    gap: 12px;
  }

  /* ---- header and toolbar ---- */
  .head {
    display: flex;
    align-items: center;
    gap: 10px;
    flex-wrap: wrap;
  }
  .formula {
    margin: 0;
    font-family: var(--or-mono);
    font-size: 15px;
  }
  ${badgeStyles}
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: flex-end;
    gap: 10px 16px;
    padding: 12px;
    background: var(--or-surface);
    border: 1px solid var(--or-border);
    border-radius: var(--or-radius);
  }
  .field {
    display: grid;
    gap: 4px;
    margin: 0;
    padding: 0;
    border: 0;
    min-width: 0;
  }
  .field > span {
    font-size: 12px;
    font-weight: 600;
    color: var(--or-muted);
    padding: 0;
  }
  .row {
    display: flex;
    align-items: center;
  }
  .start-inputs {
    gap: 8px;
  }
  .start-inputs label {
    display: flex;
    align-items: center;
    gap: 4px;
    color: var(--or-muted);
    font-size: 13px;
  }
  .start-inputs input {
    width: 5.5em;
  }
  .field.narrow input {
    width: 6em;
  }
  input,
  select,
  button {
    font: inherit;
    color: var(--or-text);
    background: var(--or-bg);
    border: 1px solid var(--or-border);
    border-radius: 6px;
    min-height: 32px;
  }
  input[type='number'],
  select {
    padding: 4px 8px;
  }
  select {
    max-width: 100%;
  }
  ${invalidInputStyles}
  button {
    padding: 4px 12px;
    cursor: pointer;
    font-weight: 500;
  }
  button:hover:not(:disabled) {
    border-color: var(--or-accent);
  }
  button:disabled {
    opacity: 0.5;
    cursor: default;
  }
  button.primary {
    background: var(--or-accent);
    border-color: var(--or-accent);
    color: var(--or-bg);
    min-width: 6.5em;
  }
  .head .reset {
    margin-left: auto;
  }
  :is(input, select, button, .plot):focus-visible {
    outline: 2px solid var(--or-accent);
    outline-offset: 2px;
  }
  .segmented label {
    position: relative;
  }
  .segmented input {
    position: absolute;
    opacity: 0;
    inset: 0;
    margin: 0;
    min-height: 0;
    cursor: pointer;
  }
  .segmented span {
    display: inline-flex;
    align-items: center;
    min-height: 32px;
    padding: 4px 12px;
    border: 1px solid var(--or-border);
    background: var(--or-bg);
  }
  .segmented label:first-of-type span {
    border-radius: 6px 0 0 6px;
  }
  .segmented label:last-of-type span {
    border-radius: 0 6px 6px 0;
    border-left: 0;
  }
  .segmented input:checked + span {
    background: color-mix(in srgb, var(--or-accent) 16%, var(--or-bg));
    border-color: var(--or-accent);
    color: var(--or-text);
    font-weight: 600;
  }
  .segmented input:focus-visible + span {
    outline: 2px solid var(--or-accent);
    outline-offset: 2px;
  }
  .playback .buttons {
    display: flex;
    align-items: center;
    gap: 6px;
  }
  .counter {
    font-family: var(--or-mono);
    font-size: 13px;
    color: var(--or-muted);
    min-width: 8.5em;
    font-variant-numeric: tabular-nums;
  }

  /* ---- notices ---- */
  ${noticeStyles}
  .error {
    margin: 0;
    color: var(--or-danger);
    font-size: 12px;
    flex-basis: 100%;
  }
  .hint {
    margin: 0;
    color: var(--or-muted);
    font-size: 12px;
  }

  /* ---- panels ---- */
  .panels {
    display: grid;
    grid-template-columns: repeat(3, minmax(0, 1fr));
    gap: 12px;
  }
  @container (max-width: 820px) {
    .panels {
      grid-template-columns: repeat(2, minmax(0, 1fr));
    }
  }
  @container (max-width: 520px) {
    .panels {
      grid-template-columns: minmax(0, 1fr);
    }
  }
  .panel {
    /* Header, plot and inputs line up across a row of panels even when a header wraps. */
    grid-row: span 3;
    grid-template-rows: subgrid;
  }
  .panel,
  .legend-item {
    display: grid;
    gap: 6px;
    padding: 10px;
    background: var(--or-surface);
    border: 1px solid var(--or-border);
    border-top: 3px solid var(--trace);
    border-radius: var(--or-radius);
    min-width: 0;
  }
  .panel.excluded,
  .legend-item.excluded {
    border-top-color: var(--or-border);
  }
  .panel.excluded .plot {
    opacity: 0.55;
  }
  .panel-head {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 2px 8px;
    min-width: 0;
  }
  .panel-head .status {
    margin-left: auto;
  }
  .racer-name {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    font-weight: 600;
    cursor: pointer;
  }
  .racer-name input {
    min-height: 0;
    width: 16px;
    height: 16px;
    margin: 0;
    accent-color: var(--trace);
  }
  .key {
    fill: var(--trace);
    stroke: var(--trace);
    stroke-width: 1.5;
    overflow: visible;
  }
  .key .cross {
    fill: none;
  }
  .status {
    font-size: 12px;
    font-family: var(--or-mono);
    color: var(--or-muted);
    text-align: right;
    white-space: nowrap;
  }
  .status.diverged {
    color: var(--or-danger);
    font-weight: 600;
  }
  .hypers {
    align-self: start;
    display: flex;
    flex-wrap: wrap;
    gap: 6px 10px;
    align-items: center;
  }
  .hyper {
    display: inline-flex;
    align-items: center;
    gap: 5px;
    font-size: 12px;
    color: var(--or-muted);
  }
  .hyper input {
    width: 5.2em;
    min-height: 28px;
    padding: 2px 6px;
    font-size: 13px;
  }

  /* ---- plots ---- */
  .plot {
    display: block;
    width: 100%;
    height: auto;
    border-radius: 4px;
    cursor: crosshair;
    touch-action: pan-y pinch-zoom;
    user-select: none;
    -webkit-user-select: none;
  }
  .overlay .plot {
    touch-action: none;
  }
  .plot-bg {
    fill: var(--or-bg);
  }
  .frame {
    fill: none;
    stroke: var(--or-border);
  }
  .contours path {
    fill: none;
    stroke: var(--or-contour);
    stroke-width: 1;
    vector-effect: non-scaling-stroke;
  }
  .axis line {
    stroke: var(--or-muted);
  }
  .axis text {
    fill: var(--or-muted);
    font-size: 10px;
    font-family: var(--or-font);
  }
  .minimum,
  .saddle {
    fill: none;
    stroke: var(--or-text);
    stroke-width: 1.8;
  }
  .trace-line {
    fill: none;
    stroke: var(--trace);
    stroke-width: 1.6;
    stroke-linejoin: round;
  }
  .trace-markers {
    fill: var(--trace);
    stroke: var(--trace);
    stroke-width: 0.8;
  }
  .trace-markers.cross {
    fill: none;
    stroke-width: 1.6;
  }
  .start {
    fill: none;
    stroke: var(--or-text);
    stroke-width: 1.5;
    stroke-dasharray: 2 2;
  }

  /* ---- overlay ---- */
  .overlay {
    display: grid;
    grid-template-columns: minmax(0, 3fr) minmax(240px, 2fr);
    gap: 12px;
    align-items: start;
  }
  .overlay-plot {
    padding: 10px;
    background: var(--or-surface);
    border: 1px solid var(--or-border);
    border-radius: var(--or-radius);
  }
  .overlay .plot:not(.compact) .axis text {
    font-size: 11px;
  }
  .legend {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 8px;
  }
  @container (max-width: 720px) {
    .overlay {
      grid-template-columns: minmax(0, 1fr);
    }
    .legend {
      grid-template-columns: repeat(auto-fill, minmax(220px, 1fr));
    }
  }
`;
