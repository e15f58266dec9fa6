/** The toolbar's network row (./network-toolbar.ts): the hidden sizes' wider field and the training-accuracy checkbox. */
import { css } from 'lit';
import { checkStyles } from '../shared-styles';

export const networkStyles = css`
  ${checkStyles}
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
