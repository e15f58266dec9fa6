/**
 * Contour lines of a 2D function with d3-contour, as SVG path data in the function's own
 * coordinates (the plot scales them with a transform). Computed once per function and view, and cached:
 * animation frames and re-renders reuse the same strings.
 */
import { contours } from 'd3-contour';
import type { Function2D } from '../../race2d/functions';

export interface ContourLine {
  level: number;
  /** SVG path data in (x, y) data coordinates. */
  d: string;
}

/** Samples per axis; 161 keeps the seed's ellipses smooth at the overlay's size and costs ~26k evaluations. */
const kGridSize = 161;

/** By function, view and levels; typed functions and view boxes come and go, so it is bounded. */
const cache = new Map<string, ContourLine[]>();
const kCacheSize = 32;

/** Contour lines at fn.levels over fn.view (the seed draws only levels up to f = 7). */
export function contourLines(fn: Function2D): ContourLine[] {
  const key = `${fn.id}|${fn.view.x}|${fn.view.y}|${fn.levels}`;
  let lines = cache.get(key);
  if (!lines) {
    lines = computeContourLines(fn, kGridSize);
    if (cache.size >= kCacheSize) cache.delete(cache.keys().next().value as string);
    cache.set(key, lines);
  }
  return lines;
}

export function computeContourLines(fn: Function2D, n: number): ContourLine[] {
  const [x0, x1] = fn.view.x;
  const [y0, y1] = fn.view.y;
  const hx = (x1 - x0) / (n - 1);
  const hy = (y1 - y0) / (n - 1);
  const values = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) values[j * n + i] = fn.f(x0 + i * hx, y0 + j * hy);
  }
  // d3-contour puts sample i at grid coordinate i + 0.5 and closes rings along the grid's edge.
  const toX = (gx: number): number => x0 + (gx - 0.5) * hx;
  const toY = (gy: number): number => y0 + (gy - 0.5) * hy;
  const onEdge = ([gx, gy]: number[]): boolean => gx <= 0 || gx >= n || gy <= 0 || gy >= n;
  const decimals = Math.max(0, Math.ceil(-Math.log10(Math.max(x1 - x0, y1 - y0) * 1e-4)));
  const at = (point: number[]): string => `${toX(point[0]).toFixed(decimals)} ${toY(point[1]).toFixed(decimals)}`;

  return contours()
    .size([n, n])
    .thresholds(fn.levels)(Array.from(values))
    .map((polygon) => {
      let d = '';
      for (const rings of polygon.coordinates) {
        for (const ring of rings) {
          // The region boundary minus its stretches along the grid edge is the isoline.
          let pen = false;
          for (let k = 1; k < ring.length; k++) {
            if (onEdge(ring[k]) && onEdge(ring[k - 1])) {
              pen = false;
              continue;
            }
            if (!pen) d += `M${at(ring[k - 1])}`;
            d += `L${at(ring[k])}`;
            pen = true;
          }
        }
      }
      return { level: polygon.value, d };
    })
    .filter((line) => line.d !== '');
}
