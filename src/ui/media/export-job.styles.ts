/** The export status line's styles (./export-job.ts), and the number fields beside the export buttons. */
import { css } from 'lit';

export const exportJobStyles = css`
  .export-status {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--or-space-4);
    margin: 0;
    font-size: var(--or-font-size-md);
  }
  .export-status progress {
    width: 12em;
  }
  .export-number {
    display: flex;
    align-items: center;
    gap: var(--or-space-2);
    color: var(--or-muted);
    font-size: var(--or-font-size-md);
  }
  .export-number input {
    width: 5em;
  }
  .export-note {
    flex-basis: 100%;
    color: var(--or-muted);
  }
`;
