/**
 * Text labels drawn on a chart's canvas (the sensitivity chart's "best lr=0.01", the LR finder's
 * "steepest 0.003"): each kept inside the plot and never over another. A label goes centred above
 * its point (or below); where that place is taken or outside the plot, it goes to the nearest free
 * place (touching a placed label's edge), first in its own column, then beside; where none is free
 * (more labels than the plot holds) it is not drawn: the legend still says every value.
 * LabelPlacer is the geometry (no canvas), CanvasLabels draws with it.
 */
import type uPlot from 'uplot';

export interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

const overlap = (a: Box, b: Box): boolean => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/** Places boxes inside `bounds` so that no two intersect. */
export class LabelPlacer {
  readonly placed: Box[] = [];

  constructor(private readonly bounds: Box) {}

  /**
   * A free box of `width` × `height` whose preferred place has its left at `left` and its top at
   * `top` (both moved inside the bounds): that place if free, else the nearest free one, preferring
   * `away` (-1: up, 1: down) on a tie; null when none is. The box is recorded as placed.
   */
  place(width: number, height: number, left: number, top: number, away: -1 | 1 = -1): Box | null {
    const { bounds } = this;
    if (width > bounds.right - bounds.left || height > bounds.bottom - bounds.top) return null;
    const clampLeft = (x: number): number => Math.min(Math.max(x, bounds.left), bounds.right - width);
    const clampTop = (y: number): number => Math.min(Math.max(y, bounds.top), bounds.bottom - height);
    const x0 = clampLeft(left);
    const y0 = clampTop(top);
    // The nearest free place is the preferred one or touches a placed box's edge (or the bounds').
    const byDistance = (from: number, away: number) => (a: number, b: number) => Math.abs(a - from) - Math.abs(b - from) || (b - a) * away;
    const lefts = unique([x0, ...this.placed.flatMap((b) => [b.left - width, b.right]).map(clampLeft)]).sort(byDistance(x0, 0));
    for (const x of lefts) {
      const tops = unique([y0, bounds.top, bounds.bottom - height, ...this.placed.flatMap((b) => [b.top - height, b.bottom]).map(clampTop)]);
      for (const y of tops.sort(byDistance(y0, away))) {
        const box = { left: x, right: x + width, top: y, bottom: y + height };
        if (!this.placed.some((b) => overlap(b, box))) {
          this.placed.push(box);
          return box;
        }
      }
    }
    return null;
  }
}

const unique = (values: number[]): number[] => [...new Set(values)];

export class CanvasLabels {
  private readonly placer: LabelPlacer;

  constructor(
    private readonly u: uPlot,
    private readonly ratio: number,
  ) {
    // The plot area, and the strip above it where a label of a point at the top may go.
    const { bbox } = u;
    this.placer = new LabelPlacer({ left: bbox.left, right: bbox.left + bbox.width, top: bbox.top - 12 * ratio, bottom: bbox.top + bbox.height });
  }

  /** The boxes drawn so far (canvas px). */
  get boxes(): readonly Box[] {
    return this.placer.placed;
  }

  /** Draws `text` centred above (x, y) (canvas px), in `color`; `below` puts it under instead. */
  draw(text: string, x: number, y: number, color: string, below = false): void {
    const { ctx } = this.u;
    const width = ctx.measureText(text).width;
    const height = 13 * this.ratio;
    const gap = 7 * this.ratio;
    const box = this.placer.place(width, height, x - width / 2, below ? y + gap : y - gap - height, below ? 1 : -1);
    if (!box) return;
    ctx.fillStyle = color;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    ctx.fillText(text, box.left, box.top);
  }
}
