/**
 * The racers' paths lifted onto the surface: every segment is cut into pieces no longer than one
 * grid cell and each piece's ends are put at f's height (plus a small lift), so a path follows
 * the surface over hills instead of cutting through them. Non-finite heights break the line.
 */
import type { Point } from '../functions';
import type { Vec3 } from './camera';
import type { SurfaceFrame } from './surface-mesh';

/** Above the surface, in scene units, so the depth test shows the path on it. */
export const kPathLift = 0.012;
const kMaxPiecesPerSegment = 256;

/** One polyline in data coordinates to polylines in scene coordinates on the surface. */
export function liftPolyline(f: (x: number, y: number) => number, frame: SurfaceFrame, line: readonly Point[], cell: number): Vec3[][] {
  const pieces: Vec3[][] = [];
  let current: Vec3[] = [];
  const add = (x: number, y: number): void => {
    const p = frame.toScene(x, y, f(x, y));
    if (Number.isFinite(p[2])) {
      p[2] += kPathLift;
      current.push(p);
    } else if (current.length > 0) {
      if (current.length > 1) pieces.push(current);
      current = [];
    }
  };
  line.forEach(([x, y], k) => {
    if (k === 0) return add(x, y);
    const [x0, y0] = line[k - 1];
    const count = Math.min(kMaxPiecesPerSegment, Math.max(1, Math.ceil(Math.hypot(x - x0, y - y0) / cell)));
    for (let s = 1; s <= count; s++) add(x0 + ((x - x0) * s) / count, y0 + ((y - y0) * s) / count);
  });
  if (current.length > 1) pieces.push(current);
  return pieces;
}

/** A point on the surface (lifted), or null where f is not finite: where a racer's marker goes. */
export function liftPoint(f: (x: number, y: number) => number, frame: SurfaceFrame, [x, y]: Point): Vec3 | null {
  const p = frame.toScene(x, y, f(x, y));
  return Number.isFinite(p[2]) ? [p[0], p[1], p[2] + kPathLift] : null;
}
