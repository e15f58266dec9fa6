/**
 * What <surface-view> draws, from its properties: the mesh (cached per function, view and height
 * scale), the paths lifted onto it up to the step shown, each racer's head (where its marker
 * goes), and the theme's colours read from the CSS tokens.
 */
import type { Function2D, Point } from '../../../race2d/functions';
import { buildSurfaceMesh, type HeightScale, type SurfaceMesh, type View } from '../../../race2d/surface/surface-mesh';
import { liftPoint, liftPolyline } from '../../../race2d/surface/surface-paths';
import type { PathStrips } from '../../../race2d/surface/surface-renderer';
import type { Rgb, SurfaceColors } from '../../../race2d/surface/surface-shading';
import type { Vec3 } from '../../../race2d/surface/camera';
import type { MarkerShape } from '../../markers';
import { visiblePath } from '../path-geometry';

/** One racer's path as <surface-view> takes it. */
export interface SurfacePath {
  /** The optimizer id (or any key). */
  id: string;
  /** CSS colour (the registry's). */
  color: string;
  marker: MarkerShape;
  /** [x, y] after each update, the start first (TrajectoryResult.path). */
  path: readonly Point[];
}

export interface SurfaceHead {
  id: string;
  color: string;
  marker: MarkerShape;
  at: Vec3;
}

const meshCache = new Map<string, SurfaceMesh>();
const kMeshCacheSize = 8;

export function surfaceMesh(fn: Function2D, view: View, heightScale: HeightScale): SurfaceMesh {
  const key = `${fn.id}|${view.x}|${view.y}|${fn.levels}|${heightScale}`;
  let mesh = meshCache.get(key);
  if (!mesh) {
    mesh = buildSurfaceMesh(fn, view, heightScale);
    if (meshCache.size >= kMeshCacheSize) meshCache.delete(meshCache.keys().next().value as string);
    meshCache.set(key, mesh);
  }
  return mesh;
}

/** The paths up to `step` (null: whole) on the surface, and where each racer is at that step. */
export function liftPaths(
  fn: Function2D,
  mesh: SurfaceMesh,
  paths: readonly SurfacePath[],
  step: number | null,
  rgb: (css: string) => Rgb,
): { strips: PathStrips[]; heads: SurfaceHead[] } {
  const view = mesh.frame.view;
  const cell = Math.max(view.x[1] - view.x[0], view.y[1] - view.y[0]) / (mesh.n - 1);
  const strips: PathStrips[] = [];
  const heads: SurfaceHead[] = [];
  for (const path of paths) {
    const visible = visiblePath(path.path as Point[], view, step ?? Number.POSITIVE_INFINITY);
    strips.push({ color: rgb(path.color), strips: visible.lines.flatMap((line) => liftPolyline(fn.f, mesh.frame, line, cell)) });
    const last = visible.markers[visible.markers.length - 1];
    const at = last ? liftPoint(fn.f, mesh.frame, last) : null;
    if (at) heads.push({ id: path.id, color: path.color, marker: path.marker, at });
  }
  return { strips, heads };
}

const colorCache = new Map<string, Rgb>();
let probe: CanvasRenderingContext2D | null = null;

/** Any CSS colour (hex, rgb(), color-mix(), named) as rgb in 0..1, by painting one pixel. */
export function cssColorToRgb(color: string): Rgb {
  const known = colorCache.get(color);
  if (known) return known;
  probe ??= document.createElement('canvas').getContext('2d', { willReadFrequently: true });
  if (!probe) return [0.5, 0.5, 0.5];
  probe.clearRect(0, 0, 1, 1);
  probe.fillStyle = '#808080';
  probe.fillStyle = color;
  probe.fillRect(0, 0, 1, 1);
  const [r, g, b] = probe.getImageData(0, 0, 1, 1).data;
  const rgb: Rgb = [r / 255, g / 255, b / 255];
  colorCache.set(color, rgb);
  return rgb;
}

const mix = (a: Rgb, b: Rgb, t: number): Rgb => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];

/**
 * The surface's colours from the theme: bands from near the background (low) to the contour
 * colour darkened towards the text (high), level lines in the muted text colour, as the contour
 * view draws its lines on the plot background.
 */
export function themeColors(host: Element): SurfaceColors {
  const style = getComputedStyle(host);
  const token = (name: string, fallback: string): Rgb => cssColorToRgb(style.getPropertyValue(name).trim() || fallback);
  const background = token('--or-bg', '#ffffff');
  const contour = token('--or-contour', '#9aa3b2');
  const text = token('--or-text', '#1d2129');
  return { background, low: mix(background, contour, 0.12), high: mix(contour, text, 0.15), line: token('--or-muted', '#5d6675') };
}
