/**
 * The code an export or a weights action loads when it starts (an encoder, a reader, a writer: a
 * chunk of its own in the builds, fetched by a dynamic import). Where the chunk cannot be fetched
 * (offline, a server without it) the import's own error ("Failed to fetch dynamically imported
 * module: https://…/assets/gif-3f2a.js") is no message for a reader: loadChunk turns it into one
 * line that names what could not be loaded, which the UI shows as it is (chunkFailureText) and the
 * elements' API methods reject with. Nothing is kept: the next try imports again.
 */
import { errorMessage } from './error-message';

export class ChunkLoadError extends Error {
  override name = 'ChunkLoadError';
}

/** How a chunk is fetched: its import. A test puts a failing fetch here, as a lost connection would be. */
export const chunkFetch = {
  load<T>(_what: string, importer: () => Promise<T>): Promise<T> {
    return importer();
  },
};

/** `importer()`, or a ChunkLoadError naming `what` (e.g. "the GIF encoder") and why. */
export async function loadChunk<T>(what: string, importer: () => Promise<T>): Promise<T> {
  try {
    return await chunkFetch.load(what, importer);
  } catch (error) {
    throw new ChunkLoadError(`Could not load ${what}: ${errorMessage(error).replace(/\.$/, '')}. Check the connection and try again.`, { cause: error });
  }
}

/** The line a failure shows: a chunk's own message as it is, any other error after `prefix` ("Could not save weights"). */
export function chunkFailureText(prefix: string, error: unknown): string {
  return error instanceof ChunkLoadError ? error.message : `${prefix}: ${errorMessage(error)}`;
}
