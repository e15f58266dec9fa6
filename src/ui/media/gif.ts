/// <reference path="./gifenc.d.ts" />
/**
 * Frames to an animated GIF with gifenc (loaded by the export, never by the page). One global
 * palette: every racer's colour exactly, then the colours gifenc's quantizer picks from the last
 * frame (it holds every path or curve, the axes, text and their antialiasing).
 */
import { loadChunk } from '../../util/load-chunk';
import type { FrameSink } from './movie';

const hexRgb = (hex: string): [number, number, number] => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];

/** `canvas` holds the last frame now; each add() encodes what it holds then. `racerColors`: #rrggbb. */
export async function gifSink(racerColors: readonly string[], canvas: HTMLCanvasElement): Promise<FrameSink> {
  const { width, height } = canvas;
  const pixels = (): Uint8ClampedArray => canvas.getContext('2d', { willReadFrequently: true })!.getImageData(0, 0, width, height).data;
  const { GIFEncoder, quantize, applyPalette } = await loadChunk('the GIF encoder', () => import('gifenc'));
  const exact = [...new Set(racerColors.filter((c) => /^#[0-9a-f]{6}$/i.test(c)).map((c) => c.toLowerCase()))].map(hexRgb);
  const palette = [...exact, ...quantize(pixels(), 256 - exact.length)];
  const gif = GIFEncoder();
  let first = true;
  return {
    async add(_timestampMs, durationMs) {
      // The first frame writes the global palette; the others use it.
      gif.writeFrame(applyPalette(pixels(), palette), width, height, { palette: first ? palette : undefined, delay: durationMs });
      first = false;
    },
    async finish() {
      gif.finish();
      return new Blob([gif.bytes()], { type: 'image/gif' });
    },
    cancel() {},
  };
}
