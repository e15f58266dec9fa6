/**
 * Vite plugin: compiles src/wasm/assembly/race-step.ts with the AssemblyScript compiler (npm
 * `assemblyscript`, its JS API) whenever something imports `virtual:race-wasm`, and exposes the
 * binaries as base64 text: one on a plain memory, one on a shared memory (threads). So the app, the library bundle, the CLI bundle and Vitest all get the
 * kernels built from source, with no asset path and no committed .wasm.
 */
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import asc from 'assemblyscript/asc';
import type { Plugin } from 'vite';

const kVirtualId = 'virtual:race-wasm';
const kResolvedId = `\0${kVirtualId}`;
const kKernelDir = 'src/wasm/assembly';
export const kKernelSource = `${kKernelDir}/race-step.ts`;
/** The shared module's declared maximum (4 GiB, wasm32's limit); the memory given to it may be smaller. */
const kMaxPages = 65536;

/**
 * The compiled kernels (WebAssembly with SIMD and atomics, imported memory, no runtime). `shared`
 * declares the memory shared (a module for the threads, which needs a SharedArrayBuffer); atomics
 * on a plain memory are valid too, so one source serves both.
 */
export async function compileKernels(source = kKernelSource, root = process.cwd(), shared = false): Promise<Uint8Array> {
  const files: Record<string, Uint8Array | string> = {};
  // Sources are found from the project root (the Vite config's), not from where Vite was started.
  const args = [source, '--baseDir', root, '--outFile', 'kernels.wasm', '-O3', '--runtime', 'stub', '--importMemory', '--noAssert'];
  args.push('--enable', 'simd', '--enable', 'threads');
  if (shared) args.push('--sharedMemory', '--maximumMemory', String(kMaxPages));
  const { error, stderr } = await asc.main(args, {
    writeFile(name: string, contents: Uint8Array | string) {
      files[name] = contents;
    },
  });
  if (error) throw new Error(`AssemblyScript could not compile ${source}: ${error.message}\n${stderr.toString()}`);
  const binary = files['kernels.wasm'];
  if (!(binary instanceof Uint8Array)) throw new Error(`AssemblyScript wrote no binary for ${source}`);
  return binary;
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
      // An absolute path: a relative one reads as an import of the virtual module in the dev server.
      for (const file of readdirSync(resolve(root, kKernelDir))) this.addWatchFile(resolve(root, kKernelDir, file));
      const [plain, shared] = await Promise.all([false, true].map(async (s) => Buffer.from(await compileKernels(kKernelSource, root, s)).toString('base64')));
      return `export const plain = ${JSON.stringify(plain)};\nexport const shared = ${JSON.stringify(shared)};`;
    },
  };
}
