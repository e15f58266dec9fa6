import { css } from 'lit';
import { hostBaseStyles } from '../shared-styles';
import { controlStyles, errorTextStyles, hintStyles, visuallyHiddenStyles } from './controls.styles';

/**
 * <racer-editor>: its host lays out as the fieldset did inside <optimizer-race>; the --or-* tokens
 * come from there. The controls' look comes from the controls layer (./controls.styles.ts).
 */
export const styles = css`
  :host {
    display: block;
    min-width: 0;
  }
  ${hostBaseStyles}
  ${visuallyHiddenStyles}
  ${hintStyles}
  ${controlStyles}
  ${errorTextStyles}
  .racer-list {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(300px, 1fr));
    gap: var(--or-space-5);
  }
  @container (max-width: 420px) {
    .racer-list {
      grid-template-columns: minmax(0, 1fr);
    }
  }
  .racer-card {
    display: grid;
    gap: var(--or-space-4);
    align-content: start;
    padding: var(--or-space-5);
    background: var(--or-bg);
    border: 1px solid var(--or-border);
    border-top: 3px solid var(--trace);
    border-radius: var(--or-radius);
    min-width: 0;
  }
  .racer-head {
    display: flex;
    align-items: center;
    gap: var(--or-space-4);
  }
  .racer-name-input {
    flex: 1 1 auto;
    font-weight: 600;
  }
  .swatch input {
    width: 34px;
    height: var(--or-control-height);
    padding: var(--or-space-1);
    cursor: pointer;
  }
  button.icon {
    min-width: var(--or-control-height);
    padding: var(--or-space-2) var(--or-space-4);
    color: var(--or-muted);
  }
  .racer-fields {
    display: flex;
    flex-wrap: wrap;
    gap: var(--or-space-3) var(--or-space-5);
  }
  .racer-fields.hypers .mini input {
    /* --chars: the value's length (at least 6), set by the editor; 2.6em: the padding and the spin button. */
    width: calc(var(--chars, 6) * 1ch + 2.6em);
    font-variant-numeric: tabular-nums;
  }
  .mini {
    /* Its inputs and selects are the small size. */
    --or-control-height: var(--or-control-height-sm);
    display: grid;
    gap: var(--or-space-1);
    font-size: var(--or-font-size-sm);
    color: var(--or-muted);
    min-width: 0;
  }
  .mini input {
    width: 5.6em;
    padding: var(--or-space-1) var(--or-space-3);
  }
  .mini select {
    padding: var(--or-space-1) var(--or-space-2);
  }
  .mini input,
  .mini select {
    font-size: var(--or-font-size-md);
  }
  .racer-fields.network .mini input[type='number'] {
    width: 5em;
  }
  .mini.bn input {
    width: auto;
    height: var(--or-control-height-sm);
    margin: 0;
    accent-color: var(--or-accent);
  }
  .schedule-row {
    align-items: end;
  }
  .mini.schedule input {
    width: 11em;
    font-family: var(--or-mono);
  }
  .sparkline {
    display: inline-flex;
    align-items: center;
    height: var(--or-control-height-sm);
    padding: 0 var(--or-space-2);
    border-bottom: 1px solid var(--or-border);
  }
  .sparkline svg {
    display: block;
    overflow: visible;
  }
  .sparkline polyline {
    fill: none;
    stroke: var(--trace, var(--or-accent));
    stroke-width: 1.5;
    stroke-linejoin: round;
    vector-effect: non-scaling-stroke;
  }
  .racer-actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--or-space-5);
    margin-top: var(--or-space-5);
  }
  fieldset:disabled .racer-card {
    opacity: 0.75;
  }
`;
