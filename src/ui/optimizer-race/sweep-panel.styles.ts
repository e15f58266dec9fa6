import { css } from 'lit';
import { checkStyles, hostBaseStyles } from '../shared-styles';
import { themeTokens } from '../theme';
import { controlStyles, errorTextStyles, hintStyles, visuallyHiddenStyles } from './controls.styles';

/** <sweep-panel>: layout only; the controls' look comes from the controls layer. */
export const styles = [
  themeTokens,
  css`
    :host {
      display: block;
      min-width: 0;
      color: var(--or-text);
      font-family: var(--or-font);
    }
    ${hostBaseStyles}
    ${visuallyHiddenStyles}
    ${hintStyles}
    ${controlStyles}
    ${errorTextStyles}
    ${checkStyles}
    .panel {
      display: grid;
      gap: var(--or-space-6);
    }
    .choices,
    .row {
      display: flex;
      flex-wrap: wrap;
      align-items: end;
      gap: var(--or-space-4) var(--or-space-6);
    }
    .study {
      display: grid;
      gap: var(--or-space-3);
    }
    .field.narrow input {
      width: 8ch;
    }
    .field.wide {
      flex: 1 1 22rem;
    }
    .field.wide input {
      width: 100%;
      box-sizing: border-box;
      font-family: var(--or-mono);
    }
    p {
      margin: 0;
    }
  `,
];
