/**
 * Vite plugin: compiles src/wasm/assembly/kernels.ts with the AssemblyScript compiler (npm
 * `assemblyscript`, its JS API) whenever something imports `virtual:race-wasm`, and exposes the
 * binary as base64 text. So the app, the library bundle, the CLI bundle and Vitest all get the
 * kernels built from source, with no asset path and no committed .wasm.
 */
import asc from 'assemblyscript/asc';
import type { Plugin } from 'vite';

const kVirtualId = 'virtual:race-wasm';
const kResolvedId = `\0${kVirtualId}`;
export const kKernelSource = 'src/wasm/assembly/kernels.ts';

/** The compiled kernels (WebAssembly with SIMD, imported memory, no runtime). */
export async function compileKernels(source = kKernelSource): Promise<Uint8Array> {
  const files: Record<string, Uint8Array | string> = {};
  const args = [source, '--outFile', 'kernels.wasm', '-O3', '--runtime', 'stub', '--importMemory', '--noAssert', '--enable', 'simd'];
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
  return {
    name: 'race-wasm',
    resolveId: (id) => (id === kVirtualId ? kResolvedId : undefined),
    async load(id) {
      if (id !== kResolvedId) return undefined;
      this.addWatchFile(kKernelSource);
      const base64 = Buffer.from(await compileKernels()).toString('base64');
      return `export default ${JSON.stringify(base64)};`;
    },
  };
}
