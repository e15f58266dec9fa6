/**
 * The 2D race as files: the figure as shown (PNG at the screen's pixel ratio, or SVG) and the race
 * unfolding step by step (animated GIF or WebM, ../../media/movie.ts). Each animation frame is
 * ./figure.ts's drawing of step k, rasterized; step k is held for `framesPerStep` frames of
 * kFrameMs, the last one kHoldMs. So a race of S steps gives S × framesPerStep frames, no others.
 * With the 3D view on, the surface is painted into its slot in every frame, seen from the view's
 * camera turned by one full turn over the animation (frame i: yaw + 2π·i / frames), by the view's
 * own `snapshot()` (so its code stays in the 3D view's chunk).
 */
import { optimizerSpec } from '../../../optim/registry';
import type { Camera } from '../../../race2d/surface/camera';
import { encodeMovie } from '../../media/movie';
import { drawFigure, type Figure, type FigureSource } from './figure';
import { canvasBlob, rasterize } from './raster';
import {
  kAnimationDefaults,
  kAnimationLimits,
  kFrameMs,
  kHoldMs,
  type AnimationFormat,
  type AnimationOptions,
  type ImageFormat,
  type SourceOrReason,
} from './export-options';

function sourceOf(get: () => SourceOrReason): FigureSource {
  const source = get();
  if (typeof source === 'string') throw new Error(source);
  // A race rerun during a long export must not change its later frames.
  const results = source.plots.results();
  const racers = source.plots.racers();
  if (results.length === 0) throw new Error('Nothing to export yet: no racer has a path (include one and let the race finish).');
  return { ...source, plots: { ...source.plots, results: () => results, racers: () => racers, result: (o) => results.find((r) => r.optimizer === o) } };
}

/** The 3D view painted into its slot of `canvas` (which holds `figure` rasterized). */
function paintSurfaceSlot(
  canvas: HTMLCanvasElement,
  figure: Figure,
  source: FigureSource,
  step: number | null,
  camera: Camera,
  scratch?: HTMLCanvasElement,
): void {
  const slot = figure.surface;
  if (!slot || !source.surface) return;
  const scale = canvas.width / figure.width;
  const [x, y, width, height] = [slot.x, slot.y, slot.width, slot.height].map((v) => Math.round(v * scale));
  const picture = source.surface.snapshot({ width, height, ratio: scale }, step, camera, scratch);
  if (picture) canvas.getContext('2d')!.drawImage(picture, x, y);
}

export async function exportImage(get: () => SourceOrReason, format: ImageFormat): Promise<Blob> {
  if (format !== 'png' && format !== 'svg') throw new Error(`exportImage: format must be 'png' or 'svg', got ${String(format)}.`);
  const source = sourceOf(get);
  const step = source.plots.revealed();
  const camera = source.surface?.camera;
  let figure = drawFigure(source, step);
  if (format === 'svg') {
    const slot = figure.surface;
    if (slot && source.surface && camera) {
      // The 3D view as a PNG inside the SVG, at twice its size: it is a picture of pixels, not vectors.
      const size = { width: Math.round(slot.width * 2), height: Math.round(slot.height * 2), ratio: 2 };
      const picture = source.surface.snapshot(size, step, camera);
      if (picture) figure = drawFigure(source, step, picture.toDataURL('image/png'));
    }
    return new Blob([figure.text], { type: 'image/svg+xml' });
  }
  const canvas = await rasterize(figure, figure.width * (globalThis.devicePixelRatio || 1));
  if (camera) paintSurfaceSlot(canvas, figure, source, step, camera);
  return canvasBlob(canvas, 'image/png');
}

function checkedInteger(name: keyof typeof kAnimationLimits, value: number): number {
  const { min, max } = kAnimationLimits[name];
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, got ${value}.`);
  return value;
}

export async function exportAnimation(get: () => SourceOrReason, format: AnimationFormat, options: AnimationOptions = {}): Promise<Blob> {
  if (format !== 'gif' && format !== 'webm') throw new Error(`exportAnimation: format must be 'gif' or 'webm', got ${String(format)}.`);
  const framesPerStep = checkedInteger('framesPerStep', options.framesPerStep ?? kAnimationDefaults.framesPerStep);
  const width = checkedInteger('width', options.width ?? kAnimationDefaults.width);
  options.signal?.throwIfAborted();
  const source = sourceOf(get);
  const steps = Math.max(...source.plots.results().map((r) => r.path.length - 1));
  if (steps < 1) throw new Error('Nothing to animate: the race has no steps.');
  const even = format === 'webm';
  const frames = steps * framesPerStep;
  const canvas = document.createElement('canvas');
  const scratch = document.createElement('canvas');
  const camera = source.surface ? { ...source.surface.camera } : null;
  let shown: { step: number; figure: Figure } | null = null;
  const draw = async (i: number): Promise<void> => {
    const step = Math.floor(i / framesPerStep) + 1;
    // The contour figure changes once a step; the 3D view turns every frame.
    if (shown?.step === step && !camera) return;
    if (shown?.step !== step) shown = { step, figure: drawFigure(source, step) };
    await rasterize(shown.figure, width, canvas, even);
    if (camera) paintSurfaceSlot(canvas, shown.figure, source, step, { ...camera, yaw: camera.yaw + (2 * Math.PI * i) / frames }, scratch);
  };
  const colors = source.plots
    .racers()
    .filter((r) => r.included && source.plots.result(r.optimizer))
    .map((r) => optimizerSpec(r.optimizer).color);
  return encodeMovie({ ...options, format, canvas, colors, frames, frameMs: kFrameMs, lastFrameMs: kHoldMs, draw });
}
