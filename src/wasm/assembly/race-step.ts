/**
 * The race's float32 step in AssemblyScript (the module's entry), compiled to WebAssembly with 128-bit SIMD by
 * src/wasm/asc-plugin.ts (twice: on a plain and on a shared memory). Pointers are byte offsets
 * into the imported memory that src/wasm/wasm-backend.ts lays out once at create(); nothing here
 * allocates. `work(plan)` runs whole racers of the step plan (plan-layout.ts), claiming them one
 * at a time with an atomic counter, so one thread or several call it once per step and each
 * racer's numbers never depend on which thread ran it.
 *
 * Chapter 6's options, per racer (src/nn/regularized-mlp.ts is the float64 semantics): a batch norm
 * between each hidden layer's product and its activation (batch statistics in training, moving the
 * running statistics; running statistics at evaluation), dropout after each hidden activation
 * (masks from the hash of src/nn/dropout-mask.ts, never stored: backward draws them again), and the
 * L2 term (λW into each dW; ½λΣ‖W‖² into the recorded loss). A racer without them runs the plain
 * step. The recorded loss and accuracy are in evaluation mode.
 */
import { batchNormBackward, batchNormEval, batchNormTrain } from './batch-norm';
import { dropoutApply, dropoutEval } from './dropout';
import { gemm, transpose } from './gemm';
import { kBias, kSlope, kStore } from './gemm-epilogues';
import { optimize } from './optimizer-dispatch';
import {
  kHeaderBytes,
  kLayerActs,
  kLayerBeta,
  kLayerBias,
  kLayerBytes,
  kLayerFirstUnit,
  kLayerGamma,
  kLayerInputGrads,
  kLayerInputs,
  kLayerNormalized,
  kLayerOutputs,
  kLayerStats,
  kLayerStd,
  kLayerWeights,
  kModeForwardListed,
  kModeTrain,
  kPlanIteration,
  kPlanLabels,
  kPlanLayers,
  kPlanMode,
  kPlanNext,
  kPlanParamCount,
  kPlanColEntries,
  kPlanColStarts,
  kPlanRacers,
  kPlanRowEntries,
  kPlanRowStarts,
  kPlanRows,
  kPlanSeed,
  kPlanX0,
  kRacerActivation,
  kRacerActive,
  kRacerBatchNorm,
  kRacerBytes,
  kRacerDropout,
  kRacerDropoutThreshold,
  kRacerGrads,
  kRacerKeepFraction,
  kRacerL2,
  kRacerLoss,
  kRacerNormCache,
  kRacerParams,
  kRacerRule,
  kRacerScalars,
  kRacerScratch,
  kRacerState0,
  kRacerState1,
  kRacerStats,
} from './plan-layout';
import { addL2Gradient, l2Term } from './weight-decay';
import { activate, columnSums, softmaxXent } from './rows';
import { sparseLayerForward, sparseLayerWeights } from './sparse';

export { gemm, sparseGemm, transpose } from './gemm';
export { optimize } from './optimizer-dispatch';
export { activate, columnSums, gather, softmaxXent } from './rows';
// Chapter 6's kernels, also checked on their own (test/wasm-regularization-vs-float64.test.ts).
export { batchNormBackward, batchNormEval, batchNormTrain } from './batch-norm';
export { dropoutApply, dropoutEval, dropoutHash, dropoutMaskRows } from './dropout';
export { addL2Gradient, l2Term } from './weight-decay';
// The first layer over nonzero pixels: the backend builds the sparse rows with these (test/wasm-sparse.test.ts).
export { allFinite, sparseBatch, sparseImages, sparseLayerForward, sparseLayerWeights, sparseToDense, sparseTranspose } from './sparse';

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
  const mode = load<i32>(plan + kPlanMode);
  // Testing chosen racers ("Test the best"): the others are skipped.
  if (mode === kModeForwardListed && load<i32>(rec + kRacerActive) === 0) return;
  const training = mode === kModeTrain;
  // A frozen racer does not train: it only reports its loss (no masks drawn, no statistics moved).
  const steps = training && load<i32>(rec + kRacerActive) !== 0;
  forward(plan, rec, r, rows, L, steps);
  if (!training) return;
  const labels = <usize>load<u32>(plan + kPlanLabels);
  const classes = load<i32>(layerRecord(plan, L - 1) + kLayerOutputs);
  const logits = actsOf(plan, L - 1, r, rows);
  if (steps) {
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
    // As the book's Trainer, the recorded loss is measured on the same batch after the update, in evaluation mode.
    forward(plan, rec, r, rows, L, false);
  }
  store<f64>(rec + kRacerLoss, softmaxXent(logits, labels, rows, classes, 0) + weightDecayLoss(plan, rec, L));
}

/**
 * Y_l = act(X_l W_l + b_l) for every layer: bias and ReLU in the product's epilogue. Hidden layers
 * of a batch-norm racer: the product stores X W + b, the batch norm (batch statistics when
 * `training`, else the running ones) and the activation follow in place. Dropout then masks the
 * layer's output (training) or scales it by 1 - ratio (evaluation).
 */
function forward(plan: usize, rec: usize, r: i32, rows: i32, L: i32, training: bool): void {
  const params = <usize>load<u32>(rec + kRacerParams);
  const hidden = load<i32>(rec + kRacerActivation);
  const bn = load<i32>(rec + kRacerBatchNorm) !== 0;
  const dropout = load<i32>(rec + kRacerDropout) !== 0;
  let x = <usize>load<u32>(plan + kPlanX0);
  for (let l = 0; l < L; l++) {
    const layer = layerRecord(plan, l);
    const I = load<i32>(layer + kLayerInputs);
    const O = load<i32>(layer + kLayerOutputs);
    const y = actsOf(plan, l, r, rows);
    const isHidden = l < L - 1;
    const act = isHidden ? hidden : 0;
    const w = params + <usize>load<u32>(layer + kLayerWeights);
    const b = params + <usize>load<u32>(layer + kLayerBias);
    // With a batch norm between, the product stores X W + b and the activation comes after the norm.
    const fused = bn && isHidden ? 0 : act;
    if (l === 0) firstLayer(plan, rec, x, w, b, y, rows, I, O, fused);
    else gemm(x, (<usize>I) << 2, 4, w, O, y, O, rows, I, O, kBias, b, 0, fused);
    if (bn && isHidden) {
      normalize(layer, rec, params, y, rows, O, training);
      activate(y, rows * O, act);
    } else if (act >= 2) activate(y, rows * O, act);
    if (dropout && isHidden) {
      if (training) racerDropout(plan, rec, r, layer, y, rows, O);
      else dropoutEval(y, rows * O, load<f32>(rec + kRacerKeepFraction));
    }
    x = y;
  }
}

/** The first layer's Y = X W + b (and ReLU for act 1): over the plan's sparse rows when it has them, else on X0. */
function firstLayer(plan: usize, rec: usize, x: usize, w: usize, b: usize, y: usize, rows: i32, I: i32, O: i32, act: i32): void {
  const starts = <usize>load<u32>(plan + kPlanRowStarts);
  if (starts === 0) gemm(x, (<usize>I) << 2, 4, w, O, y, O, rows, I, O, kBias, b, 0, act);
  else sparseLayerForward(starts, <usize>load<u32>(plan + kPlanRowEntries), w, b, y, rows, I, O, act, <usize>load<u32>(rec + kRacerScratch));
}

/** Racer r's training mask of this iteration on `layer`'s units, applied to y (rows x O): the forward's output, the backward's dX. */
function racerDropout(plan: usize, rec: usize, r: i32, layer: usize, y: usize, rows: i32, O: i32): void {
  const threshold = load<u32>(rec + kRacerDropoutThreshold);
  dropoutApply(y, rows, O, threshold, load<u32>(plan + kPlanSeed), r, load<u32>(plan + kPlanIteration), load<u32>(layer + kLayerFirstUnit));
}

/** A hidden layer's batch norm of y (rows x O) in place: training keeps xn and std for backward. */
function normalize(layer: usize, rec: usize, params: usize, y: usize, rows: i32, O: i32, training: bool): void {
  const gamma = params + <usize>load<u32>(layer + kLayerGamma);
  const beta = params + <usize>load<u32>(layer + kLayerBeta);
  const mean = <usize>load<u32>(rec + kRacerStats) + <usize>load<u32>(layer + kLayerStats);
  const variance = mean + ((<usize>O) << 2);
  if (training) {
    const cache = <usize>load<u32>(rec + kRacerNormCache);
    batchNormTrain(y, y, rows, O, gamma, beta, cache + <usize>load<u32>(layer + kLayerNormalized), cache + <usize>load<u32>(layer + kLayerStd), mean, variance);
  } else {
    batchNormEval(y, y, rows, O, gamma, beta, mean, variance);
  }
}

/** ½λΣ‖W‖² over every layer's weights (0 without L2). */
function weightDecayLoss(plan: usize, rec: usize, L: i32): f64 {
  const lambda = load<f64>(rec + kRacerL2);
  if (lambda === 0) return 0;
  const params = <usize>load<u32>(rec + kRacerParams);
  let sum: f64 = 0;
  for (let l = 0; l < L; l++) {
    const layer = layerRecord(plan, l);
    sum += l2Term(params + <usize>load<u32>(layer + kLayerWeights), load<i32>(layer + kLayerInputs) * load<i32>(layer + kLayerOutputs), lambda);
  }
  return sum;
}

/**
 * Gradients into the racer's grads; the logits hold dLogits already. Per layer: dW (+ λW), db (0
 * before a batch norm), and
 * below the layer dX = (dY Wᵀ) * act'(X), times the dropout mask, through the batch norm (dγ, dβ).
 * act' is read from the layer's output after dropout: where the mask keeps a unit that is the
 * activation's output, and where it drops one the mask zeroes the product anyway.
 */
function backward(plan: usize, rec: usize, r: i32, n: i32, L: i32): void {
  const params = <usize>load<u32>(rec + kRacerParams);
  const grads = <usize>load<u32>(rec + kRacerGrads);
  const scratch = <usize>load<u32>(rec + kRacerScratch);
  const hidden = load<i32>(rec + kRacerActivation);
  const bn = load<i32>(rec + kRacerBatchNorm) !== 0;
  const dropout = load<i32>(rec + kRacerDropout) !== 0;
  const lambda = <f32>load<f64>(rec + kRacerL2);
  let dY = actsOf(plan, L - 1, r, n);
  for (let l = L - 1; l >= 0; l--) {
    const layer = layerRecord(plan, l);
    const I = load<i32>(layer + kLayerInputs);
    const O = load<i32>(layer + kLayerOutputs);
    const X = l === 0 ? <usize>load<u32>(plan + kPlanX0) : actsOf(plan, l - 1, r, n);
    const w = params + <usize>load<u32>(layer + kLayerWeights);
    const dW = grads + <usize>load<u32>(layer + kLayerWeights);
    const colStarts = l === 0 ? <usize>load<u32>(plan + kPlanColStarts) : 0;
    // dW = Xᵀ dY: over the batch's nonzero pixels (sparse.ts), or A = Xᵀ read in place (row i, k n at X + 4 i + 4 I n).
    if (colStarts !== 0) sparseLayerWeights(colStarts, <usize>load<u32>(plan + kPlanColEntries), X, dY, dW, n, I, O);
    else gemm(X, 4, (<usize>I) << 2, dY, O, dW, O, I, n, O, kStore, 0, 0, 0);
    if (lambda !== 0) addL2Gradient(w, dW, I * O, lambda);
    const dB = grads + <usize>load<u32>(layer + kLayerBias);
    // A bias feeding a batch norm has an exact zero gradient (the norm subtracts the batch mean);
    // its f32 rounding residue would be scaled up to full steps by adaptive optimizers (Adam, RMSprop).
    if (bn && l < L - 1) memory.fill(dB, 0, (<usize>O) << 2);
    else columnSums(dY, dB, n, O);
    if (l === 0) return; // no gradient to the input
    // dX = (dY Wᵀ) * act'(X), with Wᵀ transposed once into scratch (I O floats against N I O flops).
    transpose(w, scratch, I, O);
    const dX = <usize>load<u32>(layer + kLayerInputGrads) + <usize>(r * n * I) * 4;
    gemm(dY, (<usize>O) << 2, 4, scratch, I, dX, I, n, O, I, kSlope, 0, X, hidden);
    const below = layerRecord(plan, l - 1);
    if (dropout) racerDropout(plan, rec, r, below, dX, n, I);
    if (bn) {
      const cache = <usize>load<u32>(rec + kRacerNormCache);
      const gamma = <usize>load<u32>(below + kLayerGamma);
      batchNormBackward(
        dX,
        dX,
        n,
        I,
        params + gamma,
        cache + <usize>load<u32>(below + kLayerNormalized),
        cache + <usize>load<u32>(below + kLayerStd),
        grads + gamma,
        grads + <usize>load<u32>(below + kLayerBeta),
      );
    }
    dY = dX;
  }
}
