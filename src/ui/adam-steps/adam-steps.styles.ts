import { css } from 'lit';
import { backendMetaStyles, controlPanelStyles, controlStyles, edgeNoticeStyles, panelInputStyles } from '../shared-styles';

/** Layout; the controls' look comes from the controls layer (../shared-styles.ts) and the tokens (../theme.ts). */
export const adamStepsStyles = css`
  :host {
    --or-ok: #1f8a5b;
    --or-focus-width: 3px;
    display: block;
    min-width: 0;
    line-height: 1.6;
  }
  @media (prefers-color-scheme: dark) {
    :host { --or-ok: #5fd39a; }
  }
  .base { display: grid; gap: 0.9rem; min-width: 0; container-type: inline-size; }
  .explanation p { margin: 0 0 0.6rem; max-width: 46rem; }
  .explanation p:last-child { margin-bottom: 0; }
  var { font-family: var(--or-mono); font-style: normal; }
  .explanation .formulas {
    display: grid; grid-template-columns: repeat(2, max-content); gap: 0.3rem 2.2rem; width: fit-content; max-width: 100%;
    box-sizing: border-box; margin: 0.9rem 0;
    font-family: var(--or-mono); font-size: 0.92em;
    padding: 0.6rem 0.9rem; border-left: 3px solid var(--or-accent);
    background: var(--or-surface); border-radius: 0 var(--or-radius) var(--or-radius) 0;
  }
  .presets { display: flex; flex-wrap: wrap; gap: 0.5rem; }
  ${controlStyles}
  .scroller:focus-visible { outline: var(--or-focus-width) solid var(--or-accent); outline-offset: var(--or-focus-offset); }
  ${controlPanelStyles}
  .label sub { line-height: 0; }
  ${panelInputStyles}
  input { width: 5.5rem; font-family: var(--or-mono); }
  .function select { min-width: 13rem; max-width: 100%; }
  .notice, .error {
    margin: 0; padding: 0.6rem 0.9rem; border-radius: var(--or-radius);
    border: 1px solid var(--or-border); background: var(--or-surface);
  }
  ${edgeNoticeStyles}
  ${backendMetaStyles}
  .setting { margin: -0.4rem 0 0; color: var(--or-muted); font-size: 0.85rem; }
  .scroll-hint { display: none; margin: -0.6rem 0 0; color: var(--or-muted); font-size: 0.8rem; }
  .scroller {
    overflow-x: auto; max-width: 100%;
    border: 1px solid var(--or-border); border-radius: var(--or-radius);
  }
  table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
  th, td { padding: 0.5rem 0.8rem; text-align: left; vertical-align: top; white-space: nowrap; }
  thead th {
    background: var(--or-surface); font-weight: 600; font-size: 0.85rem;
    border-bottom: 1px solid var(--or-border);
  }
  tbody tr + tr > * { border-top: 1px solid var(--or-border); }
  th[scope='row'], thead th:first-child {
    position: sticky; left: 0; z-index: 1; text-align: center;
    font-family: var(--or-mono); background: var(--or-surface);
  }
  .start-label { color: var(--or-muted); font-style: italic; vertical-align: middle; }
  .vec {
    display: grid; grid-template-columns: auto auto 1.1em; column-gap: 0.55em; row-gap: 0.1em;
    font-family: var(--or-mono); font-variant-numeric: tabular-nums;
  }
  .num { text-align: right; }
  .vec.plain { grid-template-columns: auto; }
  .cf { color: var(--or-muted); }
  .cf.none { text-align: center; }
  .mark { font-weight: 700; }
  .mark.ok { color: var(--or-ok); }
  .mark.bad { color: var(--or-danger); }
  /* Below about this width the table (~60rem) no longer fits and scrolls inside its box. */
  @container (max-width: 60rem) {
    .scroll-hint { display: block; }
  }
  @media (max-width: 480px) {
    .explanation .formulas { grid-template-columns: 1fr; }
    .controls { padding: 0.6rem; gap: 0.5rem 0.6rem; }
    input { width: 4.6rem; }
    .function { flex-basis: 100%; }
    .function select { width: 100%; }
  }
`;
