/**
 * Vite plugin: compiles src/wasm/assembly/kernels.ts with the AssemblyScript compiler (npm
 * `assemblyscript`, its JS API) whenever something imports `virtual:race-wasm`, and exposes the
 * binary as base64 text. So the app, the library bundle, the CLI bundle and Vitest all get the
 * kernels built from source, with no asset path and no committed .wasm.
 */
import { resolve } from 'node:path';
import asc from 'assemblyscript/asc';
import type { Plugin } from 'vite';

const kVirtualId = 'virtual:race-wasm';
const kResolvedId = `\0${kVirtualId}`;
export const kKernelSource = 'src/wasm/assembly/kernels.ts';

/** The compiled kernels (WebAssembly with SIMD, imported memory, no runtime). */
export async function compileKernels(source = kKernelSource, root = process.cwd()): Promise<Uint8Array> {
  const files: Record<string, Uint8Array | string> = {};
  // Sources are found from the project root (the Vite config's), not from where Vite was started.
  const args = [source, '--baseDir', root, '--outFile', 'kernels.wasm', '-O3', '--runtime', 'stub', '--importMemory', '--noAssert', '--enable', 'simd'];
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
      this.addWatchFile(resolve(root, kKernelSource));
      const base64 = Buffer.from(await compileKernels(kKernelSource, root)).toString('base64');
      return `export default ${JSON.stringify(base64)};`;
    },
  };
}
