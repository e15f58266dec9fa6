/** The compiled kernels (built from source by src/wasm/asc-plugin.ts), compiled once per realm. */
import base64 from 'virtual:race-wasm';

export interface KernelExports {
  matmul(a: number, lda: number, b: number, ldb: number, c: number, ldc: number, m: number, k: number, ncol: number): void;
  transpose(s: number, t: number, rows: number, cols: number): void;
  biasActivate(y: number, b: number, n: number, o: number, act: number): void;
  maskSlope(dx: number, x: number, count: number, act: number): void;
  columnSums(dy: number, db: number, n: number, o: number): void;
  gather(images: number, count: number, indices: number, x: number, n: number, d: number): void;
  softmaxXent(logits: number, labels: number, n: number, c: number, withGrad: number): number;
  optimize(rule: number, p: number, g: number, s0: number, s1: number, count: number, a: number, b: number, c: number, d: number, e: number, f: number): void;
}

let compiled: Promise<WebAssembly.Module> | undefined;

export function kernelModule(): Promise<WebAssembly.Module> {
  compiled ??= WebAssembly.compile(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
  return compiled;
}

/** An instance of the kernels on `memory` (the module imports it as env.memory). */
export async function instantiateKernels(memory: WebAssembly.Memory): Promise<KernelExports> {
  const instance = await WebAssembly.instantiate(await kernelModule(), {
    env: {
      memory,
      abort: () => {
        throw new Error('WebAssembly kernel aborted');
      },
    },
  });
  return instance.exports as unknown as KernelExports;
}
