/**
 * Frames drawn on one canvas to an animated GIF (./gif.ts, gifenc) or a WebM video (./webm.ts,
 * WebCodecs + mediabunny), with progress and cancel. Where the browser cannot encode the video and
 * the caller allows it, a GIF is written instead (the Blob's type says which: video/webm or image/gif).
 */
import { loadChunk } from '../../util/load-chunk';

export type MovieFormat = 'gif' | 'webm';

/** Where encoded frames go: each add() takes what the canvas holds at that moment. */
export interface FrameSink {
  add(timestampMs: number, durationMs: number): Promise<void>;
  finish(): Promise<Blob>;
  cancel(): void;
}

export interface MovieJob {
  format: MovieFormat;
  /** A GIF where WebM cannot be encoded (no WebCodecs VideoEncoder, or neither VP9 nor VP8). */
  gifFallback?: boolean;
  /** Every frame is drawn here at the movie's size (the last frame first: GIF's palette is quantized from it). */
  canvas: HTMLCanvasElement;
  /** #rrggbb colours the GIF's palette holds exactly. */
  colors: readonly string[];
  frames: number;
  frameMs: number;
  /** How long the last frame stays. */
  lastFrameMs: number;
  /** Draws frame i (0-based) on the canvas. */
  draw(i: number): Promise<void>;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

async function openSink(job: MovieJob): Promise<FrameSink> {
  if (job.format === 'webm') {
    const { webmSink, NoVideoEncoderError } = await loadChunk('the WebM encoder', () => import('./webm'));
    try {
      return await webmSink(job.canvas, 1000 / job.frameMs);
    } catch (error) {
      if (!(job.gifFallback && error instanceof NoVideoEncoderError)) throw error;
    }
  }
  return (await loadChunk('the GIF encoder', () => import('./gif'))).gifSink(job.colors, job.canvas);
}

export async function encodeMovie(job: MovieJob): Promise<Blob> {
  const { frames, frameMs, signal, onProgress } = job;
  signal?.throwIfAborted();
  await job.draw(frames - 1);
  const sink = await openSink(job);
  try {
    for (let i = 0; i < frames; i++) {
      signal?.throwIfAborted();
      await job.draw(i);
      signal?.throwIfAborted();
      await sink.add(i * frameMs, i === frames - 1 ? job.lastFrameMs : frameMs);
      onProgress?.(i + 1, frames);
    }
    signal?.throwIfAborted();
    return await sink.finish();
  } catch (error) {
    sink.cancel();
    throw error;
  }
}
