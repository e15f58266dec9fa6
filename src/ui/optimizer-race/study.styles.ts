import { css } from 'lit';
import { lazyElementStyles } from '../lazy-element';

/** <optimizer-race>'s study cards (./study-view.ts): layout only. */
export const studyStyles = css`
  ${lazyElementStyles}
  .sweep-card summary {
    cursor: pointer;
    list-style-position: inside;
  }
  .sweep-card summary h3 {
    display: inline;
  }
  .sweep-card sweep-panel {
    margin-top: var(--or-space-5);
  }
  .sensitivity-card .charts {
    grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
  }
  @container (max-width: 900px) {
    .sensitivity-card .charts {
      grid-template-columns: minmax(0, 1fr);
    }
  }
  sensitivity-chart,
  lr-finder-chart {
    display: block;
    min-width: 0;
  }
  /* A search's racers, shown as the search (./racers-card.ts), and its best trials (./search-card.ts). */
  .study-racers {
    display: grid;
    gap: var(--or-space-3);
    justify-items: start;
    margin-top: var(--or-space-4);
  }
  .study-racers p {
    margin: 0;
    color: var(--or-muted);
  }
  .best-lines {
    margin: 0;
    padding-left: var(--or-space-8);
    font-family: var(--or-mono);
    font-size: var(--or-font-size-sm);
    line-height: 1.6;
    overflow-x: auto;
  }
`;
