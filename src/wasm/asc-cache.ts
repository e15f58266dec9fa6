/**
 * Build time (Node): a disk cache for asc-plugin.ts's compiles, so each Vite build and each test file
 * after the first reuses the binary instead of running asc again (seconds per memory).
 *
 * An entry is found by a hash of what is known before compiling (the compiler's version, its
 * arguments, the generated dispatch source) and is valid only while every file the compiler read
 * still has the content it had (a file it looked for and did not find must still be missing) and
 * the binary still has the hash it was written with. Anything else, a corrupt or unreadable entry
 * included, compiles afresh and rewrites the entry, so a hit is byte for byte what a compile gives.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Given to a compile: it passes every source read (null when the file is missing) through `read`. */
export interface CompileInputs {
  read(path: string, text: string | null): string | null;
}

interface Manifest {
  /** Every path the compiler asked for, with the sha256 of its text, or null where it found none. */
  inputs: Record<string, string | null>;
  /** sha256 of the binary. */
  binary: string;
}

const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

function readValid(manifestPath: string, binaryPath: string): Uint8Array | undefined {
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    for (const [path, hash] of Object.entries(manifest.inputs)) {
      let text: string | null = null;
      try {
        text = readFileSync(path, 'utf8');
      } catch {}
      if ((text === null ? null : sha256(text)) !== hash) return undefined;
    }
    const binary = new Uint8Array(readFileSync(binaryPath));
    return sha256(binary) === manifest.binary ? binary : undefined;
  } catch {
    return undefined;
  }
}

/** Writes beside and renames, so a concurrent reader sees the old file or the new, never half of one. */
function writeAtomically(path: string, data: string | Uint8Array): void {
  const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temporary, data);
  renameSync(temporary, path);
}

/**
 * The binary `compile` gives for `key` (the compile's arguments, each a string), from `dir` when a
 * valid entry is there, else compiled and stored. The binary is written before its manifest, and the
 * manifest holds the binary's hash, so a reader between the two writes misses rather than mismatches.
 */
export async function cachedCompile(dir: string, key: readonly string[], compile: (inputs: CompileInputs) => Promise<Uint8Array>): Promise<Uint8Array> {
  const name = sha256(JSON.stringify(key));
  const manifestPath = join(dir, `${name}.json`);
  const binaryPath = join(dir, `${name}.wasm`);
  const hit = readValid(manifestPath, binaryPath);
  if (hit) return hit;
  const inputs: Record<string, string | null> = {};
  const binary = await compile({
    read(path, text) {
      inputs[path] = text === null ? null : sha256(text);
      return text;
    },
  });
  try {
    mkdirSync(dir, { recursive: true });
    writeAtomically(binaryPath, binary);
    writeAtomically(manifestPath, JSON.stringify({ inputs, binary: sha256(binary) } satisfies Manifest));
  } catch {
    // A cache that cannot be written only costs the next compile its time.
  }
  return binary;
}
