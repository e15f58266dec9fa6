import { css, unsafeCSS } from 'lit';
import uPlotCss from 'uplot/dist/uPlot.min.css?inline';
import { checkStyles, hostBaseStyles, segmentedStyles } from '../shared-styles';

/** uPlot's own stylesheet, adopted into each chart's shadow root (document styles do not reach it). */
export const uPlotStyles = unsafeCSS(uPlotCss);

/**
 * Shared by <loss-chart> and <accuracy-chart>: toolbar, plot box, legend (layout; the toggles'
 * look comes from the controls layer in ../shared-styles.ts, at the small control size).
 */
export const chartStyles = css`
  :host {
    --or-control-height: var(--or-control-height-sm);
    --or-control-padding: var(--or-control-padding-sm);
    display: block;
    min-width: 0;
    color-scheme: light dark;
    font-size: var(--or-font-size-md);
    line-height: 1.4;
  }
  ${hostBaseStyles}
  .chart {
    display: grid;
    gap: var(--or-space-4);
    min-width: 0;
  }

  /* ---- toolbar: scale toggles and the hover read-out ---- */
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--or-space-4) var(--or-space-7);
  }
  .group {
    display: flex;
    align-items: center;
    gap: var(--or-space-3);
  }
  .group-label {
    font-size: var(--or-font-size-sm);
    font-weight: 600;
    color: var(--or-muted);
  }
  .segmented {
    display: inline-flex;
  }
  ${segmentedStyles}
  /* Neighbouring segments overlap by their border; the checked one's border is on top. */
  .segmented label + label span {
    margin-left: -1px;
  }
  .segmented input:checked + span {
    position: relative;
  }
  ${checkStyles}
  .readout {
    margin: 0 0 0 auto;
    font-family: var(--or-mono);
    font-size: var(--or-font-size-sm);
    color: var(--or-muted);
    white-space: nowrap;
  }
  .message {
    margin: 0;
    padding: var(--or-space-3) var(--or-space-5);
    border-radius: var(--or-radius-sm);
    color: var(--or-danger);
    background: color-mix(in srgb, var(--or-danger) 10%, transparent);
  }

  /* ---- the plot: uPlot fills it; its size comes from layout only (ResizeObserver) ---- */
  .plot {
    position: relative;
    height: var(--or-chart-height, 300px);
    min-width: 0;
    overflow: hidden;
  }
  .plot > .uplot {
    position: absolute;
    inset: 0 auto auto 0;
    font-family: var(--or-font);
  }
  .uplot .u-cursor-pt.raw {
    display: none;
  }
  .uplot .u-cursor-x {
    border-right: 1px dashed var(--or-muted);
  }

  /* ---- legend: one toggle button per series, with its value at the cursor ---- */
  .legend {
    display: flex;
    flex-wrap: wrap;
    gap: var(--or-space-2) var(--or-space-3);
    margin: 0;
    padding: 0;
    list-style: none;
  }
  /* A legend entry is a borderless toggle button (aria-pressed: the series is shown); a group's head toggle looks the same. */
  .entry,
  .group-toggle {
    display: inline-flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: var(--or-space-3);
    min-height: var(--or-control-height-sm);
    padding: 3px var(--or-space-4);
    font: inherit;
    color: var(--or-text);
    background: transparent;
    border: 1px solid transparent;
    border-radius: var(--or-radius-sm);
    cursor: pointer;
    text-align: left;
  }
  .entry:focus-visible,
  .group-toggle:focus-visible {
    outline: var(--or-focus-width) solid var(--or-accent);
    outline-offset: var(--or-focus-offset);
  }
  .entry:hover {
    border-color: var(--or-border);
  }
  .entry[aria-pressed='false'] {
    opacity: 0.45;
  }
  .entry[aria-pressed='false'] .name {
    text-decoration: line-through;
  }
  .swatch {
    align-self: center;
    flex: none;
    overflow: visible;
  }
  .name {
    font-weight: 600;
  }
  .value,
  .detail {
    white-space: nowrap;
  }
  .value {
    font-family: var(--or-mono);
    font-variant-numeric: tabular-nums;
  }
  .detail {
    font-family: var(--or-mono);
    font-size: var(--or-font-size-xs);
    color: var(--or-muted);
  }
  .detail.danger {
    color: var(--or-danger);
    font-family: var(--or-font);
    font-weight: 600;
  }

  /* ---- legend groups (a sweep's racers of one optimizer) and the focused series' settings ---- */
  .legend-group {
    flex-basis: 100%;
  }
  .group-head {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--or-space-2);
  }
  .group-toggle {
    align-items: center;
    flex-wrap: nowrap;
    text-align: inherit;
  }
  .group-toggle:hover {
    border-color: var(--or-border);
  }
  .group-visibility {
    font-size: var(--or-font-size-xs);
    color: var(--or-muted);
  }
  .group-entries {
    padding-left: var(--or-space-8);
  }
  .group-entries[hidden] {
    display: none;
  }
  .focus {
    margin: 0 0 var(--or-space-2);
    font-size: var(--or-font-size-sm);
    color: var(--or-muted);
  }
`;
