/**
 * The step plan: a table in linear memory that src/wasm/wasm-backend.ts writes at create() (and
 * the per-step fields before each call) and src/wasm/assembly/race-step.ts walks. Byte offsets;
 * plain numeric constants, so this one file compiles as AssemblyScript and as TypeScript.
 */

// Header (kHeaderBytes): race-wide fields and the thread pool's words.
export const kPlanRacers = 0;
export const kPlanLayers = 4;
/** Rows of this call: the batch in a training step, an evaluation chunk's rows in a forward pass. */
export const kPlanRows = 8;
/** kModeTrain (step, then the loss after the update) or kModeForward (logits only). */
export const kPlanMode = 12;
export const kPlanX0 = 16;
export const kPlanLabels = 20;
/** The next racer to claim (atomic); zeroed before each call. */
export const kPlanNext = 24;
/** Pool words (src/wasm/thread-pool.ts): generation to start, helpers done, a helper's failure. */
export const kPlanGeneration = 28;
export const kPlanDone = 32;
export const kPlanFailed = 36;
/** Floats per racer in params, grads and each state buffer (a multiple of 4). */
export const kPlanParamCount = 40;
export const kHeaderBytes = 64;

export const kModeTrain = 0;
export const kModeForward = 1;

// Layer l's record at kHeaderBytes + l * kLayerBytes.
export const kLayerInputs = 0;
export const kLayerOutputs = 4;
/** Byte offsets of the layer's weights (I x O, row-major) and bias in a racer's params and grads. */
export const kLayerWeights = 8;
export const kLayerBias = 12;
/** Racer r's output of the layer (rows x O) at acts + r * rows * O * 4. */
export const kLayerActs = 16;
/** Layer l >= 1: racer r's gradient of the layer's input (batch x I) at dIn + r * batch * I * 4. */
export const kLayerInputGrads = 20;
export const kLayerBytes = 32;

// Racer r's record at kHeaderBytes + layers * kLayerBytes + r * kRacerBytes.
export const kRacerParams = 0;
export const kRacerGrads = 4;
export const kRacerState0 = 8;
export const kRacerState1 = 12;
/** Wᵀ of the layer in the backward-data product (max I x O floats over layers >= 1). */
export const kRacerScratch = 16;
export const kRacerRule = 20;
/** activationCode of the hidden layers (the last layer is the identity). */
export const kRacerActivation = 24;
/** 1 when the racer trains this step, 0 when frozen (it still reports its loss). */
export const kRacerActive = 28;
/** The optimizer's step scalars (f32, in its rule's order), written before each step. */
export const kRacerScalars = 32;
/** As many as the WGSL step record holds (src/optim/step-records.ts kMaxStepScalars; a test holds them equal). */
export const kRacerScalarCount = 10;
/** f64: the loss on the batch after the update. */
export const kRacerLoss = kRacerScalars + 4 * kRacerScalarCount;
export const kRacerBytes = kRacerLoss + 8;
