/**
 * The 2D race as files: the figure as shown (PNG at the screen's pixel ratio, or SVG) and the race
 * unfolding step by step (animated GIF or WebM). Each animation frame is ./figure.ts's drawing of
 * step k, rasterized; step k is held for `framesPerStep` frames of kFrameMs, the last one kHoldMs.
 * So a race of S steps gives S × framesPerStep frames, no others.
 */
import { optimizerSpec } from '../../../optim/registry';
import { drawFigure, type FigureSource } from './figure';
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

/** Where encoded frames go: gifenc (./gif.ts) or WebCodecs + mediabunny (./webm.ts). */
export interface FrameSink {
  add(canvas: HTMLCanvasElement, timestampMs: number, durationMs: number): Promise<void>;
  finish(): Promise<Blob>;
  cancel(): void;
}

function sourceOf(get: () => SourceOrReason): FigureSource {
  const source = get();
  if (typeof source === 'string') throw new Error(source);
  // A race rerun during a long export must not change its later frames.
  const results = source.plots.results();
  const racers = source.plots.racers();
  if (results.length === 0) throw new Error('Nothing to export yet: no racer has a path (include one and let the race finish).');
  return { ...source, plots: { ...source.plots, results: () => results, racers: () => racers, result: (o) => results.find((r) => r.optimizer === o) } };
}

export async function exportImage(get: () => SourceOrReason, format: ImageFormat): Promise<Blob> {
  if (format !== 'png' && format !== 'svg') throw new Error(`exportImage: format must be 'png' or 'svg', got ${String(format)}.`);
  const source = sourceOf(get);
  const figure = drawFigure(source, source.plots.revealed());
  if (format === 'svg') return new Blob([figure.text], { type: 'image/svg+xml' });
  return canvasBlob(await rasterize(figure, figure.width * (globalThis.devicePixelRatio || 1)), 'image/png');
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
  const { signal, onProgress } = options;
  signal?.throwIfAborted();
  const source = sourceOf(get);
  const steps = Math.max(...source.plots.results().map((r) => r.path.length - 1));
  if (steps < 1) throw new Error('Nothing to animate: the race has no steps.');
  const even = format === 'webm';
  const canvas = await rasterize(drawFigure(source, steps), width, undefined, even);
  const colors = source.plots
    .racers()
    .filter((r) => r.included && source.plots.result(r.optimizer))
    .map((r) => optimizerSpec(r.optimizer).color);
  const sink = format === 'gif' ? await (await import('./gif')).gifSink(colors, canvas) : await (await import('./webm')).webmSink(canvas, 1000 / kFrameMs);
  const frames = steps * framesPerStep;
  try {
    for (let step = 1; step <= steps; step++) {
      signal?.throwIfAborted();
      await rasterize(drawFigure(source, step), width, canvas, even);
      for (let f = 0; f < framesPerStep; f++) {
        const i = (step - 1) * framesPerStep + f;
        signal?.throwIfAborted();
        await sink.add(canvas, i * kFrameMs, i === frames - 1 ? kHoldMs : kFrameMs);
        onProgress?.(i + 1, frames);
      }
    }
    signal?.throwIfAborted();
    return await sink.finish();
  } catch (error) {
    sink.cancel();
    throw error;
  }
}
