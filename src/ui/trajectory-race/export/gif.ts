/// <reference path="./gifenc.d.ts" />
/**
 * Frames to an animated GIF with gifenc (loaded by the export, never by the page). One global
 * palette: every racer's colour exactly, then the colours gifenc's quantizer picks from the last
 * frame (it holds every path, the contours, text and its antialiasing).
 */
import type { FrameSink } from './exporter';

const hexRgb = (hex: string): [number, number, number] => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];

export async function gifSink(racerColors: readonly string[], last: HTMLCanvasElement): Promise<FrameSink> {
  const { width, height } = last;
  const lastFrame = last.getContext('2d', { willReadFrequently: true })!.getImageData(0, 0, width, height).data;
  const { GIFEncoder, quantize, applyPalette } = await import('gifenc');
  const exact = [...new Set(racerColors.map((c) => c.toLowerCase()))].map(hexRgb);
  const palette = [...exact, ...quantize(lastFrame, 256 - exact.length)];
  const gif = GIFEncoder();
  let first = true;
  return {
    async add(canvas, _timestampMs, durationMs) {
      const rgba = canvas.getContext('2d', { willReadFrequently: true })!.getImageData(0, 0, width, height).data;
      // The first frame writes the global palette; the others use it.
      gif.writeFrame(applyPalette(rgba, palette), width, height, { palette: first ? palette : undefined, delay: durationMs });
      first = false;
    },
    async finish() {
      gif.finish();
      return new Blob([gif.bytes()], { type: 'image/gif' });
    },
    cancel() {},
  };
}
