import { css } from 'lit';

/** The function field (picker + typed f(x, y), its inline error with a caret), the view-box fields and a racer's controls. */
export const functionFieldStyles = css`
  .function-field {
    flex: 1 1 100%;
  }
  .function-inputs {
    gap: var(--or-space-4);
    flex-wrap: wrap;
  }
  .function-inputs input.expression {
    flex: 1 1 16em;
    min-width: 0;
    padding: var(--or-field-padding);
    font-family: var(--or-mono);
  }
  .function-help {
    margin: 0;
    color: var(--or-muted);
    font-family: var(--or-mono);
    font-size: var(--or-font-size-sm);
  }
  .expression-error {
    display: grid;
    gap: var(--or-space-2);
    min-width: 0;
  }
  /* The text echoed in monospace, the bad character marked and a caret under it. */
  .expression-echo {
    margin: 0;
    font-family: var(--or-mono);
    font-size: var(--or-font-size-md);
    line-height: 1.4;
    overflow-x: auto;
    color: var(--or-text);
  }
  .expression-echo mark {
    background: color-mix(in srgb, var(--or-danger) 18%, transparent);
    color: var(--or-danger);
    font-weight: 700;
    border-radius: 2px;
  }
  .expression-echo .caret {
    color: var(--or-danger);
    font-weight: 700;
  }
  .view-box-inputs {
    gap: var(--or-space-4);
    flex-wrap: wrap;
  }
  .view-box-inputs label {
    display: flex;
    align-items: center;
    gap: var(--or-space-2);
    color: var(--or-muted);
    font-size: var(--or-font-size-md);
    white-space: nowrap;
  }
  .view-box-inputs input {
    width: 5em;
  }
  .racer-controls {
    display: grid;
    gap: var(--or-space-4);
    align-content: start;
    min-width: 0;
  }
`;
