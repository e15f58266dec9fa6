/**
 * The AssemblyScript compile cache (src/wasm/asc-cache.ts): a hit is byte for byte a fresh compile,
 * and an entry whose sources, or whose own files, changed is compiled again.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CompileInputs, cachedCompile } from '../src/wasm/asc-cache';
import { compileRaceWasm } from '../src/wasm/asc-plugin';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'race-wasm-cache-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the asc compile cache', () => {
  // The miss returns what asc wrote (the compile runs through the cache's read hook only); the hit is read from disk.
  it('gives the fresh compile, byte for byte, on a hit', async () => {
    const fresh = await compileRaceWasm({ cacheDir: dir });
    expect(readdirSync(dir).sort()).toEqual([expect.stringMatching(/\.json$/), expect.stringMatching(/\.wasm$/)]);
    const hit = await compileRaceWasm({ cacheDir: dir });
    expect(WebAssembly.validate(new Uint8Array(fresh))).toBe(true);
    expect(Buffer.from(hit).equals(Buffer.from(fresh))).toBe(true);
  }, 120_000);

  /** A stand-in compiler that reads one source, looks for another, and counts its runs: the cache's rules without asc's seconds. */
  function countingCompile(source: string, missing: string) {
    const counter = { runs: 0 };
    const readOrNull = (path: string): string | null => (existsSync(path) ? readFileSync(path, 'utf8') : null);
    const compile = async (inputs: CompileInputs): Promise<Uint8Array> => {
      counter.runs++;
      const text = inputs.read(source, readOrNull(source));
      inputs.read(missing, readOrNull(missing));
      return new TextEncoder().encode(`binary of ${text}`);
    };
    const run = async (key = 'key') => new TextDecoder().decode(await cachedCompile(join(dir, 'cache'), [key], compile));
    return { counter, run };
  }

  it('compiles again when a source read, or a file looked for and missing, changes', async () => {
    const source = join(dir, 'a.ts');
    const missing = join(dir, 'b.ts');
    writeFileSync(source, 'one');
    const { counter, run } = countingCompile(source, missing);
    expect([await run(), await run(), counter.runs]).toEqual(['binary of one', 'binary of one', 1]);
    writeFileSync(source, 'two');
    expect([await run(), counter.runs]).toEqual(['binary of two', 2]);
    writeFileSync(missing, 'now here');
    expect([await run(), await run(), counter.runs]).toEqual(['binary of two', 'binary of two', 3]);
    expect([await run('other options'), counter.runs]).toEqual(['binary of two', 4]);
  });

  it('compiles again when the stored binary or its manifest is damaged', async () => {
    const source = join(dir, 'a.ts');
    writeFileSync(source, 'one');
    const { counter, run } = countingCompile(source, join(dir, 'b.ts'));
    await run();
    const entry = (ext: string) => join(dir, 'cache', readdirSync(join(dir, 'cache')).find((f) => f.endsWith(ext)) ?? '');
    writeFileSync(entry('.wasm'), 'binary of tampered');
    expect([await run(), counter.runs]).toEqual(['binary of one', 2]);
    writeFileSync(entry('.json'), '{ not json');
    expect([await run(), counter.runs]).toEqual(['binary of one', 3]);
    expect([await run(), counter.runs]).toEqual(['binary of one', 3]);
  });
});
