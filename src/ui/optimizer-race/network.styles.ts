/** The toolbar's network row (./network-toolbar.ts): the hidden sizes' wider field, the training-accuracy checkbox, and the iterations the epochs give (read-only). */
import { css } from 'lit';
import { checkStyles } from '../shared-styles';

export const networkStyles = css`
  ${checkStyles}
  .field input[readonly] {
    background: transparent;
    border-style: dashed;
    color: var(--or-muted);
  }
  .field.hidden-sizes input {
    width: 10em;
    font-family: var(--or-mono);
  }
  .network-settings .field.check {
    display: inline-flex;
    align-self: end;
    min-height: var(--or-control-height);
  }
  .network-settings .field.check > span {
    color: var(--or-text);
    font-size: var(--or-font-size-md);
    font-weight: normal;
  }
`;
