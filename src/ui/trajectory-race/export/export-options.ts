/**
 * What the 2D race's exports take (the element's API and its Export control), apart from the code
 * that draws and encodes (./exporter.ts and the encoders, loaded when an export starts).
 */
import type { FigureSource } from './figure';

export type ImageFormat = 'png' | 'svg';
export type AnimationFormat = 'gif' | 'webm';

export interface AnimationOptions {
  /** Frames each step is held (1 to 10; default 2: 12.5 steps a second). */
  framesPerStep?: number;
  /** Width in pixels (64 to 2048; default 720); the height keeps the figure's aspect. WebM rounds both to even. */
  width?: number;
  /** Aborting stops the encoding: the promise rejects with the signal's reason and no file is made. */
  signal?: AbortSignal;
  /** Where WebM cannot be encoded (no WebCodecs VideoEncoder, or neither VP9 nor VP8): write a GIF instead of failing (the Blob's type says which). */
  gifFallback?: boolean;
  /** Called after each frame is encoded. */
  onProgress?: (done: number, total: number) => void;
}

export const kAnimationDefaults = { framesPerStep: 2, width: 720 } as const;
export const kAnimationLimits = { framesPerStep: { min: 1, max: 10 }, width: { min: 64, max: 2048 } } as const;
/** 25 frames a second. */
export const kFrameMs = 40;
/** The finished race stays on screen a second before the GIF loops. */
export const kHoldMs = 1000;

/** The race as it stands, or the reason there is nothing to draw yet. */
export type SourceOrReason = FigureSource | string;
