/**
 * CSS rules that several components repeat word for word. Each is interpolated into a component's
 * stylesheet at the place it stood (css`... ${badgeStyles} ...`), so the cascade order is unchanged.
 */
import { css } from 'lit';

/** The race components' host: a block that lays itself out by its own width (container queries). */
export const raceHostStyles = css`
  :host {
    display: block;
    color-scheme: light dark;
    container-type: inline-size;
    font-size: 14px;
    line-height: 1.4;
  }
`;

/** `hidden` hides the element; border-box everywhere. */
export const hostBaseStyles = css`
  :host([hidden]) {
    display: none;
  }
  * {
    box-sizing: border-box;
  }
`;

/** The backend pill of the race components (.badge.webgpu / .badge.cpu). */
export const badgeStyles = css`
  .badge {
    font-size: 12px;
    font-weight: 600;
    padding: 2px 9px;
    border-radius: 999px;
    border: 1px solid var(--or-border);
    color: var(--or-muted);
    background: var(--or-surface);
    white-space: nowrap;
  }
  .badge.webgpu {
    color: var(--or-accent);
    border-color: color-mix(in srgb, var(--or-accent) 45%, transparent);
    background: color-mix(in srgb, var(--or-accent) 10%, transparent);
  }
  .badge.cpu {
    color: var(--or-text);
  }
`;

/** Tinted notice boxes of the race components: .notice.warn and .notice.error. */
export const noticeStyles = css`
  .notice {
    margin: 0;
    padding: 8px 12px;
    border-radius: var(--or-radius);
    border: 1px solid;
  }
  .notice.warn {
    border-color: color-mix(in srgb, #d99b1f 60%, transparent);
    background: color-mix(in srgb, #d99b1f 12%, transparent);
  }
  .notice.error {
    border-color: color-mix(in srgb, var(--or-danger) 60%, transparent);
    background: color-mix(in srgb, var(--or-danger) 10%, transparent);
  }
`;

/** A number or select input with a bad value. */
export const invalidInputStyles = css`
  input[aria-invalid='true'] {
    border-color: var(--or-danger);
    box-shadow: 0 0 0 1px var(--or-danger);
  }
`;

/** Toggle buttons of <adam-steps> and <init-histograms>: hover and pressed. */
export const pressedButtonStyles = css`
  button:hover { border-color: var(--or-accent); }
  button[aria-pressed='true'] { background: var(--or-accent); border-color: var(--or-accent); color: var(--or-bg); }
`;

/** The control panel of <adam-steps> and <init-histograms> and its labelled fields. */
export const controlPanelStyles = css`
  .controls {
    display: flex; flex-wrap: wrap; gap: 0.6rem 0.9rem; align-items: end;
    padding: 0.75rem 0.9rem; background: var(--or-surface);
    border: 1px solid var(--or-border); border-radius: var(--or-radius);
  }
  .field { display: grid; gap: 4px; }
  .label { color: var(--or-muted); font-size: 12px; font-weight: 600; line-height: 1.4; }
`;

/** Inputs and selects of <adam-steps> and <init-histograms>. */
export const panelInputStyles = css`
  input, select {
    padding: 4px 8px; border: 1px solid var(--or-border); border-radius: 6px;
    background: var(--or-bg); height: 34px; box-sizing: border-box; font-size: 0.95rem;
  }
`;

/** Notices and errors with a coloured left edge, as in <adam-steps> and <init-histograms>. */
export const edgeNoticeStyles = css`
  .notice { border-left: 4px solid var(--or-accent); }
  .error { border-left: 4px solid var(--or-danger); color: var(--or-danger); font-weight: 500; }
`;

/** The "backend: WebGPU" line of <adam-steps> and <init-histograms>. */
export const backendMetaStyles = css`
  .meta { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; font-size: 0.85rem; }
  .badge-label { color: var(--or-muted); margin-right: -0.5rem; }
  .badge {
    display: inline-block; padding: 0.1rem 0.6rem; border-radius: 0.8rem;
    border: 1px solid currentColor; color: var(--or-accent); font-weight: 600;
  }
  .badge[data-backend='cpu'] { color: var(--or-muted); }
  .busy { color: var(--or-muted); }
`;
