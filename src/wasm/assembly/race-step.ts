/**
 * The race's float32 step in AssemblyScript (the module's entry), compiled to WebAssembly with 128-bit SIMD by
 * src/wasm/asc-plugin.ts (twice: on a plain and on a shared memory). Pointers are byte offsets
 * into the imported memory that src/wasm/wasm-backend.ts lays out once at create(); nothing here
 * allocates. `work(plan)` runs whole racers of the step plan (plan-layout.ts), claiming them one
 * at a time with an atomic counter, so one thread or several call it once per step and each
 * racer's numbers never depend on which thread ran it.
 */
import { gemm, transpose } from './gemm';
import { kBias, kSlope, kStore } from './gemm-epilogues';
import { optimize } from './optimizer-dispatch';
import {
  kHeaderBytes,
  kLayerActs,
  kLayerBias,
  kLayerBytes,
  kLayerInputGrads,
  kLayerInputs,
  kLayerOutputs,
  kLayerWeights,
  kModeTrain,
  kPlanLabels,
  kPlanLayers,
  kPlanMode,
  kPlanNext,
  kPlanParamCount,
  kPlanRacers,
  kPlanRows,
  kPlanX0,
  kRacerActivation,
  kRacerActive,
  kRacerBytes,
  kRacerGrads,
  kRacerLoss,
  kRacerParams,
  kRacerRule,
  kRacerScalars,
  kRacerScratch,
  kRacerState0,
  kRacerState1,
} from './plan-layout';
import { activate, columnSums, softmaxXent } from './rows';

export { gemm, transpose } from './gemm';
export { optimize } from './optimizer-dispatch';
export { activate, columnSums, gather, softmaxXent } from './rows';
// Chapter 6's kernels, checked on their own (test/wasm-regularization-vs-float64.test.ts); work(plan) does not call them yet.
export { batchNormBackward, batchNormEval, batchNormTrain } from './batch-norm';
export { dropoutApply, dropoutEval, dropoutHash, dropoutMaskRows } from './dropout';
export { addL2Gradient, l2Term } from './weight-decay';

/** Runs racers of the plan until none is left to claim. */
export function work(plan: usize): void {
  const racers = load<i32>(plan + kPlanRacers);
  for (;;) {
    const r = atomic.add<i32>(plan + kPlanNext, 1);
    if (r >= racers) return;
    runRacer(plan, r);
  }
}

function layerRecord(plan: usize, l: i32): usize {
  return plan + kHeaderBytes + <usize>l * kLayerBytes;
}

/** Racer r's output of layer l (rows x O). */
function actsOf(plan: usize, l: i32, r: i32, rows: i32): usize {
  const layer = layerRecord(plan, l);
  return <usize>load<u32>(layer + kLayerActs) + <usize>(r * rows * load<i32>(layer + kLayerOutputs)) * 4;
}

function runRacer(plan: usize, r: i32): void {
  const L = load<i32>(plan + kPlanLayers);
  const rows = load<i32>(plan + kPlanRows);
  const rec = plan + kHeaderBytes + <usize>L * kLayerBytes + <usize>r * kRacerBytes;
  forward(plan, rec, r, rows, L);
  if (load<i32>(plan + kPlanMode) !== kModeTrain) return;
  const labels = <usize>load<u32>(plan + kPlanLabels);
  const classes = load<i32>(layerRecord(plan, L - 1) + kLayerOutputs);
  const logits = actsOf(plan, L - 1, r, rows);
  if (load<i32>(rec + kRacerActive)) {
    softmaxXent(logits, labels, rows, classes, 1);
    backward(plan, rec, r, rows, L);
    optimize(
      load<i32>(rec + kRacerRule),
      <usize>load<u32>(rec + kRacerParams),
      <usize>load<u32>(rec + kRacerGrads),
      <usize>load<u32>(rec + kRacerState0),
      <usize>load<u32>(rec + kRacerState1),
      load<i32>(plan + kPlanParamCount),
      rec + kRacerScalars,
    );
    // As in the seed, the recorded loss is measured on the same batch after the update.
    forward(plan, rec, r, rows, L);
  }
  store<f64>(rec + kRacerLoss, softmaxXent(logits, labels, rows, classes, 0));
}

/** Y_l = act(X_l W_l + b_l) for every layer: bias and ReLU in the product's epilogue. */
function forward(plan: usize, rec: usize, r: i32, rows: i32, L: i32): void {
  const params = <usize>load<u32>(rec + kRacerParams);
  const hidden = load<i32>(rec + kRacerActivation);
  let x = <usize>load<u32>(plan + kPlanX0);
  for (let l = 0; l < L; l++) {
    const layer = layerRecord(plan, l);
    const I = load<i32>(layer + kLayerInputs);
    const O = load<i32>(layer + kLayerOutputs);
    const y = actsOf(plan, l, r, rows);
    const act = l === L - 1 ? 0 : hidden;
    const w = params + <usize>load<u32>(layer + kLayerWeights);
    const b = params + <usize>load<u32>(layer + kLayerBias);
    gemm(x, (<usize>I) << 2, 4, w, O, y, O, rows, I, O, kBias, b, 0, act);
    if (act >= 2) activate(y, rows * O, act);
    x = y;
  }
}

/** Gradients into the racer's grads; the logits hold dLogits already. */
function backward(plan: usize, rec: usize, r: i32, n: i32, L: i32): void {
  const params = <usize>load<u32>(rec + kRacerParams);
  const grads = <usize>load<u32>(rec + kRacerGrads);
  const scratch = <usize>load<u32>(rec + kRacerScratch);
  const hidden = load<i32>(rec + kRacerActivation);
  let dY = actsOf(plan, L - 1, r, n);
  for (let l = L - 1; l >= 0; l--) {
    const layer = layerRecord(plan, l);
    const I = load<i32>(layer + kLayerInputs);
    const O = load<i32>(layer + kLayerOutputs);
    const X = l === 0 ? <usize>load<u32>(plan + kPlanX0) : actsOf(plan, l - 1, r, n);
    // dW = Xᵀ dY: A = Xᵀ read in place (row i, k n at X + 4 i + 4 I n).
    gemm(X, 4, (<usize>I) << 2, dY, O, grads + <usize>load<u32>(layer + kLayerWeights), O, I, n, O, kStore, 0, 0, 0);
    columnSums(dY, grads + <usize>load<u32>(layer + kLayerBias), n, O);
    if (l === 0) return; // no gradient to the input
    // dX = (dY Wᵀ) * act'(X), with Wᵀ transposed once into scratch (I O floats against N I O flops).
    transpose(params + <usize>load<u32>(layer + kLayerWeights), scratch, I, O);
    const dX = <usize>load<u32>(layer + kLayerInputGrads) + <usize>(r * n * I) * 4;
    gemm(dY, (<usize>O) << 2, 4, scratch, I, dX, I, n, O, I, kSlope, 0, X, hidden);
    dY = dX;
  }
}
