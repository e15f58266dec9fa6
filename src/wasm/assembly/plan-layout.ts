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
/** kModeTrain (step, then the loss after the update), kModeForward (logits only) or kModeForwardListed (logits of the racers whose active flag is set). */
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
/** The race's seed and this step's 0-based global iteration (u32): the dropout mask's coordinates. */
export const kPlanSeed = 44;
export const kPlanIteration = 48;
/**
 * The first layer's input as sparse rows (sparse.ts): this call's rows (the batch, or an evaluation
 * chunk) at rowStarts/rowEntries, and in a training step their transpose (pixel by pixel) at
 * colStarts/colEntries for Xᵀ·dY. rowStarts 0: the dense X0 only.
 */
export const kPlanRowStarts = 52;
export const kPlanRowEntries = 56;
export const kPlanColStarts = 60;
export const kPlanColEntries = 64;
export const kHeaderBytes = 80;

export const kModeTrain = 0;
export const kModeForward = 1;
export const kModeForwardListed = 2;

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
// Hidden layers of a race with batch norm (0 elsewhere): where the layer's batch norm lives.
/** Byte offsets of γ and β in a racer's params (dγ, dβ at the same offsets in its grads). */
export const kLayerGamma = 24;
export const kLayerBeta = 28;
/** Byte offset of the running mean in a racer's statistics block (the variance O floats later). */
export const kLayerStats = 32;
/** Byte offsets of xn (batch x O) and std (O) in a batch-norm racer's cache block. */
export const kLayerNormalized = 36;
export const kLayerStd = 40;
/** Hidden layers: the index of the layer's first unit among all hidden units (the dropout hash's `unit`). */
export const kLayerFirstUnit = 44;
export const kLayerBytes = 48;

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
/** f64: the loss on the batch after the update (in evaluation mode, the L2 term included). */
export const kRacerLoss = kRacerScalars + 4 * kRacerScalarCount;
// Chapter 6's options; a racer with none of them runs the plain step.
/** 1: a batch norm after each hidden affine layer. */
export const kRacerBatchNorm = kRacerLoss + 8;
/** 1: dropout after each hidden activation. */
export const kRacerDropout = kRacerBatchNorm + 4;
/** u32: dropoutThreshold(ratio) (src/nn/dropout-mask.ts): a unit is kept when (hash >> 8) > it. */
export const kRacerDropoutThreshold = kRacerDropout + 4;
/** f32(1 - ratio): evaluation's dropout scale. */
export const kRacerKeepFraction = kRacerDropoutThreshold + 4;
/** f64: λ of the L2 term (0: none). */
export const kRacerL2 = kRacerKeepFraction + 4;
/** The racer's running statistics block (a race with batch norm), and its batch-norm cache (xn, std; bn racers only). */
export const kRacerStats = kRacerL2 + 8;
export const kRacerNormCache = kRacerStats + 4;
export const kRacerBytes = kRacerNormCache + 4;
