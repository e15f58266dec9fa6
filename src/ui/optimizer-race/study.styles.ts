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
`;
