/**
 * Rules <optimizer-race> and the <racer-editor> inside it both need (the editor has its own shadow
 * root): interpolated where they stood in optimizer-race.styles.ts, so its cascade is unchanged.
 */
import { css } from 'lit';
import { invalidInputStyles } from '../shared-styles';

/** Text for screen readers only. */
export const visuallyHiddenStyles = css`
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
`;

export const hintStyles = css`
  .hint {
    color: var(--or-muted);
    font-size: 12px;
  }
`;

/** Inputs, selects, buttons (primary, link), focus rings and bare fieldsets. */
export const controlStyles = css`
  input,
  select,
  button,
  .button {
    font: inherit;
    color: var(--or-text);
    background: var(--or-bg);
    border: 1px solid var(--or-border);
    border-radius: 6px;
    min-height: 32px;
  }
  input[type='number'],
  input[type='text'],
  select {
    padding: 4px 8px;
    min-width: 0;
  }
  select {
    max-width: 100%;
  }
  ${invalidInputStyles}
  button,
  .button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    padding: 4px 12px;
    cursor: pointer;
    font-weight: 500;
    white-space: nowrap;
  }
  :is(button, .button):hover:not(:disabled) {
    border-color: var(--or-accent);
  }
  button:disabled,
  .button:has(input:disabled) {
    opacity: 0.5;
    cursor: default;
  }
  button.primary {
    background: var(--or-accent);
    border-color: var(--or-accent);
    color: var(--or-bg);
    font-weight: 600;
    min-width: 7em;
  }
  button.link {
    border-color: transparent;
    background: none;
    color: var(--or-muted);
    text-decoration: underline;
  }
  :is(input, select, button, summary, .table-scroll):focus-visible,
  .button:has(input:focus-visible) {
    outline: 2px solid var(--or-accent);
    outline-offset: 2px;
  }
  fieldset {
    margin: 0;
    padding: 0;
    border: 0;
    min-width: 0;
  }
`;

/** A field's or racer's error message. */
export const errorTextStyles = css`
  .error {
    margin: 0;
    color: var(--or-danger);
    font-size: 12px;
  }
`;
