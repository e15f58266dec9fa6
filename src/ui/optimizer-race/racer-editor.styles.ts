import { css } from 'lit';
import { hostBaseStyles } from '../shared-styles';
import { controlStyles, errorTextStyles, hintStyles, visuallyHiddenStyles } from './controls.styles';

/** <racer-editor>: its host lays out as the fieldset did inside <optimizer-race>; the --or-* tokens come from there. */
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
    gap: 10px;
  }
  @container (max-width: 420px) {
    .racer-list {
      grid-template-columns: minmax(0, 1fr);
    }
  }
  .racer-card {
    display: grid;
    gap: 8px;
    align-content: start;
    padding: 10px;
    background: var(--or-bg);
    border: 1px solid var(--or-border);
    border-top: 3px solid var(--trace);
    border-radius: var(--or-radius);
    min-width: 0;
  }
  .racer-head {
    display: flex;
    align-items: center;
    gap: 8px;
  }
  .racer-name-input {
    flex: 1 1 auto;
    font-weight: 600;
  }
  .swatch input {
    width: 34px;
    height: 32px;
    padding: 2px;
    cursor: pointer;
  }
  button.icon {
    min-width: 32px;
    padding: 4px 8px;
    color: var(--or-muted);
  }
  .racer-fields {
    display: flex;
    flex-wrap: wrap;
    gap: 6px 10px;
  }
  .racer-fields.hypers .mini input {
    width: 6.2em;
  }
  .mini {
    display: grid;
    gap: 2px;
    font-size: 12px;
    color: var(--or-muted);
    min-width: 0;
  }
  .mini input {
    width: 5.6em;
    min-height: 28px;
    padding: 2px 6px;
    font-size: 13px;
  }
  .mini select {
    min-height: 28px;
    padding: 2px 4px;
    font-size: 13px;
  }
  .racer-actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 10px;
    margin-top: 10px;
  }
  fieldset:disabled .racer-card {
    opacity: 0.75;
  }
`;
