import { css } from 'lit';

export const adamStepsStyles = css`
  :host {
    --or-ok: #1f8a5b;
    display: block;
    min-width: 0;
    line-height: 1.5;
  }
  @media (prefers-color-scheme: dark) {
    :host { --or-ok: #5fd39a; }
  }
  .base { display: grid; gap: 0.9rem; min-width: 0; }
  .explanation p { margin: 0 0 0.6rem; max-width: 68ch; }
  .explanation p:last-child { margin-bottom: 0; }
  var { font-family: var(--or-mono); font-style: normal; }
  .formulas {
    display: flex; flex-wrap: wrap; gap: 0.4rem 1.6rem;
    font-family: var(--or-mono); font-size: 0.92em;
    padding: 0.6rem 0.9rem; border-left: 3px solid var(--or-accent);
    background: var(--or-surface); border-radius: 0 var(--or-radius) var(--or-radius) 0;
  }
  .presets { display: flex; flex-wrap: wrap; gap: 0.5rem; }
  button, select, input { font: inherit; color: inherit; }
  button {
    padding: 0.35rem 0.8rem; border: 1px solid var(--or-border); border-radius: 999px;
    background: var(--or-bg); cursor: pointer;
  }
  button:hover { border-color: var(--or-accent); }
  button[aria-pressed='true'] { background: var(--or-accent); border-color: var(--or-accent); color: var(--or-bg); }
  :is(button, select, input, .scroller):focus-visible { outline: 3px solid var(--or-accent); outline-offset: 2px; }
  .controls {
    display: flex; flex-wrap: wrap; gap: 0.6rem 0.9rem; align-items: end;
    padding: 0.75rem 0.9rem; background: var(--or-surface);
    border: 1px solid var(--or-border); border-radius: var(--or-radius);
  }
  .field { display: grid; gap: 0.15rem; font-size: 0.9rem; }
  .label { color: var(--or-muted); }
  input, select {
    padding: 0.3rem 0.45rem; border: 1px solid var(--or-border); border-radius: 6px;
    background: var(--or-bg); min-height: 2.1rem; box-sizing: border-box;
  }
  input { width: 5.5rem; font-family: var(--or-mono); }
  .function select { min-width: 13rem; max-width: 100%; }
  .notice, .error {
    margin: 0; padding: 0.6rem 0.9rem; border-radius: var(--or-radius);
    border: 1px solid var(--or-border); background: var(--or-surface);
  }
  .notice { border-left: 4px solid var(--or-accent); }
  .error { border-left: 4px solid var(--or-danger); color: var(--or-danger); font-weight: 500; }
  .meta { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; font-size: 0.85rem; }
  .badge {
    display: inline-block; padding: 0.15rem 0.6rem; border-radius: 999px;
    border: 1px solid currentColor; color: var(--or-accent); font-weight: 600;
  }
  .badge[data-backend='cpu'] { color: var(--or-muted); }
  .busy { color: var(--or-muted); }
  .scroller {
    overflow-x: auto; max-width: 100%;
    border: 1px solid var(--or-border); border-radius: var(--or-radius);
  }
  table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
  caption {
    caption-side: top; text-align: left; padding: 0.55rem 0.8rem; color: var(--or-muted);
    font-size: 0.85rem; border-bottom: 1px solid var(--or-border);
  }
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
  .cf { color: var(--or-muted); }
  .cf.none { text-align: center; }
  .mark { font-weight: 700; }
  .mark.ok { color: var(--or-ok); }
  .mark.bad { color: var(--or-danger); }
  @media (max-width: 480px) {
    .controls { padding: 0.6rem; gap: 0.5rem 0.6rem; }
    input { width: 4.6rem; }
    .function { flex-basis: 100%; }
    .function select { width: 100%; }
  }
`;
