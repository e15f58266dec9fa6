/**
 * Vite plugin: compiles src/wasm/assembly/race-step.ts with the AssemblyScript compiler (npm
 * `assemblyscript`, its JS API) whenever something imports `virtual:race-wasm`, and exposes the
 * binaries as base64 text: one on a plain memory, one on a shared memory (threads), with the table
 * of optimizer rules (optimizer-rule-files.ts) the dispatch was generated from. So the app, the
 * library bundle, the CLI bundle and Vitest all get the module built from source, with no asset
 * path and no committed .wasm.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import asc from 'assemblyscript/asc';
import { cachedCompile, type CompileInputs } from './asc-cache.ts';
import type { Plugin } from 'vite';
import { dispatchSource, kDispatchSource, readOptimizerRules, type OptimizerRuleSignature } from './optimizer-rule-files.ts';

const kVirtualId = 'virtual:race-wasm';
const kResolvedId = `\0${kVirtualId}`;
const kAssemblyDir = 'src/wasm/assembly';
export const kEntrySource = `${kAssemblyDir}/race-step.ts`;
/** The shared module's declared maximum (4 GiB, wasm32's limit); the memory given to it may be smaller. */
const kMaxPages = 65536;
/** asc's DiagnosticCategory.Warning (Error is 3): pedantic and informative messages pass. */
const kWarning = 2;

export interface CompileOptions {
  /** The project root: sources are found from it, not from where Vite was started. */
  root?: string;
  /** Declare the memory shared (a module for the threads, which needs a SharedArrayBuffer). */
  shared?: boolean;
  /** Check only (`npm run typecheck:wasm`): compile and report, write no binary. */
  noEmit?: boolean;
  rules?: Record<string, OptimizerRuleSignature>;
  /**
   * Reuse a binary compiled before from the same sources, compiler and options (src/wasm/asc-cache.ts),
   * kept in this folder; the plugin passes its default, node_modules/.cache/race-wasm.
   */
  cacheDir?: string;
}

/** The plugin's compile cache, under the project root (see asc-cache.ts for what keys an entry). */
export const kCacheDir = 'node_modules/.cache/race-wasm';

/**
 * The compiled module (WebAssembly with SIMD and atomics, imported memory, no runtime); atomics on a
 * plain memory are valid too, so one source serves both. Any diagnostic, a warning included, fails.
 */
export async function compileRaceWasm(options: CompileOptions = {}): Promise<Uint8Array> {
  const { root = process.cwd(), shared = false, noEmit = false } = options;
  const dispatch = dispatchSource(options.rules ?? readOptimizerRules(root));
  const files: Record<string, Uint8Array | string> = {};
  const diagnostics: string[] = [];
  const args = [kEntrySource, '--baseDir', root, '--outFile', 'race.wasm', '--runtime', 'stub', '--importMemory', '--noAssert'];
  args.push('--enable', 'simd', '--enable', 'threads', noEmit ? '-O0' : '-O3');
  if (shared) args.push('--sharedMemory', '--maximumMemory', String(kMaxPages));
  if (noEmit) args.push('--noEmit');
  const compile = async (inputs: CompileInputs): Promise<Uint8Array> => {
    const { error, stderr } = await asc.main(args, {
      readFile(name: string, baseDir: string) {
        if (name === kDispatchSource) return dispatch;
        const path = resolve(baseDir, name);
        try {
          return inputs.read(path, readFileSync(path, 'utf8'));
        } catch {
          return inputs.read(path, null);
        }
      },
      writeFile(name: string, contents: Uint8Array | string) {
        files[name] = contents;
      },
      reportDiagnostic(d) {
        if (d.category >= kWarning) diagnostics.push(d.message);
      },
    });
    if (error || diagnostics.length > 0) {
      throw new Error(`AssemblyScript could not compile ${kEntrySource} cleanly (${error?.message ?? diagnostics.join('; ')}):\n${stderr.toString()}`);
    }
    if (noEmit) return new Uint8Array();
    const binary = files['race.wasm'];
    if (!(binary instanceof Uint8Array)) throw new Error(`AssemblyScript wrote no binary for ${kEntrySource}`);
    return binary;
  };
  if (noEmit || !options.cacheDir) return compile({ read: (_path, text) => text });
  return cachedCompile(resolve(root, options.cacheDir), [asc.version, ...args, dispatch], compile);
}

export function raceWasmPlugin(): Plugin {
  let root = process.cwd();
  return {
    name: 'race-wasm',
    configResolved(config) {
      root = config.root;
    },
    resolveId: (id) => (id === kVirtualId ? kResolvedId : undefined),
    async load(id) {
      if (id !== kResolvedId) return undefined;
      // Absolute paths: a relative one reads as an import of the virtual module in the dev server.
      const dir = resolve(root, kAssemblyDir);
      for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
        if (file.endsWith('.ts')) this.addWatchFile(resolve(dir, file));
      }
      const rules = readOptimizerRules(root);
      const [plain, shared] = await Promise.all(
        [false, true].map(async (s) => Buffer.from(await compileRaceWasm({ root, shared: s, rules, cacheDir: kCacheDir })).toString('base64')),
      );
      return [
        `export const plain = ${JSON.stringify(plain)};`,
        `export const shared = ${JSON.stringify(shared)};`,
        `export const optimizerRules = ${JSON.stringify(rules)};`,
      ].join('\n');
    },
  };
}
