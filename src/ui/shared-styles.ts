/**
 * CSS that several components share, built on the design tokens of ./theme.ts (var(--or-*)):
 * host and notice blocks the components repeated word for word, and the controls layer (buttons,
 * inputs, selects, number fields, checkboxes, segmented toggles, fieldsets, labelled fields) so
 * that each component's styles file holds its layout only. Each block is interpolated into a
 * component's stylesheet at the place it stands (css`... ${controlStyles} ...`), after the tokens.
 */
import { css } from 'lit';

/** The race components' host: a block that lays itself out by its own width (container queries). */
export const raceHostStyles = css`
  :host {
    display: block;
    color-scheme: light dark;
    container-type: inline-size;
    font-size: var(--or-font-size);
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

/** The backend pill of the race components (.badge.webgpu / .badge.wasm / .badge.cpu). */
export const badgeStyles = css`
  .badge {
    font-size: var(--or-font-size-sm);
    font-weight: 600;
    padding: var(--or-space-1) 9px;
    border-radius: var(--or-radius-pill);
    border: 1px solid var(--or-border);
    color: var(--or-muted);
    background: var(--or-surface);
    /* The badge also says why this engine runs: a long sentence wraps on a phone instead of widening the page. */
    max-width: 100%;
    box-sizing: border-box;
    overflow-wrap: anywhere;
  }
  .badge.webgpu,
  .badge.wasm {
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
    padding: var(--or-space-4) var(--or-space-6);
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

/* ---- the controls layer ---- */

/** A number or select input with a bad value (aria-invalid="true"). */
export const invalidInputStyles = css`
  input[aria-invalid='true'] {
    border-color: var(--or-danger);
    box-shadow: 0 0 0 1px var(--or-danger);
  }
`;

/**
 * Buttons, inputs and selects: font, colours, border and radius from the tokens, at least
 * --or-control-height tall; number fields and selects padded by --or-field-padding, buttons by
 * --or-control-padding; hover, disabled, pressed (aria-pressed) and primary buttons; the focus
 * ring (--or-focus-width, --or-focus-offset); disabled selects (--or-select-disabled-opacity,
 * --or-select-disabled-cursor); bad values.
 */
export const formControlStyles = css`
  input,
  select,
  button {
    font: inherit;
    color: var(--or-text);
    background: var(--or-bg);
    border: 1px solid var(--or-border);
    border-radius: var(--or-radius-sm);
    min-height: var(--or-control-height);
  }
  input[type='number'],
  select {
    padding: var(--or-field-padding);
  }
  button {
    padding: var(--or-control-padding);
    cursor: pointer;
    font-weight: 500;
  }
  button:hover:not(:disabled) {
    border-color: var(--or-accent);
  }
  button:disabled {
    opacity: 0.5;
    cursor: default;
  }
  select:disabled {
    opacity: var(--or-select-disabled-opacity);
    cursor: var(--or-select-disabled-cursor);
  }
  button[aria-pressed='true'],
  button.primary {
    background: var(--or-accent);
    border-color: var(--or-accent);
    color: var(--or-bg);
  }
  :is(input, select, button):focus-visible {
    outline: var(--or-focus-width) solid var(--or-accent);
    outline-offset: var(--or-focus-offset);
  }
  ${invalidInputStyles}
`;

/**
 * Labelled fields: .field stacks its label over its control; the label is .label or the field's
 * own <span>. Fieldsets lose the browser's frame.
 */
export const fieldStyles = css`
  fieldset {
    margin: 0;
    padding: 0;
    border: 0;
    min-width: 0;
  }
  .field {
    display: grid;
    gap: var(--or-space-2);
  }
  .label,
  .field > span {
    color: var(--or-muted);
    font-size: var(--or-font-size-sm);
    font-weight: 600;
    line-height: 1.4;
  }
`;

/**
 * A segmented toggle: .segmented > label > input[type=radio] + span, the radios hidden over their
 * spans, the checked span tinted. --or-control-height and --or-control-padding size the segments;
 * how neighbouring segments join (shared border) is up to the component.
 */
export const segmentedStyles = css`
  .segmented label {
    position: relative;
  }
  .segmented input {
    position: absolute;
    opacity: 0;
    inset: 0;
    margin: 0;
    min-height: 0;
    cursor: pointer;
  }
  .segmented span {
    display: inline-flex;
    align-items: center;
    min-height: var(--or-control-height);
    padding: var(--or-control-padding);
    border: 1px solid var(--or-border);
    background: var(--or-bg);
    color: var(--or-text);
    white-space: nowrap;
  }
  .segmented label:first-of-type span {
    border-radius: var(--or-radius-sm) 0 0 var(--or-radius-sm);
  }
  .segmented label:last-of-type span {
    border-radius: 0 var(--or-radius-sm) var(--or-radius-sm) 0;
  }
  .segmented input:checked + span {
    background: color-mix(in srgb, var(--or-accent) 16%, var(--or-bg));
    border-color: var(--or-accent);
    font-weight: 600;
  }
  .segmented input:focus-visible + span {
    outline: var(--or-focus-width) solid var(--or-accent);
    outline-offset: var(--or-focus-offset);
  }
`;

/** A checkbox with its label: label.check > input[type=checkbox] + text. */
export const checkStyles = css`
  .check {
    display: inline-flex;
    align-items: center;
    gap: 5px;
    cursor: pointer;
  }
  .check input {
    margin: 0;
    accent-color: var(--or-accent);
  }
  .check input:focus-visible {
    outline: var(--or-focus-width) solid var(--or-accent);
    outline-offset: var(--or-focus-offset);
  }
`;

/** The whole controls layer for a component with form controls (the charts take the parts they use). */
export const controlStyles = css`
  ${formControlStyles}
  ${fieldStyles}
`;

/** The control panel box of <adam-steps> and <init-histograms> (its fields: fieldStyles). */
export const controlPanelStyles = css`
  .controls {
    display: flex; flex-wrap: wrap; gap: 0.6rem 0.9rem; align-items: end;
    padding: 0.75rem 0.9rem; background: var(--or-surface);
    border: 1px solid var(--or-border); border-radius: var(--or-radius);
  }
`;

/** The panel's inputs and selects of <adam-steps> and <init-histograms>: --or-control-height-lg tall, a little larger text. */
export const panelInputStyles = css`
  input, select {
    height: var(--or-control-height-lg); box-sizing: border-box; font-size: 0.95rem;
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
