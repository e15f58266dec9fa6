/**
 * Moving the race's start point on a plot: click or drag (pointer capture), or the arrow keys
 * (1% of the view per press, 10% with Shift). The host keeps the start as text (`x,y`).
 */
import type { Function2D, Point } from '../../race2d/functions';
import type { PlotFrame } from './plot';
import { parsePoint } from '../../util/point-text';
import { formatStart } from './racer-settings';

export class StartPointInput {
  private dragging: number | null = null;

  constructor(private readonly host: { start?: string }) {}

  /** The start as typed, or null while it is not two numbers. */
  get point(): Point | null {
    const p = parsePoint(this.host.start ?? '');
    return p.every(Number.isFinite) ? p : null;
  }

  /** Event handlers for one plot's <svg>. */
  handlers(frame: PlotFrame, fn: Function2D) {
    return {
      pointerdown: (e: PointerEvent): void => {
        if (e.button !== 0) return;
        this.dragging = e.pointerId;
        (e.currentTarget as SVGSVGElement).setPointerCapture?.(e.pointerId);
        this.moveTo(e, frame);
      },
      pointermove: (e: PointerEvent): void => {
        if (this.dragging === e.pointerId) this.moveTo(e, frame);
      },
      pointerup: (): void => void (this.dragging = null),
      click: (e: MouseEvent): void => this.moveTo(e, frame),
      keydown: (e: KeyboardEvent): void => this.key(e, fn),
    };
  }

  private moveTo(e: MouseEvent, frame: PlotFrame): void {
    const matrix = (e.currentTarget as SVGSVGElement).getScreenCTM();
    if (!matrix) return;
    const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(matrix.inverse());
    const point = frame.toData(p.x, p.y);
    if (!point) return;
    const { x, y } = frame.view;
    this.host.start = formatStart(point, Math.max(x[1] - x[0], y[1] - y[0]));
  }

  private key(e: KeyboardEvent, fn: Function2D): void {
    const moves: Record<string, Point> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
    const move = moves[e.key];
    const start = this.point;
    if (!move || !start) return;
    e.preventDefault();
    const span = Math.max(fn.view.x[1] - fn.view.x[0], fn.view.y[1] - fn.view.y[0]);
    const step = (span / 100) * (e.shiftKey ? 10 : 1);
    const clamp = (v: number, [lo, hi]: Point): number => Math.min(hi, Math.max(lo, v));
    this.host.start = formatStart([clamp(start[0] + move[0] * step, fn.view.x), clamp(start[1] + move[1] * step, fn.view.y)], span);
  }
}
