/** The first test digits, drawn from the dataset's pixels, with each racer's predicted label. */
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { cssomStyle } from '../cssom-style';
import { imagePixels, type MnistDataset } from '../../data/dataset';
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
                return html`<span class="prediction ${ok ? 'right' : 'wrong'}" ${cssomStyle({ '--trace': r.color })}
                  title="${r.name}${r.diverged ? ' (diverged)' : ''} predicts ${p}: ${ok ? 'right' : 'wrong'}"
                  >${p}<span class="visually-hidden"> by ${r.name}, ${ok ? 'right' : 'wrong'}</span></span>`;
              })}
            </span>
          </li>`;
      })}
    </ol>`;
}

/** Draws the test digits into the grid's canvases under `root`, in the canvases' text colour; false when the grid is not there yet. */
export function drawDigits(root: ParentNode, dataset: MnistDataset): boolean {
  const canvases = root.querySelectorAll<HTMLCanvasElement>('.digit canvas');
  if (canvases.length === 0) return false;
  const ink = parseRgb(getComputedStyle(canvases[0]).color);
  canvases.forEach((canvas, n) => {
    if (n < dataset.testCount) drawDigit(canvas, imagePixels(dataset, 'test', n), dataset.rows, dataset.cols, ink);
  });
  return true;
}

/** Draws the digits after a render that shows a data set not drawn yet, and again when the colour scheme changes (the ink follows it). */
export class DigitsController implements ReactiveController {
  private drawn: MnistDataset | null = null;
  private readonly scheme = window.matchMedia?.('(prefers-color-scheme: dark)');
  private readonly onSchemeChange = (): void => {
    this.drawn = null;
    this.host.requestUpdate();
  };

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly root: () => ParentNode,
    private readonly dataset: () => MnistDataset | null,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.scheme?.addEventListener('change', this.onSchemeChange);
  }

  hostDisconnected(): void {
    this.scheme?.removeEventListener('change', this.onSchemeChange);
  }

  hostUpdated(): void {
    const dataset = this.dataset();
    if (dataset && this.drawn !== dataset && drawDigits(this.root(), dataset)) this.drawn = dataset;
  }
}
