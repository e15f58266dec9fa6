/** The race's WebAssembly module (built from src/wasm/assembly by src/wasm/asc-plugin.ts), compiled once per realm. */
import { plain, shared } from 'virtual:race-wasm';

export interface RaceWasmExports {
  /** Runs whole racers of the step plan (src/wasm/assembly/plan-layout.ts) until none is left. */
  work(plan: number): void;
  gemm(
    a: number,
    ars: number,
    aks: number,
    b: number,
    ldb: number,
    c: number,
    ldc: number,
    m: number,
    k: number,
    ncol: number,
    mode: number,
    bias: number,
    x: number,
    act: number,
  ): void;
  transpose(s: number, t: number, rows: number, cols: number): void;
  gather(images: number, count: number, indices: number, x: number, n: number, d: number): void;
  softmaxXent(logits: number, labels: number, n: number, c: number, withGrad: number): number;
  /** One step of optimizer rule `rule` (src/wasm/optimizer-rules.ts) over count floats (a multiple of 4); its step scalars are f32s at `scalars`. */
  optimize(rule: number, p: number, g: number, s0: number, s1: number, count: number, scalars: number): void;
  /** Y = act(Y) in place for sigmoid (2) and tanh (3); ReLU is gemm's epilogue. */
  activate(y: number, count: number, act: number): void;
  columnSums(dy: number, db: number, n: number, o: number): void;
  // Chapter 6 (src/wasm/assembly/batch-norm.ts, dropout.ts, weight-decay.ts): work(plan) calls them too; exported for their test.
  /** Batch norm's training forward over one racer's N x F activations: out, xn, std, running statistics in place. */
  batchNormTrain(x: number, out: number, n: number, f: number, gamma: number, beta: number, xn: number, std: number, runMean: number, runVar: number): void;
  batchNormEval(x: number, out: number, n: number, f: number, gamma: number, beta: number, runMean: number, runVar: number): void;
  batchNormBackward(dout: number, dx: number, n: number, f: number, gamma: number, xn: number, std: number, dgamma: number, dbeta: number): void;
  /** The dropout hash of src/nn/dropout-mask.ts as an i32 (>>> 0 for the u32). */
  dropoutHash(seed: number, racer: number, iteration: number, row: number, unit: number): number;
  /** y (N x O) times the mask in place: dropout's training forward, and its backward on dout. */
  dropoutApply(y: number, n: number, o: number, threshold: number, seed: number, racer: number, iteration: number, firstUnit: number): void;
  dropoutMaskRows(mask: number, n: number, o: number, threshold: number, seed: number, racer: number, iteration: number, firstUnit: number): void;
  dropoutEval(y: number, count: number, keepFraction: number): void;
  addL2Gradient(w: number, dw: number, count: number, lambda: number): void;
  // The first layer over nonzero pixels (src/wasm/assembly/sparse.ts): sparse rows are (starts, entries) pairs.
  /** C (m x ncol) = S B over S's entries only; epilogue as gemm's (store, or bias and ReLU). */
  sparseGemm(
    starts: number,
    entries: number,
    b: number,
    ldb: number,
    c: number,
    ldc: number,
    m: number,
    ncol: number,
    mode: number,
    bias: number,
    act: number,
  ): void;
  sparseImages(images: number, count: number, d: number, starts: number, entries: number): void;
  sparseBatch(setStarts: number, setEntries: number, count: number, indices: number, n: number, starts: number, entries: number): void;
  sparseTranspose(starts: number, entries: number, n: number, d: number, tStarts: number, tEntries: number): void;
  sparseToDense(starts: number, entries: number, m: number, d: number, x: number): void;
  /** The first layer's Y = X W + b (ReLU for act 1) over sparse rows; dense in `scratch` (4 I floats) where W is not finite. */
  sparseLayerForward(starts: number, entries: number, w: number, b: number, y: number, rows: number, I: number, O: number, act: number, scratch: number): void;
  /** The first layer's dW = Xᵀ dY over Xᵀ's sparse rows; on the dense X where dY is not finite. */
  sparseLayerWeights(colStarts: number, colEntries: number, x: number, dY: number, dW: number, n: number, I: number, O: number): void;
  /** 1 when none of count floats is Inf or NaN. */
  allFinite(p: number, count: number): number;
  l2Term(w: number, count: number, lambda: number): number;
}

const compiled = new Map<boolean, Promise<WebAssembly.Module>>();

/** The module on a plain memory, or (`isShared`) on a shared one for the threads. */
export function raceWasmModule(isShared = false): Promise<WebAssembly.Module> {
  let module = compiled.get(isShared);
  if (!module) {
    module = WebAssembly.compile(Uint8Array.from(atob(isShared ? shared : plain), (c) => c.charCodeAt(0)));
    compiled.set(isShared, module);
  }
  return module;
}

/** An instance of the module on `memory` (the module imports it as env.memory; shared or not). */
export async function instantiateRaceWasm(memory: WebAssembly.Memory): Promise<RaceWasmExports> {
  const isShared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  const instance = await WebAssembly.instantiate(await raceWasmModule(isShared), {
    env: {
      memory,
      abort: () => {
        throw new Error('WebAssembly kernel aborted');
      },
    },
  });
  return instance.exports as unknown as RaceWasmExports;
}
