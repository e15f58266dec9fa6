/**
 * A Vitest browser command (runs in Node, registered in vite.config.ts): Debian's ffprobe (package
 * ffmpeg, installed by .ci/install-system) reads a video the browser test made and says its codec,
 * size and the frames it decoded. Without ffprobe it answers null, except under CI=true, where it
 * throws: there the check must run.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { BrowserCommand } from 'vitest/node';

export interface ProbedVideo {
  codec: string;
  width: number;
  height: number;
  frames: number;
}

export const ffprobe: BrowserCommand<[base64: string]> = async (_context, base64): Promise<ProbedVideo | null> => {
  const dir = await mkdtemp(join(tmpdir(), 'ffprobe-'));
  try {
    const file = join(dir, 'video.webm');
    await writeFile(file, Buffer.from(base64, 'base64'));
    const args = [
      '-v',
      'error',
      '-select_streams',
      'v:0',
      '-count_frames',
      '-show_entries',
      'stream=codec_name,width,height,nb_read_frames',
      '-of',
      'json',
      file,
    ];
    let stdout: string;
    try {
      ({ stdout } = await promisify(execFile)('ffprobe', args));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      if (process.env.CI === 'true') throw new Error("ffprobe is missing: install Debian's ffmpeg (.ci/install-system does)");
      console.warn('ffprobe is missing: the WebM files are checked by the EBML reader only (install ffmpeg to check them with ffprobe too)');
      return null;
    }
    const [stream] = JSON.parse(stdout).streams;
    return { codec: stream.codec_name, width: stream.width, height: stream.height, frames: Number(stream.nb_read_frames) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};
