import { css } from 'lit';
import { chapter6RaceStyles } from '../chapter6-race/chapter6-race.styles';

/** <search-race>: the chapter-6 experiments' toolbar and notices, plus the spec fields, the figures' headings and the tested table. */
export const searchRaceStyles = css`
  ${chapter6RaceStyles}
  .spec,
  .narrow {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: var(--or-space-3) var(--or-space-5);
  }
  .spec-field {
    display: grid;
    gap: var(--or-space-1);
    flex: 1 1 24rem;
    font-size: var(--or-font-size-sm);
    color: var(--or-muted);
  }
  .spec-field input {
    font-family: var(--or-mono);
    width: 100%;
    box-sizing: border-box;
  }
  .hint {
    flex-basis: 100%;
    margin: 0;
    font-size: var(--or-font-size-sm);
    color: var(--or-muted);
  }
  .figure h4 {
    margin: 0 0 var(--or-space-4);
    font-size: var(--or-font-size-md);
  }
  .tested {
    display: grid;
    gap: var(--or-space-4);
    justify-items: start;
  }
  .tested table {
    border-collapse: collapse;
    font-variant-numeric: tabular-nums;
    font-size: var(--or-font-size-md);
  }
  .tested caption {
    text-align: left;
    margin-bottom: var(--or-space-2);
    color: var(--or-muted);
  }
  .tested :is(th, td) {
    padding: var(--or-space-1) var(--or-space-4);
    border-bottom: 1px solid var(--or-border);
    text-align: left;
  }
`;
