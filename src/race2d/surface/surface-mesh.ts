/**
 * The surface of f as a grid mesh in scene coordinates (./camera.ts), evaluated on the CPU with
 * the function's own float64 f (a named function's TypeScript f or a typed expression's tree
 * walk): the one owner of f's values, shared by the WebGPU renderer and the canvas painter.
 *
 * Height: f is mapped to z linearly, or log-compressed (z ∝ log(f − min + δ), δ = 1e-4 of the
 * range) when f's values over the view span orders of magnitude (Rosenbrock, Beale), so a
 * valley stays visible next to walls 1000 times higher. 'auto' picks log by the rule the contour
 * levels use (src/race2d/levels.ts) in spirit: the 98th percentile above the minimum is over 50
 * times the 10th percentile above it (Rosenbrock 200, Beale 11000; the seed, Himmelblau 35 stay linear).
 *
 * Each vertex also carries its position among the contour levels (levelPosition), so both
 * renderers colour the surface in the contour view's bands and draw its level lines on it.
 */
import type { View } from '../functions';
import { kSceneHeight, type Vec3 } from './camera';

export type HeightScale = 'auto' | 'linear' | 'log';
export type { View };

/** Samples per axis: 97² = 9409 evaluations, quads small enough for the canvas painter's sort. */
export const kSurfaceGrid = 97;

export interface SurfaceFunction {
  f(x: number, y: number): number;
  /** Contour levels, increasing (Function2D.levels). */
  levels: readonly number[];
}

/** f's value to the surface's height in scene units, and the view box to scene x, y. */
export class SurfaceFrame {
  readonly cx: number;
  readonly cy: number;
  /** Scene units per data unit (the longer side of the view spans [-1, 1]). */
  readonly scale: number;

  constructor(
    readonly view: View,
    /** The scale actually used ('auto' resolved). */
    readonly heightScale: 'linear' | 'log',
    private readonly lo: number,
    private readonly hi: number,
    private readonly delta: number,
  ) {
    this.cx = (view.x[0] + view.x[1]) / 2;
    this.cy = (view.y[0] + view.y[1]) / 2;
    this.scale = 2 / Math.max(view.x[1] - view.x[0], view.y[1] - view.y[0]);
  }

  /** f's value as a fraction of the height range, clamped to [0, 1]; NaN stays NaN. */
  unitHeight(value: number): number {
    if (Number.isNaN(value)) return NaN;
    const { lo, hi, delta } = this;
    const t =
      this.heightScale === 'log'
        ? (Math.log(Math.max(value - lo, 0) + delta) - Math.log(delta)) / (Math.log(hi - lo + delta) - Math.log(delta))
        : (value - lo) / (hi - lo);
    return Math.min(1, Math.max(0, t));
  }

  /** A point of the surface in scene coordinates (NaN z where f is NaN). */
  toScene(x: number, y: number, value: number): Vec3 {
    return [(x - this.cx) * this.scale, (y - this.cy) * this.scale, (this.unitHeight(value) - 0.5) * kSceneHeight];
  }
}

/** The frame for f over `view`: the height range from f sampled on an n × n grid. */
export function surfaceFrame(f: (x: number, y: number) => number, view: View, heightScale: HeightScale, n = 41): SurfaceFrame {
  return frameFromSamples(Float64Array.from(gridValues(f, view, n)), view, heightScale);
}

/** f at the n × n grid over `view`, row by row (sample (i, j) at j * n + i). */
function gridValues(f: (x: number, y: number) => number, view: View, n: number): Float64Array {
  const values = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) values[j * n + i] = f(view.x[0] + ((view.x[1] - view.x[0]) * i) / (n - 1), view.y[0] + ((view.y[1] - view.y[0]) * j) / (n - 1));
  }
  return values;
}

function frameFromSamples(samples: Float64Array, view: View, heightScale: HeightScale): SurfaceFrame {
  const values = samples.filter(Number.isFinite).sort();
  if (values.length === 0) return new SurfaceFrame(view, 'linear', 0, 1, 1);
  const above = (q: number): number => values[Math.min(values.length - 1, Math.floor(q * (values.length - 1)))] - lo;
  const lo = values[0];
  const max = values[values.length - 1];
  // A few samples near a pole (1/x) would flatten everything else: cap the range at 10 times the 98th percentile's.
  const hi = max - lo > 10 * above(0.98) && above(0.98) > 0 ? lo + 10 * above(0.98) : max;
  if (!(hi > lo)) return new SurfaceFrame(view, 'linear', lo - 0.5, lo + 0.5, 1);
  const wide = above(0.98) > 50 * Math.max(above(0.1), Number.MIN_VALUE);
  const resolved = heightScale === 'auto' ? (wide ? 'log' : 'linear') : heightScale;
  return new SurfaceFrame(view, resolved, lo, hi, (hi - lo) * 1e-4);
}

/**
 * Where `value` lies among the increasing `levels`: k at levels[k], linear in between, clamped to
 * [-0.5, levels.length - 0.5] outside them (half a band, so no level line is drawn there). The
 * band a value is in is floor(position) + 1: 0 below the first level, levels.length above the last.
 */
export function levelPosition(value: number, levels: readonly number[]): number {
  const n = levels.length;
  if (n === 0 || Number.isNaN(value)) return -0.5;
  if (n === 1) return Math.sign(value - levels[0]) / 2;
  if (value < levels[0]) return Math.max(-0.5, (value - levels[0]) / (levels[1] - levels[0]));
  if (value >= levels[n - 1]) return Math.min(n - 0.5, n - 1 + (value - levels[n - 1]) / (levels[n - 1] - levels[n - 2]));
  let k = 0;
  while (levels[k + 1] <= value) k++;
  return k + (value - levels[k]) / (levels[k + 1] - levels[k]);
}

export interface SurfaceMesh {
  frame: SurfaceFrame;
  /** Grid samples per axis; vertex (i, j) is at index j * n + i. */
  n: number;
  /** x, y, z (scene) and the level position per vertex: 4 floats each. */
  vertices: Float32Array;
  /** Triangles (3 vertex indices each), two per grid cell whose 4 corners are finite. */
  indices: Uint32Array;
  levelCount: number;
}

/** The mesh of fn over `view`: n × n samples of f, two triangles a cell (corners (i,j), (i+1,j), (i+1,j+1) and (i,j), (i+1,j+1), (i,j+1)). */
export function buildSurfaceMesh(fn: SurfaceFunction, view: View, heightScale: HeightScale, n = kSurfaceGrid): SurfaceMesh {
  const values = gridValues((x, y) => fn.f(x, y), view, n);
  const frame = frameFromSamples(values, view, heightScale);
  const vertices = new Float32Array(n * n * 4);
  const finite = new Uint8Array(n * n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const k = j * n + i;
      const value = Number.isFinite(values[k]) ? values[k] : NaN;
      const p = frame.toScene(view.x[0] + ((view.x[1] - view.x[0]) * i) / (n - 1), view.y[0] + ((view.y[1] - view.y[0]) * j) / (n - 1), value);
      finite[k] = Number.isNaN(p[2]) ? 0 : 1;
      vertices.set([p[0], p[1], finite[k] ? p[2] : 0, levelPosition(value, fn.levels)], k * 4);
    }
  }
  const triangles: number[] = [];
  for (let j = 0; j < n - 1; j++) {
    for (let i = 0; i < n - 1; i++) {
      const a = j * n + i;
      const b = a + 1;
      const c = a + n + 1;
      const d = a + n;
      if (finite[a] && finite[b] && finite[c] && finite[d]) triangles.push(a, b, c, a, c, d);
    }
  }
  return { frame, n, vertices, indices: new Uint32Array(triangles), levelCount: fn.levels.length };
}
