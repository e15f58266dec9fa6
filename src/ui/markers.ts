/**
 * The seed's matplotlib markers (o x s D v ^): the drawing of each shape, in SVG (path
 * data, templates, a 12 × 12 icon) and on a canvas (uPlot's draw hooks, PNG export), so a racer's
 * marker looks the same in the 2D race, the legends and the loss and accuracy charts.
 *
 * No DOM access at import time (Path2D is created on first use): this module imports in Node.
 */
import { svg, type SVGTemplateResult } from 'lit';

// The shapes' ids and order belong to src/optim (the registry names each optimizer's); drawing them is this module's.
import type { MarkerShape } from '../optim/marker-shapes';

export { isMarkerShape, kMarkerShapes, type MarkerShape } from '../optim/marker-shapes';

/**
 * One marker as SVG path data, centred on (x, y), radius r (user units). The cross is open (draw
 * it stroked, unfilled); the other shapes are closed.
 */
export function markerPath(shape: MarkerShape, x: number, y: number, r: number): string {
  const f = (v: number): string => v.toFixed(1);
  switch (shape) {
    case 'circle':
      return `M${f(x - r)} ${f(y)}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0`;
    case 'cross':
      return `M${f(x - r)} ${f(y - r)}l${2 * r} ${2 * r}m0 ${-2 * r}l${-2 * r} ${2 * r}`;
    case 'square':
      return `M${f(x - r)} ${f(y - r)}h${2 * r}v${2 * r}h${-2 * r}z`;
    case 'diamond':
      return `M${f(x)} ${f(y - 1.3 * r)}l${1.3 * r} ${1.3 * r}l${-1.3 * r} ${1.3 * r}l${-1.3 * r} ${-1.3 * r}z`;
    case 'triangle-up':
      return `M${f(x)} ${f(y - 1.2 * r)}l${1.1 * r} ${1.9 * r}h${-2.2 * r}z`;
    case 'triangle-down':
      return `M${f(x)} ${f(y + 1.2 * r)}l${1.1 * r} ${-1.9 * r}h${-2.2 * r}z`;
    case 'triangle-right':
      return `M${f(x + 1.2 * r)} ${f(y)}l${-1.9 * r} ${1.1 * r}v${-2.2 * r}z`;
    case 'triangle-left':
      return `M${f(x - 1.2 * r)} ${f(y)}l${1.9 * r} ${1.1 * r}v${-2.2 * r}z`;
    case 'star':
      return polygon(x, y, 10, (k) => (k % 2 === 0 ? 1.35 * r : 0.6 * r));
    case 'pentagon':
      return polygon(x, y, 5, () => 1.15 * r);
  }
}

/** A closed polygon of `n` corners centred on (x, y), the first straight up, corner k at `radius(k)`. */
function polygon(x: number, y: number, n: number, radius: (k: number) => number): string {
  const corners = Array.from({ length: n }, (_, k) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * k) / n;
    return `${(x + radius(k) * Math.cos(angle)).toFixed(1)} ${(y + radius(k) * Math.sin(angle)).toFixed(1)}`;
  });
  return `M${corners.join('L')}z`;
}

/** Line widths of a marker, in CSS pixels: the outline of a filled shape, the cross, its halo. */
const kOutlineWidth = 1;
const kCrossWidth = 1.75;
const kCrossHaloWidth = 3.5;

/**
 * One marker as an SVG <path>, painted as drawMarker() paints it on a canvas: filled in `color`
 * with a thin `outline` (the background colour, to keep it apart from the lines under it), or,
 * for the cross, stroked in `color`.
 */
export function markerSvg(shape: MarkerShape, x: number, y: number, r: number, color: string, outline: string): SVGTemplateResult {
  const cross = shape === 'cross';
  return svg`<path d=${markerPath(shape, x, y, r)} fill=${cross ? 'none' : color}
        stroke=${cross ? color : outline} stroke-width=${cross ? kCrossWidth : kOutlineWidth}></path>`;
}

/**
 * A legend swatch (26 × 12): the series' line with its marker on it, painted as the charts paint
 * them. The caller gives the <svg> element (size, class, aria-hidden).
 */
export function markerSwatchSvg(shape: MarkerShape, color: string, outline: string, radius: number): SVGTemplateResult {
  return svg`
      <line x1="1" y1="6" x2="25" y2="6" stroke=${color} stroke-width="2"></line>
      ${markerSvg(shape, 13, 6, radius, color, outline)}`;
}

/**
 * Small marker icons as SVG markup for a 12 × 12 viewBox (centred at 6, 6), painted by the
 * enclosing <svg>'s fill and stroke (currentColor): the demo page's optimizer legend.
 */
export const kMarkerIcons: Readonly<Record<MarkerShape, string>> = {
  circle: '<circle cx="6" cy="6" r="4" />',
  cross: '<path d="M2.5 2.5 9.5 9.5M9.5 2.5 2.5 9.5" />',
  square: '<rect x="2.2" y="2.2" width="7.6" height="7.6" />',
  diamond: '<path d="M6 1.4 10.6 6 6 10.6 1.4 6Z" />',
  'triangle-down': '<path d="M1.6 2.6h8.8L6 10.2Z" />',
  'triangle-up': '<path d="M6 1.8l4.4 7.6H1.6Z" />',
  'triangle-right': '<path d="M10.2 6 2.6 10.4V1.6Z" />',
  'triangle-left': '<path d="M1.8 6 9.4 10.4V1.6Z" />',
  star: `<path d="${polygon(6, 6, 10, (k) => (k % 2 === 0 ? 5 : 2.2))}" />`,
  pentagon: `<path d="${polygon(6, 6, 5, () => 4.6)}" />`,
};

/** Canvas paths centred on the origin, cached per shape and radius (created on first use). */
const pathCache = new Map<string, Path2D>();
function canvasPath(shape: MarkerShape, radius: number): Path2D {
  const key = `${shape}:${radius}`;
  let path = pathCache.get(key);
  if (!path) {
    path = new Path2D(markerPath(shape, 0, 0, radius));
    pathCache.set(key, path);
  }
  return path;
}

/**
 * Draws one marker centred on (x, y), in canvas pixels (call it from a uPlot draw hook, or on any
 * 2D context). Filled shapes get a thin outline in the background colour so that they stay apart
 * from the curves under them; the cross is stroked, over a halo in the outline colour.
 */
export function drawMarker(
  ctx: CanvasRenderingContext2D,
  shape: MarkerShape,
  x: number,
  y: number,
  radius: number,
  color: string,
  outline: string,
  pixelRatio: number,
): void {
  const path = canvasPath(shape, radius);
  ctx.save();
  ctx.translate(x, y);
  if (shape === 'cross') {
    ctx.lineCap = 'round';
    ctx.strokeStyle = outline;
    ctx.lineWidth = kCrossHaloWidth * pixelRatio;
    ctx.stroke(path);
    ctx.strokeStyle = color;
    ctx.lineWidth = kCrossWidth * pixelRatio;
    ctx.stroke(path);
  } else {
    ctx.fillStyle = color;
    ctx.strokeStyle = outline;
    ctx.lineWidth = kOutlineWidth * pixelRatio;
    ctx.fill(path);
    ctx.stroke(path);
  }
  ctx.restore();
}
