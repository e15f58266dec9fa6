/**
 * What <optimizer-race> and the <racer-editor> inside it (its own shadow root) add to the shared
 * controls layer of ../shared-styles.ts: text inputs padded as number fields, buttons that centre
 * their label on one line, the file picker's label drawn as a button, link buttons, focus rings on
 * the racers summary and the scrolling leaderboard; and the hint, error and screen-reader-only
 * text both use. Sizes are the tokens of ../theme.ts.
 */
import { css } from 'lit';
import { controlStyles as sharedControlStyles } from '../shared-styles';

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
    font-size: var(--or-font-size-sm);
  }
`;

/** The shared controls layer, and what the race's controls add to it. */
export const controlStyles = css`
  ${sharedControlStyles}
  input[type='text'] {
    padding: var(--or-field-padding);
  }
  input[type='number'],
  input[type='text'],
  select {
    min-width: 0;
  }
  select {
    max-width: 100%;
  }
  /* A label around a hidden file input, drawn as a button. */
  .button {
    font: inherit;
    color: var(--or-text);
    background: var(--or-bg);
    border: 1px solid var(--or-border);
    border-radius: var(--or-radius-sm);
    min-height: var(--or-control-height);
    padding: var(--or-control-padding);
    cursor: pointer;
    font-weight: 500;
  }
  .button:hover {
    border-color: var(--or-accent);
  }
  .button:has(input:disabled) {
    opacity: 0.5;
    cursor: default;
  }
  summary:focus-visible,
  .table-scroll:focus-visible,
  .button:has(input:focus-visible) {
    outline: var(--or-focus-width) solid var(--or-accent);
    outline-offset: var(--or-focus-offset);
  }
  button,
  .button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    white-space: nowrap;
  }
  button.primary {
    font-weight: 600;
    min-width: 7em;
  }
  button.link {
    border-color: transparent;
    background: none;
    color: var(--or-muted);
    text-decoration: underline;
  }
`;

/** A field's or racer's error message. */
export const errorTextStyles = css`
  .error {
    margin: 0;
    color: var(--or-danger);
    font-size: var(--or-font-size-sm);
  }
`;
