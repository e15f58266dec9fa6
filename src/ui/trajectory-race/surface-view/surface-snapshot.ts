/**
 * The 3D view as a picture at any camera and step, for the 2D race's exports (../export/): the
 * same mesh, lifted paths, colours and overlay as <surface-view> draws, painted on a new 2D canvas
 * by ./canvas-painter.ts (so an export does not depend on the WebGPU device or disturb the view).
 */
import { kSceneHeight, project, viewProjection, type Camera, type Mat4 } from '../../../race2d/surface/camera';
import type { SurfaceMesh } from '../../../race2d/surface/surface-mesh';
import type { SurfaceColors } from '../../../race2d/surface/surface-shading';
import { drawMarker } from '../../markers';
import { parseViewBox } from '../view-box';
import { cssRgb, paintSurface } from './canvas-painter';
import { cssColorToRgb, liftPaths, surfaceMesh, themeColors, type SurfaceHead } from './surface-scene';
import type { SurfaceView } from './surface-view.component';

/** Path and level line widths and marker radius, in CSS pixels (the view's own). */
export const kPathWidth = 2.5;
export const kLevelLineWidth = 1;
const kMarkerRadius = 4;

/** Markers at each racer's current point and the axis names, over either renderer's picture. */
export function paintOverlay(
  ctx: CanvasRenderingContext2D,
  heads: readonly SurfaceHead[],
  mesh: SurfaceMesh | null,
  scene: { colors: SurfaceColors; viewProj: Mat4; width: number; height: number; ratio: number },
): void {
  const { colors, viewProj, width, height, ratio } = scene;
  const outline = cssRgb(colors.background);
  for (const head of heads) {
    const p = project(viewProj, head.at, width, height);
    drawMarker(ctx, head.marker, p.x, p.y, kMarkerRadius * ratio, head.color, outline, ratio);
  }
  const frame = mesh?.frame;
  if (!frame) return;
  const [ex, ey] = [(frame.view.x[1] - frame.view.x[0]) * frame.scale * 0.5, (frame.view.y[1] - frame.view.y[0]) * frame.scale * 0.5];
  ctx.fillStyle = cssRgb(colors.line);
  ctx.font = `${12 * ratio}px system-ui, sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  const floor = -kSceneHeight / 2;
  for (const [text, at] of [
    ['x', [ex + 0.15, -ey, floor]],
    ['y', [-ex, ey + 0.15, floor]],
  ] as const) {
    const p = project(viewProj, [at[0], at[1], at[2]], width, height);
    ctx.fillText(text, p.x, p.y);
  }
}

/**
 * `view` at `width` × `height` device pixels (`ratio` = device pixels per CSS pixel), on its
 * background, with the paths up to `step` (null: whole) seen from `camera`; null without a function.
 */
export function surfaceSnapshot(
  view: SurfaceView,
  size: { width: number; height: number; ratio: number },
  step: number | null,
  camera: Camera,
  canvas = document.createElement('canvas'),
): HTMLCanvasElement | null {
  const fn = view.fn;
  if (!fn) return null;
  const box = view.viewBox ? parseViewBox(view.viewBox).view : undefined;
  const mesh = surfaceMesh(fn, box ?? fn.view, view.heightScale);
  const { strips, heads } = liftPaths(fn, mesh, view.paths, step, cssColorToRgb);
  const { width, height, ratio } = size;
  if (canvas.width !== width || canvas.height !== height) [canvas.width, canvas.height] = [width, height];
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('This browser has no 2D canvas to draw the 3D view on.');
  const colors = themeColors(view);
  const viewProj = viewProjection(camera, width / height);
  ctx.fillStyle = cssRgb(colors.background);
  ctx.fillRect(0, 0, width, height);
  paintSurface(ctx, { mesh, paths: strips, colors, viewProj, width, height, pathWidth: kPathWidth * ratio, lineWidth: kLevelLineWidth * ratio });
  paintOverlay(ctx, heads, mesh, { colors, viewProj, width, height, ratio });
  return canvas;
}
