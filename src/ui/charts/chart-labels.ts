/**
 * Text labels drawn on a chart's canvas (the sensitivity chart's "best lr=0.01", the LR finder's
 * "steepest 0.003"): kept inside the plot and moved up, one line at a time, past labels already
 * placed, so that two optimizers' labels at one point stay readable.
 */
import type uPlot from 'uplot';

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export class CanvasLabels {
  private readonly placed: Box[] = [];

  constructor(
    private readonly u: uPlot,
    private readonly ratio: number,
  ) {}

  /** Draws `text` centred above (x, y) (canvas px), in `color`; `below` puts it under instead. */
  draw(text: string, x: number, y: number, color: string, below = false): void {
    const { ctx, bbox } = this.u;
    const width = ctx.measureText(text).width;
    const height = 13 * this.ratio;
    const left = Math.min(Math.max(x - width / 2, bbox.left), bbox.left + bbox.width - width);
    let top = below ? y + 7 * this.ratio : y - 7 * this.ratio - height;
    for (let tries = 0; tries < 8; tries++) {
      const box = { left, right: left + width, top, bottom: top + height };
      if (!this.placed.some((b) => b.left < box.right && box.left < b.right && b.top < box.bottom && box.top < b.bottom)) break;
      top += below ? height : -height;
    }
    top = Math.min(Math.max(top, bbox.top - 12 * this.ratio), bbox.top + bbox.height - height);
    this.placed.push({ left, right: left + width, top, bottom: top + height });
    ctx.fillStyle = color;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    ctx.fillText(text, left, top);
  }
}
