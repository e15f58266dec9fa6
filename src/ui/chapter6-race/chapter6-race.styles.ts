import { css } from 'lit';
import { badgeStyles, controlStyles, hostBaseStyles, noticeStyles, raceHostStyles } from '../shared-styles';

export const chapter6RaceStyles = css`
  ${raceHostStyles}
  ${hostBaseStyles}
  ${controlStyles}
  ${badgeStyles}
  ${noticeStyles}
  .base {
    display: grid;
    gap: var(--or-space-6);
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--or-space-4) var(--or-space-8);
    padding: var(--or-space-5) var(--or-space-6);
    background: var(--or-surface);
    border: 1px solid var(--or-border);
    border-radius: var(--or-radius);
  }
  .controls {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--or-space-4);
  }
  .progress {
    display: inline-flex;
    align-items: center;
    gap: var(--or-space-4);
    font-size: var(--or-font-size-sm);
    color: var(--or-muted);
    font-variant-numeric: tabular-nums;
  }
  progress {
    width: 8rem;
    accent-color: var(--or-accent);
  }
  .badge .why {
    font-weight: 400;
  }
  .about {
    margin: 0;
    color: var(--or-muted);
    font-size: var(--or-font-size-md);
  }
  .notice-actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--or-space-4);
    margin-top: var(--or-space-4);
  }
  .notice p {
    margin: 0;
  }
`;
