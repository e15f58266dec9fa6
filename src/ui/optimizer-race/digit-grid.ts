/** The first test digits, drawn from the dataset's pixels, with each racer's predicted label. */
import { html, nothing, type TemplateResult } from 'lit';
import { kPredictedDigits } from '../../race/backend';

export interface DigitRacer {
  name: string;
  color: string;
  /** Predicted labels of the first test digits at the last evaluation (empty before it). */
  predictions: readonly number[];
  diverged: boolean;
}

/** Draws one image: ink in `color` with the pixel value as alpha, on a transparent background. */
export function drawDigit(canvas: HTMLCanvasElement, pixels: Uint8Array, rows: number, cols: number, color: [number, number, number]): void {
  canvas.width = cols;
  canvas.height = rows;
  const context = canvas.getContext('2d');
  if (!context) return;
  const image = context.createImageData(cols, rows);
  for (let i = 0; i < rows * cols; i++) {
    image.data.set(color, 4 * i);
    image.data[4 * i + 3] = pixels[i];
  }
  context.putImageData(image, 0, 0);
}

/** 'rgb(1, 2, 3)' or 'rgba(…)' to [r, g, b]; black when it cannot be read. */
export function parseRgb(css: string): [number, number, number] {
  const m = css.match(/rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
}

export function renderDigitGrid(labels: Uint8Array | null, racers: readonly DigitRacer[]): TemplateResult {
  const count = labels ? Math.min(kPredictedDigits, labels.length) : 0;
  const evaluated = racers.some((r) => r.predictions.length > 0);
  return html`
    <ol class="digits" part="digits">
      ${Array.from({ length: count }, (_, n) => {
        const label = labels![n];
        const votes = racers.filter((r) => r.predictions.length > n);
        const right = votes.filter((r) => r.predictions[n] === label).length;
        return html`
          <li class="digit" data-digit=${n}>
            <canvas width="28" height="28" role="img" aria-label="Test digit ${n + 1}: a handwritten ${label}"></canvas>
            <span class="truth" title="label ${label}${evaluated ? `; ${right} of ${votes.length} racers right` : ''}"
              >label <strong>${label}</strong>${evaluated ? html`<span class="tally">${right}/${votes.length} right</span>` : nothing}</span>
            <span class="predictions">
              ${racers.map((r) => {
                if (r.predictions.length <= n) return nothing;
                const p = r.predictions[n];
                const ok = p === label;
                return html`<span class="prediction ${ok ? 'right' : 'wrong'}" style="--trace:${r.color}"
                  title="${r.name}${r.diverged ? ' (diverged)' : ''} predicts ${p}: ${ok ? 'right' : 'wrong'}"
                  >${p}<span class="visually-hidden"> by ${r.name}, ${ok ? 'right' : 'wrong'}</span></span>`;
              })}
            </span>
          </li>`;
      })}
    </ol>`;
}
