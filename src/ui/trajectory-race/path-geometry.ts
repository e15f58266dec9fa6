/**
 * What of a racer's path can be drawn: the finite points, cut at the plot's edge. Paths that
 * blow up (NaN, 1e6 away) or leave the plot for good are reported as diverged, never thrown.
 */
import type { Point, View } from '../../race2d/functions';
import type { TrajectoryResult } from '../../race2d/trajectory';

export type { View };

export interface VisiblePath {
  /** Polylines inside the view, in data coordinates; a segment that crosses the edge is cut there. */
  lines: Point[][];
  /** Points inside the view, drawn as markers. */
  markers: Point[];
}

export interface PathStatus {
  /** Step at which the racer diverged (engine: NaN or beyond 1e6; or it left the plot and never came back), or null. */
  divergedAt: number | null;
  /** True when the racer only left the plot (its numbers stayed finite). */
  leftPlot: boolean;
  /** Last finite point, or null. */
  last: Point | null;
}

export const inView = ([x, y]: Point, view: View): boolean => x >= view.x[0] && x <= view.x[1] && y >= view.y[0] && y <= view.y[1];

const isFinitePoint = ([x, y]: Point): boolean => Number.isFinite(x) && Number.isFinite(y);

/** Liang-Barsky: the part of segment a-b inside the view, or null. */
export function clipSegment(a: Point, b: Point, view: View): [Point, Point] | null {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  let t0 = 0;
  let t1 = 1;
  const edges: [number, number][] = [
    [-dx, a[0] - view.x[0]],
    [dx, view.x[1] - a[0]],
    [-dy, a[1] - view.y[0]],
    [dy, view.y[1] - a[1]],
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return null;
      continue;
    }
    const r = q / p;
    if (p < 0) {
      if (r > t1) return null;
      t0 = Math.max(t0, r);
    } else {
      if (r < t0) return null;
      t1 = Math.min(t1, r);
    }
  }
  return [
    [a[0] + t0 * dx, a[1] + t0 * dy],
    [a[0] + t1 * dx, a[1] + t1 * dy],
  ];
}

/** The drawable part of `path[0..upTo]`. */
export function visiblePath(path: readonly Point[], view: View, upTo = path.length - 1): VisiblePath {
  const lines: Point[][] = [];
  const markers: Point[] = [];
  let current: Point[] | null = null;
  const end = Math.min(upTo, path.length - 1);
  for (let s = 0; s <= end; s++) {
    const p = path[s];
    if (!isFinitePoint(p)) break;
    if (inView(p, view)) markers.push(p);
    if (s === 0) continue;
    const clipped = clipSegment(path[s - 1], p, view);
    if (!clipped) {
      current = null;
      continue;
    }
    const [a, b] = clipped;
    const joins = current !== null && a[0] === path[s - 1][0] && a[1] === path[s - 1][1];
    if (!joins || !current) {
      current = [a];
      lines.push(current);
    }
    current.push(b);
    if (b[0] !== p[0] || b[1] !== p[1]) current = null;
  }
  return { lines, markers };
}

export function pathStatus(result: TrajectoryResult, view: View): PathStatus {
  const { path } = result;
  const finiteCount = result.diverged ?? path.length;
  const last = finiteCount > 0 ? path[finiteCount - 1] : null;
  if (result.diverged !== null) return { divergedAt: result.diverged, leftPlot: false, last };
  // Finite to the end: diverged only if it left the plot and never came back.
  let s = path.length;
  while (s > 0 && !inView(path[s - 1], view)) s--;
  const divergedAt = s < path.length ? s : null;
  return { divergedAt, leftPlot: divergedAt !== null, last };
}
