/**
 * Frames to a WebM video: WebCodecs' VideoEncoder (VP9, else VP8) through mediabunny's muxer, both
 * loaded by the export, never by the page. mediabunny is the maintained successor of webm-muxer
 * (same author; webm-muxer is deprecated) and its WebM path tree-shakes to what is used here.
 */
import { loadChunk } from '../../util/load-chunk';
import type { FrameSink } from './movie';

export const kNoWebCodecs = 'This browser has no WebCodecs VideoEncoder, so it cannot write a WebM video. Export a GIF instead.';

/** The browser cannot encode the video (no VideoEncoder, or neither VP9 nor VP8 at this size): a GIF can stand in. */
export class NoVideoEncoderError extends Error {
  override name = 'NoVideoEncoderError';
}

/** `frameRate`: frames per second of the video (each frame lasts 1000 / frameRate ms, the last one longer). */
export async function webmSink(canvas: HTMLCanvasElement, frameRate: number): Promise<FrameSink> {
  if (typeof VideoEncoder === 'undefined') throw new NoVideoEncoderError(kNoWebCodecs);
  const { BufferTarget, CanvasSource, Output, QUALITY_HIGH, WebMOutputFormat, canEncodeVideo } = await loadChunk(
    'the WebM encoder',
    () => import('mediabunny'),
  );
  const size = { width: canvas.width, height: canvas.height };
  const codec = (await canEncodeVideo('vp9', size)) ? 'vp9' : (await canEncodeVideo('vp8', size)) ? 'vp8' : null;
  if (!codec) throw new NoVideoEncoderError(`This browser's VideoEncoder cannot encode VP9 or VP8 at ${size.width} × ${size.height}. Export a GIF instead.`);
  const target = new BufferTarget();
  const output = new Output({ format: new WebMOutputFormat(), target });
  const source = new CanvasSource(canvas, { codec, bitrate: QUALITY_HIGH });
  output.addVideoTrack(source, { frameRate });
  await output.start();
  return {
    async add(timestampMs, durationMs) {
      await source.add(timestampMs / 1000, durationMs / 1000);
    },
    async finish() {
      await output.finalize();
      if (!target.buffer) throw new Error('The WebM muxer wrote no bytes.');
      return new Blob([target.buffer], { type: 'video/webm' });
    },
    cancel() {
      void output.cancel();
    },
  };
}
