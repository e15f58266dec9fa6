import { css } from 'lit';

/** <loss-chart>'s own additions to the shared chart styles (src/ui/charts/chart.styles.ts). */
export const styles = css`
  /* The raw losses are faint in the plot; their read-out is secondary too. */
  .detail {
    min-width: 7.5ch;
  }
`;
