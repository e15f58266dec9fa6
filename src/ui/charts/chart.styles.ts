import { css, unsafeCSS } from 'lit';
import uPlotCss from 'uplot/dist/uPlot.min.css?inline';
import { hostBaseStyles } from '../shared-styles';

/** uPlot's own stylesheet, adopted into each chart's shadow root (document styles do not reach it). */
export const uPlotStyles = unsafeCSS(uPlotCss);

/** Shared by <loss-chart> and <accuracy-chart>: toolbar, plot box, legend. */
export const chartStyles = css`
  :host {
    display: block;
    min-width: 0;
    color-scheme: light dark;
    font-size: 13px;
    line-height: 1.4;
  }
  ${hostBaseStyles}
  .chart {
    display: grid;
    gap: 8px;
    min-width: 0;
  }

  /* ---- toolbar: scale toggles and the hover read-out ---- */
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px 14px;
  }
  .group {
    display: flex;
    align-items: center;
    gap: 6px;
    margin: 0;
    padding: 0;
    border: 0;
  }
  .group-label {
    font-size: 12px;
    font-weight: 600;
    color: var(--or-muted);
  }
  .segmented {
    display: inline-flex;
  }
  .segmented label {
    position: relative;
  }
  .segmented input {
    position: absolute;
    opacity: 0;
    inset: 0;
    margin: 0;
    cursor: pointer;
  }
  .segmented span {
    display: inline-flex;
    align-items: center;
    min-height: 28px;
    padding: 2px 10px;
    border: 1px solid var(--or-border);
    background: var(--or-bg);
    color: var(--or-text);
    white-space: nowrap;
  }
  .segmented label + label span {
    margin-left: -1px;
  }
  .segmented label:first-of-type span {
    border-radius: 6px 0 0 6px;
  }
  .segmented label:last-of-type span {
    border-radius: 0 6px 6px 0;
  }
  .segmented input:checked + span {
    position: relative;
    background: color-mix(in srgb, var(--or-accent) 16%, var(--or-bg));
    border-color: var(--or-accent);
    font-weight: 600;
  }
  .segmented input:focus-visible + span,
  .check input:focus-visible,
  .entry:focus-visible {
    outline: 2px solid var(--or-accent);
    outline-offset: 2px;
  }
  .check {
    display: inline-flex;
    align-items: center;
    gap: 5px;
    cursor: pointer;
  }
  .check input {
    margin: 0;
    accent-color: var(--or-accent);
  }
  .readout {
    margin: 0 0 0 auto;
    font-family: var(--or-mono);
    font-size: 12px;
    color: var(--or-muted);
    white-space: nowrap;
  }
  .message {
    margin: 0;
    padding: 6px 10px;
    border-radius: 6px;
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
    gap: 4px 6px;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .entry {
    display: inline-flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 6px;
    min-height: 28px;
    padding: 3px 8px;
    font: inherit;
    color: var(--or-text);
    background: transparent;
    border: 1px solid transparent;
    border-radius: 6px;
    cursor: pointer;
    text-align: left;
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
    font-size: 11px;
    color: var(--or-muted);
  }
  .detail.danger {
    color: var(--or-danger);
    font-family: var(--or-font);
    font-weight: 600;
  }
`;
