/**
 * The 3D view on a 2D canvas, when WebGPU is unavailable: the same mesh, camera and colours as
 * the WebGPU renderer (src/race2d/surface/surface-renderer.ts), drawn by the painter's
 * algorithm. Every triangle and path segment is projected with camera.ts, sorted far to near and
 * filled; a triangle is cut into its contour bands (as the fragment shader colours them) and its
 * level lines are stroked, so both renderers draw the same picture.
 */
import { cross, normalize, project, type Mat4, type Vec3 } from '../../../race2d/surface/camera';
import type { SurfaceMesh } from '../../../race2d/surface/surface-mesh';
import type { PathStrips } from '../../../race2d/surface/surface-renderer';
import { bandColor, shadeFor, type Rgb, type SurfaceColors } from '../../../race2d/surface/surface-shading';

export const cssRgb = ([r, g, b]: Rgb): string => `rgb(${Math.round(r * 255)} ${Math.round(g * 255)} ${Math.round(b * 255)})`;

/** A triangle's corner on the screen with its level position. */
type Corner = { x: number; y: number; level: number };

/** Sutherland-Hodgman against one half-plane of the (linear) level position: keep sign * (level - bound) >= 0. */
function clipByLevel(polygon: Corner[], bound: number, sign: 1 | -1): Corner[] {
  const out: Corner[] = [];
  for (let k = 0; k < polygon.length; k++) {
    const a = polygon[k];
    const b = polygon[(k + 1) % polygon.length];
    const da = sign * (a.level - bound);
    const db = sign * (b.level - bound);
    if (da >= 0) out.push(a);
    if (da >= 0 !== db >= 0) {
      const t = da / (da - db);
      out.push({ x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t, level: bound });
    }
  }
  return out;
}

/** Where the level position equals `level` across the triangle: a segment, or null. */
function levelSegment(corners: Corner[], level: number): [Corner, Corner] | null {
  const points: Corner[] = [];
  for (let k = 0; k < 3; k++) {
    const a = corners[k];
    const b = corners[(k + 1) % 3];
    if (a.level === b.level) continue;
    const t = (level - a.level) / (b.level - a.level);
    if (t >= 0 && t < 1) points.push({ x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t, level });
  }
  return points.length >= 2 ? [points[0], points[1]] : null;
}

export interface CanvasScene {
  mesh: SurfaceMesh;
  paths: readonly PathStrips[];
  colors: SurfaceColors;
  viewProj: Mat4;
  /** Canvas pixels. */
  width: number;
  height: number;
  pathWidth: number;
  /** Level line width in canvas pixels. */
  lineWidth: number;
}

/** Paints the surface and the paths over the background. */
export function paintSurface(ctx: CanvasRenderingContext2D, scene: CanvasScene): void {
  const { mesh, paths, colors, viewProj, width, height } = scene;
  const { vertices, indices, levelCount } = mesh;
  const count = vertices.length / 4;
  const sx = new Float32Array(count);
  const sy = new Float32Array(count);
  const depth = new Float32Array(count);
  for (let k = 0; k < count; k++) {
    const p = project(viewProj, [vertices[k * 4], vertices[k * 4 + 1], vertices[k * 4 + 2]], width, height);
    sx[k] = p.x;
    sy[k] = p.y;
    depth[k] = p.depth;
  }
  // Items: triangles (index t >= 0) and path segments (encoded as -1 - s), each with its mean depth.
  const segments: { a: Vec3; b: Vec3; color: string }[] = [];
  for (const path of paths)
    for (const strip of path.strips) for (let i = 1; i < strip.length; i++) segments.push({ a: strip[i - 1], b: strip[i], color: cssRgb(path.color) });
  const triangles = indices.length / 3;
  const order: number[] = [];
  const itemDepth = new Float32Array(triangles + segments.length);
  for (let t = 0; t < triangles; t++) {
    itemDepth[t] = (depth[indices[3 * t]] + depth[indices[3 * t + 1]] + depth[indices[3 * t + 2]]) / 3;
    order.push(t);
  }
  const projected = segments.map(({ a, b }) => [project(viewProj, a, width, height), project(viewProj, b, width, height)]);
  projected.forEach(([a, b], s) => {
    itemDepth[triangles + s] = (a.depth + b.depth) / 2;
    order.push(triangles + s);
  });
  order.sort((i, j) => itemDepth[j] - itemDepth[i]);

  ctx.fillStyle = cssRgb(colors.background);
  ctx.fillRect(0, 0, width, height);
  ctx.lineJoin = 'round';
  ctx.lineCap = 'round';
  const line = cssRgb(colors.line);
  const position = (k: number): Vec3 => [vertices[k * 4], vertices[k * 4 + 1], vertices[k * 4 + 2]];
  for (const item of order) {
    if (item >= triangles) {
      const [a, b] = projected[item - triangles];
      ctx.strokeStyle = segments[item - triangles].color;
      ctx.lineWidth = scene.pathWidth;
      ctx.beginPath();
      ctx.moveTo(a.x, a.y);
      ctx.lineTo(b.x, b.y);
      ctx.stroke();
      continue;
    }
    const ids = [indices[3 * item], indices[3 * item + 1], indices[3 * item + 2]];
    const [p0, p1, p2] = ids.map(position);
    const shade = shadeFor(normalize(cross([p1[0] - p0[0], p1[1] - p0[1], p1[2] - p0[2]], [p2[0] - p0[0], p2[1] - p0[1], p2[2] - p0[2]])));
    const corners: Corner[] = ids.map((k) => ({ x: sx[k], y: sy[k], level: vertices[k * 4 + 3] }));
    const levels = corners.map((c) => c.level);
    const lowBand = Math.min(levelCount, Math.max(0, Math.floor(Math.min(...levels)) + 1));
    const highBand = Math.min(levelCount, Math.max(0, Math.floor(Math.max(...levels)) + 1));
    for (let band = lowBand; band <= highBand; band++) {
      let piece = corners;
      if (band > lowBand) piece = clipByLevel(piece, band - 1, 1);
      if (band < highBand) piece = clipByLevel(piece, band, -1);
      if (piece.length < 3) continue;
      const fill = cssRgb(bandColor(band, levelCount, colors, shade));
      ctx.fillStyle = fill;
      // The same colour stroked half a pixel out hides the anti-aliasing seams between triangles.
      ctx.strokeStyle = fill;
      ctx.lineWidth = 0.75;
      ctx.beginPath();
      piece.forEach((c, k) => (k ? ctx.lineTo(c.x, c.y) : ctx.moveTo(c.x, c.y)));
      ctx.closePath();
      ctx.fill();
      ctx.stroke();
    }
    ctx.strokeStyle = line;
    ctx.lineWidth = scene.lineWidth;
    for (let level = Math.max(0, Math.ceil(Math.min(...levels))); level <= Math.min(levelCount - 1, Math.floor(Math.max(...levels))); level++) {
      const segment = levelSegment(corners, level);
      if (!segment) continue;
      ctx.beginPath();
      ctx.moveTo(segment[0].x, segment[0].y);
      ctx.lineTo(segment[1].x, segment[1].y);
      ctx.stroke();
    }
  }
}
