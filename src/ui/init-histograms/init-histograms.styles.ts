import { css } from 'lit';
import { backendMetaStyles, controlPanelStyles, controlStyles, edgeNoticeStyles, panelInputStyles } from '../shared-styles';

/** Layout; the controls' look comes from the controls layer (../shared-styles.ts) and the tokens (../theme.ts). */
export const initHistogramsStyles = css`
  :host {
    --or-control-height: var(--or-control-height-lg);
    --or-focus-width: 3px;
    --ih-bar: var(--or-accent);
    --ih-zero: color-mix(in srgb, var(--or-muted) 55%, transparent);
    --ih-outside: var(--or-danger);
    --ih-good: #1f8a5b;
    display: block;
    min-width: 0;
    line-height: 1.5;
  }
  @media (prefers-color-scheme: dark) {
    :host { --ih-good: #5fd39a; }
  }
  .base { display: grid; gap: 0.9rem; min-width: 0; container-type: inline-size; }
  ${controlStyles}
  .layers:focus-visible { outline: var(--or-focus-width) solid var(--or-accent); outline-offset: var(--or-focus-offset); }
  ${controlPanelStyles}
  .views { display: flex; flex-wrap: wrap; gap: 0.4rem; flex-basis: 100%; }
  ${panelInputStyles}
  input { width: 6.2rem; font-family: var(--or-mono); }
  .resample { align-self: end; }
  .notice, .error, .placeholder {
    margin: 0; padding: 0.6rem 0.9rem; border-radius: var(--or-radius);
    border: 1px solid var(--or-border); background: var(--or-surface);
  }
  ${edgeNoticeStyles}
  .placeholder { color: var(--or-muted); }
  ${backendMetaStyles}
  .about { margin: -0.3rem 0 0; color: var(--or-muted); font-size: 0.85rem; max-width: 52rem; }
  .key { display: flex; flex-wrap: wrap; gap: 0.3rem 1.2rem; margin: -0.4rem 0 0; padding: 0; list-style: none; font-size: 0.8rem; color: var(--or-muted); }
  .key li { display: inline-flex; align-items: center; gap: 0.4rem; }
  .swatch { width: 0.8rem; height: 0.8rem; border-radius: 2px; display: inline-block; }
  .swatch.inside { background: var(--ih-bar); }
  .swatch.zeros { background: var(--ih-zero); }
  .swatch.outside { background: var(--ih-outside); }

  h3, h4 { margin: 0; line-height: 1.3; }
  .group { display: grid; gap: 0.6rem; }
  .group + .group { margin-top: 0.6rem; }
  .group > h3 { font-size: 1.05rem; display: flex; align-items: baseline; gap: 0.6rem; }
  .range { font-size: 0.8rem; font-weight: 500; color: var(--or-muted); font-family: var(--or-mono); }

  .setting {
    display: grid; gap: 0.45rem; min-width: 0;
    padding: 0.75rem 0.9rem; background: var(--or-surface);
    border: 1px solid var(--or-border); border-radius: var(--or-radius);
  }
  .row-head { display: flex; flex-wrap: wrap; align-items: center; gap: 0.3rem 0.7rem; }
  .row-title { font-size: 1rem; font-weight: 650; }
  .setting.single .row-title { font-size: 1.05rem; }
  .verdict {
    font-size: 0.75rem; font-weight: 650; letter-spacing: 0.02em; padding: 0.05rem 0.55rem;
    border-radius: var(--or-radius-pill); border: 1px solid currentColor; color: var(--or-muted); white-space: nowrap;
  }
  .verdict[data-verdict='good'] { color: var(--ih-good); }
  .verdict[data-verdict='bad'] { color: var(--or-danger); }
  .open { justify-self: start; min-height: var(--or-control-height-sm); padding: var(--or-control-padding-sm); font-size: 0.8rem; }
  .caption { margin: 0; font-size: 0.9rem; max-width: 52rem; }
  .compact .caption { font-size: 0.82rem; color: var(--or-muted); }

  .layers {
    display: grid; gap: 0.9rem 1rem; min-width: 0;
    grid-template-columns: repeat(auto-fit, minmax(9.5rem, 1fr));
  }
  /* A matrix row keeps its layers side by side and scrolls when they do not fit. */
  .compact .layers {
    grid-template-columns: none; grid-auto-flow: column; grid-auto-columns: minmax(7.5rem, 1fr);
    gap: 0.7rem; overflow-x: auto; padding-bottom: 0.2rem; border-radius: var(--or-radius-xs);
  }
  .hist { margin: 0; min-width: 0; }
  figcaption { font-size: 0.8rem; font-weight: 600; color: var(--or-muted); margin-bottom: 0.15rem; }
  .plot { position: relative; height: 9rem; background: var(--or-bg); border-radius: 3px; }
  .compact .plot { height: 4.2rem; }
  .plot svg { display: block; width: 100%; height: 100%; overflow: visible; }
  .bar.inside { fill: var(--ih-bar); }
  .bar.zeros { fill: var(--ih-zero); }
  .bar.outside { fill: var(--ih-outside); }
  .break { fill: var(--or-bg); }
  .baseline { stroke: var(--or-muted); stroke-width: 1; vector-effect: non-scaling-stroke; }
  .cut {
    position: absolute; top: 0; transform: translateY(-35%); padding: 0 3px; border-radius: 3px;
    font: 600 var(--or-font-size-2xs)/1.3 var(--or-mono); color: var(--or-text); background: var(--or-bg);
    border: 1px solid var(--or-border); white-space: nowrap; pointer-events: auto;
  }
  .axis {
    display: flex; justify-content: space-between; margin-top: 2px;
    font: var(--or-font-size-xs)/1.3 var(--or-mono); color: var(--or-muted);
  }
  .stats { margin: 0.15rem 0 0; font: var(--or-font-size-xs)/1.35 var(--or-mono); color: var(--or-text); }
  .stats > span { white-space: nowrap; }
  .beyond { color: var(--or-danger); }

  /* Wide enough: a matrix row puts its heading and caption beside its histograms. */
  @container (min-width: 52rem) {
    .setting.compact { grid-template-columns: 14rem minmax(0, 1fr); grid-template-rows: auto auto 1fr; column-gap: 1.2rem; }
    .compact .row-head { grid-column: 1; grid-row: 1; align-self: start; }
    .compact .caption { grid-column: 1; grid-row: 2; }
    .compact .open { grid-column: 1; grid-row: 3; align-self: start; }
    .compact .layers { grid-column: 2; grid-row: 1 / span 3; }
  }
  @media (max-width: 480px) {
    .controls { padding: 0.6rem; gap: 0.5rem 0.6rem; }
    input { width: 4.6rem; }
    .views button { flex: 1 1 auto; }
    .layers { grid-template-columns: repeat(auto-fit, minmax(8.5rem, 1fr)); }
    .setting { padding: 0.6rem; }
  }
`;
