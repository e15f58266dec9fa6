import { css } from 'lit';
import { badgeStyles, controlStyles, hostBaseStyles, noticeStyles, raceHostStyles, segmentedStyles } from '../shared-styles';

/**
 * Layout follows the element's own width (container queries): 3 columns, then 2, then 1. The
 * controls' look comes from the controls layer (../shared-styles.ts) and the tokens (../theme.ts).
 */
export const styles = css`
  ${raceHostStyles}
  ${hostBaseStyles}
  .race {
    display: grid;
    gap: var(--or-space-6);
  }

  /* ---- header and toolbar ---- */
  .head {
    display: flex;
    align-items: center;
    gap: var(--or-space-5);
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
    gap: var(--or-space-5) var(--or-space-8);
    padding: var(--or-space-6);
    background: var(--or-surface);
    border: 1px solid var(--or-border);
    border-radius: var(--or-radius);
  }
  .field {
    min-width: 0;
  }
  .row {
    display: flex;
    align-items: center;
  }
  .start-inputs {
    gap: var(--or-space-4);
  }
  .start-inputs label {
    display: flex;
    align-items: center;
    gap: var(--or-space-2);
    color: var(--or-muted);
    font-size: var(--or-font-size-md);
  }
  .start-inputs input {
    width: 5.5em;
  }
  .field.narrow input {
    width: 6em;
  }
  ${controlStyles}
  select {
    max-width: 100%;
  }
  button.primary {
    min-width: 6.5em;
  }
  .head .reset {
    margin-left: auto;
  }
  .plot:focus-visible {
    outline: var(--or-focus-width) solid var(--or-accent);
    outline-offset: var(--or-focus-offset);
  }
  ${segmentedStyles}
  /* The two segments share one border. */
  .segmented label:last-of-type span {
    border-left: 0;
  }
  .playback .buttons {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--or-space-3);
  }
  .counter {
    font-family: var(--or-mono);
    font-size: var(--or-font-size-md);
    color: var(--or-muted);
    min-width: 8.5em;
    font-variant-numeric: tabular-nums;
  }

  /* ---- notices ---- */
  ${noticeStyles}
  .error {
    margin: 0;
    color: var(--or-danger);
    font-size: var(--or-font-size-sm);
    flex-basis: 100%;
  }
  .hint {
    margin: 0;
    color: var(--or-muted);
    font-size: var(--or-font-size-sm);
  }

  /* ---- panels ---- */
  .panels {
    display: grid;
    grid-template-columns: repeat(3, minmax(0, 1fr));
    gap: var(--or-space-6);
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
    gap: var(--or-space-3);
    padding: var(--or-space-5);
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
    gap: var(--or-space-1) var(--or-space-4);
    min-width: 0;
  }
  .panel-head .status {
    margin-left: auto;
  }
  .racer-name {
    display: inline-flex;
    align-items: center;
    gap: var(--or-space-3);
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
    font-size: var(--or-font-size-sm);
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
    gap: var(--or-space-3) var(--or-space-5);
    align-items: center;
  }
  .hyper {
    display: inline-flex;
    align-items: center;
    gap: 5px;
    font-size: var(--or-font-size-sm);
    color: var(--or-muted);
  }
  /* Small number fields, one per hyperparameter. */
  .hyper input {
    width: 5.2em;
    min-height: var(--or-control-height-sm);
    padding: var(--or-space-1) var(--or-space-3);
    font-size: var(--or-font-size-md);
  }

  /* ---- plots ---- */
  .plot {
    display: block;
    width: 100%;
    height: auto;
    border-radius: var(--or-radius-xs);
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
    font-size: var(--or-font-size-2xs);
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
    gap: var(--or-space-6);
    align-items: start;
  }
  .overlay-plot {
    padding: var(--or-space-5);
    background: var(--or-surface);
    border: 1px solid var(--or-border);
    border-radius: var(--or-radius);
  }
  .overlay .plot:not(.compact) .axis text {
    font-size: var(--or-font-size-xs);
  }
  .legend {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--or-space-4);
  }
  @container (max-width: 720px) {
    .overlay {
      grid-template-columns: minmax(0, 1fr);
    }
    .legend {
      grid-template-columns: repeat(auto-fill, minmax(220px, 1fr));
    }
  }
  /* The optimizers beyond the seed's six, off until ticked. */
  .extras {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--or-space-2) var(--or-space-6);
    margin: var(--or-space-6) 0 0;
    padding: 0;
    border: 0;
  }
  .extras legend {
    float: left;
    margin-right: var(--or-space-2);
    color: var(--or-muted);
    font-size: var(--or-font-size-sm);
  }
  .extra {
    display: inline-flex;
    align-items: center;
    gap: var(--or-space-2);
  }

  /* ---- the optimizer state at the step shown (state-drawing.ts) ---- */
  .state-arrow {
    fill: none;
    stroke-width: 1.6;
  }
  .state-arrow.gradient { stroke: var(--or-danger); }
  .state-arrow.velocity,
  .state-arrow.moment { stroke: var(--or-accent); }
  .state-arrow.step { stroke: var(--or-text); }
  .state-scale {
    fill: none;
    stroke: var(--or-muted);
    stroke-dasharray: 3 2;
  }
  .state-panel {
    font-size: var(--or-font-size-sm);
    border-collapse: collapse;
  }
  .state-panel caption { text-align: left; color: var(--or-muted); }
  .state-panel th { text-align: left; padding-right: var(--or-space-3); font-weight: 600; }
  .state-panel .num { display: table-cell; padding-left: var(--or-space-3); font-variant-numeric: tabular-nums; text-align: right; }
  .lr-slider {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    font-size: var(--or-font-size-sm);
    color: var(--or-muted);
  }
  .lr-slider input { width: 7em; }
`;
