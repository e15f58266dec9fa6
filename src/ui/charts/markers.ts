/**
 * The seed's matplotlib markers (o x s D v ^) on a canvas, from the same glyph paths the 2D race
 * draws in SVG, so a racer's marker looks the same everywhere.
 */
import { glyph, type MarkerShape } from '../trajectory-race/plot';

export type { MarkerShape };

const kShapes: readonly MarkerShape[] = ['circle', 'cross', 'square', 'diamond', 'triangle-down', 'triangle-up'];

export function isMarkerShape(value: unknown): value is MarkerShape {
  return kShapes.includes(value as MarkerShape);
}

/** Paths centred on the origin, cached per shape and radius. */
const pathCache = new Map<string, Path2D>();
function markerPath(shape: MarkerShape, radius: number): Path2D {
  const key = `${shape}:${radius}`;
  let path = pathCache.get(key);
  if (!path) {
    path = new Path2D(glyph(shape, 0, 0, radius));
    pathCache.set(key, path);
  }
  return path;
}

/**
 * Draws one marker centred on (x, y), in canvas pixels. Filled shapes get a thin outline in the
 * background colour so that they stay apart from the curves under them; the cross is stroked.
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
  const path = markerPath(shape, radius);
  ctx.save();
  ctx.translate(x, y);
  if (shape === 'cross') {
    ctx.lineCap = 'round';
    ctx.strokeStyle = outline;
    ctx.lineWidth = 3.5 * pixelRatio;
    ctx.stroke(path);
    ctx.strokeStyle = color;
    ctx.lineWidth = 1.75 * pixelRatio;
    ctx.stroke(path);
  } else {
    ctx.fillStyle = color;
    ctx.strokeStyle = outline;
    ctx.lineWidth = 1 * pixelRatio;
    ctx.fill(path);
    ctx.stroke(path);
  }
  ctx.restore();
}
