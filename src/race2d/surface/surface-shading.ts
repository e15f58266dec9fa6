/**
 * How the 3D view colours the surface, in TypeScript: the reference for the fragment shader in
 * shaders/surface3d/surface.wgsl and what the canvas painter fills with. The surface is filled in
 * the contour view's bands (band k between levels k − 1 and k, coloured from `low` at the lowest
 * band to `high` above the last level), flat-shaded by a fixed light from either side, with the
 * level lines drawn in `line`.
 */
import { kLightDirection, type Vec3 } from './camera';

export type Rgb = [number, number, number];

export interface SurfaceColors {
  /** Lowest band (below the first level), 0..1 per channel. */
  low: Rgb;
  /** Highest band (above the last level). */
  high: Rgb;
  /** Level lines. */
  line: Rgb;
  /** Behind the surface. */
  background: Rgb;
}

/** Ambient plus diffuse: a face never goes darker than kAmbient of its colour. */
export const kAmbient = 0.45;

/** Two-sided Lambert: the brightness of a face whose unit normal is `normal`. */
export function shadeFor(normal: Vec3): number {
  const [lx, ly, lz] = kLightDirection;
  return kAmbient + (1 - kAmbient) * Math.abs(normal[0] * lx + normal[1] * ly + normal[2] * lz);
}

/** The band of a level position (src/race2d/surface/surface-mesh.ts levelPosition): 0 .. levelCount. */
export function bandOf(position: number, levelCount: number): number {
  return Math.min(levelCount, Math.max(0, Math.floor(position) + 1));
}

/** The colour of band `band` of `levelCount` + 1 under brightness `shade`. */
export function bandColor(band: number, levelCount: number, colors: SurfaceColors, shade: number): Rgb {
  const t = levelCount > 0 ? band / levelCount : 0;
  return [0, 1, 2].map((c) => (colors.low[c] + (colors.high[c] - colors.low[c]) * t) * shade) as Rgb;
}
