/**
 * The page's design tokens as CSS custom properties that embedders can override: colours, fonts,
 * and the sizes (spacing, radii, font sizes, control heights) that the controls layer in
 * ./shared-styles.ts and the components' layouts are built on.
 */
import { css } from 'lit';

/** Design tokens. Components use var(--or-*) so a page can theme them; dark mode follows the OS. */
export const themeTokens = css`
  :host {
    --or-font: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    --or-mono: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
    --or-bg: #ffffff;
    --or-surface: #f6f7f9;
    --or-text: #1d2129;
    --or-muted: #5d6675;
    --or-border: #d9dde3;
    --or-accent: #2f5fc4;
    --or-danger: #c8362b;
    --or-radius: 8px;
    --or-contour: #9aa3b2;
    /* Sizes (the same in light and dark). Spacing steps are 2px apart: --or-space-N is N × 2px. */
    --or-space-1: 2px;
    --or-space-2: 4px;
    --or-space-3: 6px;
    --or-space-4: 8px;
    --or-space-5: 10px;
    --or-space-6: 12px;
    --or-space-7: 14px;
    --or-space-8: 16px;
    --or-radius-sm: 6px;
    --or-radius-xs: 4px;
    --or-radius-pill: 999px;
    --or-font-size: 14px;
    --or-font-size-md: 13px;
    --or-font-size-sm: 12px;
    --or-font-size-xs: 11px;
    --or-font-size-2xs: 10px;
    /* Controls (buttons, inputs, selects, segmented toggles): a component may pick another size. */
    --or-control-height: 32px;
    --or-control-padding: var(--or-space-2) var(--or-space-6);
    --or-control-height-sm: 28px;
    --or-control-padding-sm: var(--or-space-1) var(--or-space-5);
    --or-control-height-lg: 34px;
    --or-field-padding: var(--or-space-2) var(--or-space-4);
    --or-focus-width: 2px;
    --or-focus-offset: 2px;
    --or-select-disabled-opacity: 0.55;
    --or-select-disabled-cursor: not-allowed;
    font-family: var(--or-font);
    color: var(--or-text);
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --or-bg: #16181d;
      --or-surface: #1f232a;
      --or-text: #e6e8ec;
      --or-muted: #9aa3b2;
      --or-border: #343a44;
      --or-accent: #7aa2f7;
      --or-danger: #ff6b5e;
      --or-contour: #4f5866;
    }
  }
`;
