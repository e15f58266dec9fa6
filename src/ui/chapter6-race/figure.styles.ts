/** The chapter-6 figures' look: panels, the SVG plot's lines, markers, axes and ticks, the legend and the numbers table. */
import { css } from 'lit';

export const figureStyles = css`
  :host {
    display: block;
    container-type: inline-size;
    /* The two lines of every chart: batch norm / training (primary) and without / test (secondary). */
    --ch6-primary: var(--or-accent);
    --ch6-secondary: var(--or-text);
  }
  figure {
    margin: 0;
  }
  .panels {
    display: grid;
    gap: var(--or-space-6) var(--or-space-8);
    grid-template-columns: repeat(var(--ch6-columns, 2), minmax(0, 1fr));
  }
  .panel-title {
    margin: 0 0 var(--or-space-1);
    font-family: var(--or-mono);
    font-size: var(--or-font-size-md);
    font-weight: 600;
    text-align: center;
  }
  .plot {
    display: block;
    width: 100%;
    height: auto;
    overflow: visible;
    font-family: var(--or-font);
  }
  .plot .tick {
    font-size: 12px;
    fill: var(--or-muted);
  }
  .plot .axis-label {
    font-size: 12px;
    fill: var(--or-muted);
  }
  .plot .grid {
    stroke: var(--or-border);
    stroke-width: 1;
    vector-effect: non-scaling-stroke;
  }
  .plot .axis {
    stroke: var(--or-muted);
    stroke-width: 1;
    vector-effect: non-scaling-stroke;
  }
  .line {
    fill: none;
    stroke-width: 2;
    stroke-linejoin: round;
    vector-effect: non-scaling-stroke;
  }
  .line.dashed {
    stroke-dasharray: 6 4;
  }
  .series.primary {
    stroke: var(--ch6-primary);
    fill: var(--ch6-primary);
  }
  .series.secondary {
    stroke: var(--ch6-secondary);
    fill: var(--ch6-secondary);
  }
  .series .line {
    fill: none;
  }
  .marker {
    stroke: var(--or-bg);
    stroke-width: 1;
    vector-effect: non-scaling-stroke;
  }
  .legend {
    display: flex;
    flex-wrap: wrap;
    gap: var(--or-space-2) var(--or-space-8);
    margin: 0 0 var(--or-space-5);
    padding: 0;
    list-style: none;
    font-size: var(--or-font-size-md);
  }
  .legend li {
    display: inline-flex;
    align-items: center;
    gap: var(--or-space-3);
  }
  .summary {
    margin: var(--or-space-6) 0 0;
    max-width: 46rem;
  }
  details {
    margin-top: var(--or-space-4);
    font-size: var(--or-font-size-md);
  }
  summary {
    cursor: pointer;
    color: var(--or-muted);
  }
  summary:focus-visible {
    outline: var(--or-focus-width) solid var(--or-accent);
    outline-offset: var(--or-focus-offset);
  }
  table {
    border-collapse: collapse;
    margin-top: var(--or-space-3);
    font-variant-numeric: tabular-nums;
  }
  th,
  td {
    padding: var(--or-space-1) var(--or-space-5);
    border-bottom: 1px solid var(--or-border);
    text-align: right;
  }
  th[scope='row'],
  thead th:first-child {
    text-align: left;
    font-family: var(--or-mono);
  }
`;
