/**
 * The plot window of the 2D race, editable: the `view-box` attribute ("xmin,xmax,ymin,ymax") and
 * four number fields. A bad box is explained under the fields and the plots keep the last good one;
 * the race itself does not depend on it (only what is drawn, and where a path "left the plot").
 */
import { html, nothing, type TemplateResult } from 'lit';
import { parseNumber } from '../../optim/racer-spec';
import type { Function2D } from '../../race2d/functions';
import { kDivergedAt } from '../../race2d/trajectory';
import { withView } from '../../race2d/typed-function';
import type { View } from './path-geometry';

/** The y range may be this many times the x range (or its inverse): the plots stay readable. */
export const kMaxAspect = 4;
const kMinSpan = 1e-6;
const kNames = ['x min', 'x max', 'y min', 'y max'] as const;

export type ViewBoxCheck = { view: View; error: null } | { view: null; error: string };

export function parseViewBox(text: string): ViewBoxCheck {
  const parts = text.split(',');
  const fail = (error: string): ViewBoxCheck => ({ view: null, error: `View box: ${error}` });
  if (parts.length !== 4) return fail(`give four numbers xmin,xmax,ymin,ymax, got '${text}'`);
  const values = parts.map(parseNumber);
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) return fail(`${kNames[bad]} must be a number, got '${parts[bad].trim()}'`);
  const far = values.findIndex((v) => Math.abs(v) > kDivergedAt);
  if (far >= 0) return fail(`${kNames[far]} must be within ±${kDivergedAt.toExponential()}, got ${values[far]}`);
  const [x0, x1, y0, y1] = values;
  if (!(x1 - x0 >= kMinSpan)) return fail(`x max (${x1}) must be above x min (${x0}) by at least ${kMinSpan}`);
  if (!(y1 - y0 >= kMinSpan)) return fail(`y max (${y1}) must be above y min (${y0}) by at least ${kMinSpan}`);
  const aspect = (y1 - y0) / (x1 - x0);
  if (aspect > kMaxAspect || aspect < 1 / kMaxAspect)
    return fail(`the y range (${y1 - y0}) must be within ${kMaxAspect} times the x range (${x1 - x0}) either way`);
  return {
    view: {
      x: [x0, x1],
      y: [y0, y1],
    },
    error: null,
  };
}

export const formatViewBox = (view: View): string => [...view.x, ...view.y].join(',');

/** withView, remembered: it samples f for the contour levels, and the element renders every animation frame. */
const viewed = new Map<string, Function2D>();
export function functionInView(fn: Function2D, view: View): Function2D {
  const key = `${fn.id}|${formatViewBox(view)}`;
  let shown = viewed.get(key);
  if (!shown || shown.f !== fn.f) {
    shown = withView(fn, view);
    if (viewed.size >= 32) viewed.delete(viewed.keys().next().value as string);
    viewed.set(key, shown);
  }
  return shown;
}

/**
 * Four number fields for `text` (the box as typed, or the function's own); `set` gets the new
 * box text. Half-typed numbers ("1e", "-") keep the state until they parse.
 */
export function renderViewBoxControl(text: string, error: string | null, set: (text: string) => void): TemplateResult {
  const parts = text.split(',');
  while (parts.length < 4) parts.push('');
  return html`
    <div class="field" role="group" aria-labelledby="view-box-label">
      <span id="view-box-label">View box</span>
      <div class="row view-box-inputs">
        ${kNames.map(
          (name, i) => html`
          <label><span>${name}</span><input type="number" step="any" .value=${parts[i].trim()} aria-label="view box ${name}"
            data-part=${i} aria-invalid=${error ? 'true' : 'false'} aria-describedby="view-box-error"
            @input=${(e: Event) => {
              const input = e.target as HTMLInputElement;
              if (input.validity.badInput) return;
              set(parts.map((p, k) => (k === i ? input.value : p.trim())).join(','));
            }}></label>`,
        )}
      </div>
    </div>`;
}

export const renderViewBoxError = (error: string | null): TemplateResult | typeof nothing =>
  error ? html`<p class="error" id="view-box-error">${error}</p>` : nothing;
