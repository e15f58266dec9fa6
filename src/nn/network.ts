/**
 * The MLP of every racer on the GPU, assembled from the passes: the per-layer activation
 * buffers, uniforms and bind groups, and methods that record a forward, the loss, a backward or an
 * evaluation into a compute pass, each returning how many dispatches it recorded. All racers share
 * every dispatch; one training iteration of a plain network is L forward + 1 loss + L weight +
 * (L - 1) data dispatches (plus the gather and the optimizer).
 *
 * Chapter 6's options, per racer (NetworkRegularization), cost:
 *   bn       one batch-norm dispatch per hidden layer in each forward pass (training: batch
 *            statistics; evaluation: running ones) and one in the backward pass, serving only the
 *            bn racers, in place on the layer's buffers (their affine pass writes the raw output:
 *            activation identity, no dropout; the batch-norm pass applies both);
 *   dropout  nothing: fused into the affine forward's epilogue (and the batch-norm passes') and into
 *            the backward-data pass (./regularized-affine-passes.ts);
 *   l2       λW fused into the weight-gradient pass; the loss term is one dispatch, encodeL2Loss.
 * A network whose racers use none of them records exactly the plain passes.
 * N = batch (rows), R = racers, L = layers, C = classes.
 */
import type { BatchNormShape } from './batch-norm-passes';
import { IterationRing, LayerUniform, PassBinding, createRacerActivations } from './gpu-common';
import type { Activation, NetworkLayout } from './layout';
import { RacerList } from './listed-racer-pass';
import type { MlpPasses } from './mlp-passes';
import { firstHiddenUnit } from './regularized-mlp';
import { createRacerDropout, createRacerLambdas } from './regularization-passes';
import { mlpLayerShape } from './shape';

/** Chapter 6's options of one racer (src/race/config.ts's ResolvedRacer has them). */
export interface RacerRegularization {
  bn: boolean;
  /** Ratio in [0, 1); 0: none. */
  dropout: number;
  /** λ ≥ 0; 0: none. */
  l2: number;
}

export interface NetworkRegularization {
  /** One per racer. */
  racers: readonly RacerRegularization[];
  /** The race's seed (u32): the dropout masks'. */
  seed: number;
  /** R x layout.statsPerRacer running statistics, shared by the race's networks: needed when some racer uses bn. */
  running?: GPUBuffer;
}

/** 'train': batch statistics (moving the running ones) and dropout masks; 'eval': running statistics, dropout as x (1 − ratio). */
export type ForwardMode = 'train' | 'eval';

export interface GpuNetworkOptions {
  layout: NetworkLayout;
  /** N, rows of X0. */
  rows: number;
  /** One hidden activation per racer (R = its length). */
  activations: readonly Activation[];
  /** R x P floats. */
  params: GPUBuffer;
  /** The input batch, N x D (BatchGatherPass's X0), shared by every racer. */
  X0: GPUBuffer;
  /** N u32 labels of the batch. */
  labels: GPUBuffer;
  /** Where the loss and accuracy passes write: losses (f32) and correct (u32), `slots` x R each. */
  results: { losses?: GPUBuffer; correct: GPUBuffer; slots: number; ring: IterationRing };
  /** R x P floats; omit for a network that only evaluates (no backward buffers then). */
  grads?: GPUBuffer;
  /** Chapter 6's options; omit (or all off) for the plain network. The layout must have batch norm's room when some racer uses bn. */
  regularization?: NetworkRegularization;
  label?: string;
}

export class GpuNetwork {
  readonly racers: number;
  /** acts[l]: output of layer l after its activation (and dropout), R x N x O_l (acts[L - 1] are the logits). */
  readonly acts: GPUBuffer[];
  /** dActs[l]: loss gradient with respect to layer l's affine output, R x N x O_l. */
  readonly dActs: GPUBuffer[] = [];
  readonly layers: LayerUniform[];
  readonly racerActivations: GPUBuffer;
  private readonly owned: { destroy(): void }[] = [];
  private readonly forwardBindings: PassBinding[];
  /** Per hidden layer, when some racer without bn drops units: the forward with dropout fused, per mode. */
  private readonly dropoutForward?: Partial<Record<ForwardMode, PassBinding[]>>;
  /** Per hidden layer, when some racer uses bn. */
  private readonly batchNorm?: { train?: PassBinding[]; eval: PassBinding[]; backward?: PassBinding[] };
  private readonly weightBindings: PassBinding[] = [];
  private readonly dataBindings: PassBinding[] = [];
  private readonly weightsL2: boolean;
  private readonly dataDropout: boolean;
  private readonly lossBinding?: PassBinding;
  private readonly l2LossBinding?: PassBinding;
  private readonly accuracyBinding: PassBinding;

  constructor(
    readonly passes: MlpPasses,
    readonly options: GpuNetworkOptions,
  ) {
    const { device } = passes;
    const { layout, rows, activations, params, X0, labels, grads, results } = options;
    const label = options.label ?? 'GpuNetwork';
    const R = activations.length;
    const L = layout.layers.length;
    const C = layout.sizes[L];
    const hidden = layout.layers.slice(0, -1).map((_, l) => l);
    const own = <T extends { destroy(): void }>(x: T): T => {
      this.owned.push(x);
      return x;
    };
    this.racers = R;
    const reg = options.regularization;
    const racers = reg?.racers ?? activations.map(() => ({ bn: false, dropout: 0, l2: 0 }));
    if (racers.length !== R) throw new Error(`${label}: ${R} activations but ${racers.length} racers' regularization`);
    const seed = reg?.seed ?? 0;
    const listed = (keep: (r: RacerRegularization) => boolean): number[] => racers.flatMap((r, k) => (keep(r) ? [k] : []));
    const bnRacers = listed((r) => r.bn);
    const dropoutRacers = listed((r) => r.dropout > 0);
    const l2Racers = listed((r) => r.l2 > 0);
    const affineDropout = racers.some((r) => r.dropout > 0 && !r.bn);

    this.racerActivations = own(createRacerActivations(device, activations, `${label}.racerActivations`));
    // A bn racer's affine pass writes its raw output: its batch-norm pass applies the activation.
    const affineActivations =
      bnRacers.length > 0
        ? own(
            createRacerActivations(
              device,
              activations.map((a, r) => (racers[r].bn ? 'identity' : a)),
              `${label}.affineActivations`,
            ),
          )
        : this.racerActivations;
    this.layers = layout.layers.map((_, l) => own(new LayerUniform(device, mlpLayerShape(layout, l, rows, R), `${label}.layer${l}`)));
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    const perRacer = (l: number, name: string, size = rows * layout.layers[l].outputs): GPUBuffer =>
      own(device.createBuffer({ label: `${label}.${name}${l}`, size: 4 * R * size, usage }));
    this.acts = layout.layers.map((_, l) => perRacer(l, 'acts'));
    const input = (l: number): GPUBuffer => (l === 0 ? X0 : this.acts[l - 1]);

    this.forwardBindings = this.layers.map((layer, l) =>
      own(passes.forward.bindGroup({ X: input(l), params, Y: this.acts[l], racerActivations: affineActivations, layer }, `${label}.forward${l}`)),
    );
    const { ring } = results;
    const racerDropout =
      dropoutRacers.length > 0
        ? own(
            createRacerDropout(
              device,
              racers.map((r) => r.dropout),
              `${label}.racerDropout`,
            ),
          )
        : undefined;
    const modes: ForwardMode[] = grads ? ['train', 'eval'] : ['eval'];
    if (affineDropout) {
      const applies = racers.map((r) => r.dropout > 0 && !r.bn);
      const buffer = own(
        createRacerDropout(
          device,
          racers.map((r) => r.dropout),
          `${label}.affineDropout`,
          applies,
        ),
      );
      this.dropoutForward = {};
      for (const mode of modes) {
        this.dropoutForward[mode] = hidden.map((l) =>
          own(
            passes.forwardDropout.bindGroup(
              {
                X: input(l),
                params,
                Y: this.acts[l],
                racerActivations: affineActivations,
                layer: this.layers[l],
                racerDropout: buffer,
                ring,
                dropout: { seed, firstUnit: firstHiddenUnit(layout.sizes, l), mode: mode === 'train' ? 'mask' : 'scale' },
              },
              `${label}.forwardDropout.${mode}${l}`,
            ),
          ),
        );
      }
    }
    let xn: GPUBuffer[] = [];
    let stdDev: GPUBuffer[] = [];
    let bnList: RacerList | undefined;
    if (bnRacers.length > 0) {
      if (layout.batchNorm.length !== hidden.length)
        throw new Error(`${label}: a racer uses batch norm but the layout has no room for it (networkLayout(sizes, { batchNorm: true }))`);
      if (!reg?.running) throw new Error(`${label}: a racer uses batch norm: give the running statistics' buffer`);
      const running = reg.running;
      const list = (bnList = own(new RacerList(device, bnRacers, `${label}.bnRacers`)));
      const dropout =
        racerDropout ??
        own(
          createRacerDropout(
            device,
            racers.map(() => 0),
            `${label}.racerDropout`,
          ),
        );
      const shape = (l: number): BatchNormShape => ({ ...this.batchNormShape(l), activation: 'racer', seed, firstUnit: firstHiddenUnit(layout.sizes, l) });
      const common = { params, racers: list, racerActivations: this.racerActivations, racerDropout: dropout, running };
      this.batchNorm = {
        eval: hidden.map((l) => own(passes.batchNormEval.bindGroup({ ...common, Y: this.acts[l] }, shape(l), `${label}.bnEval${l}`))),
      };
      if (grads) {
        xn = hidden.map((l) => perRacer(l, 'bnXn'));
        stdDev = hidden.map((l) => perRacer(l, 'bnStd', layout.sizes[l + 1]));
        this.batchNorm.train = hidden.map((l) =>
          own(passes.batchNormTrain.bindGroup({ ...common, Y: this.acts[l], xn: xn[l], stdDev: stdDev[l], ring }, shape(l), `${label}.bnTrain${l}`)),
        );
      }
    }
    const shape = { rows, classes: C, racers: R, slots: results.slots };
    this.accuracyBinding = own(passes.accuracy.bindGroup({ logits: this.acts[L - 1], labels, correct: results.correct, ring }, shape, `${label}.accuracy`));
    // The L2 variant of the weight-gradient pass also gives batch-norm racers' hidden biases db = 0.
    this.weightsL2 = l2Racers.length > 0 || bnRacers.length > 0;
    this.dataDropout = racerDropout !== undefined;
    if (!grads) return;
    if (!results.losses) throw new Error(`${label}: a training network needs a losses buffer`);
    this.dActs = layout.layers.map((_, l) => perRacer(l, 'dActs'));
    this.lossBinding = own(
      passes.softmax.bindGroup(
        { logits: this.acts[L - 1], labels, dLogits: this.dActs[L - 1], losses: results.losses, correct: results.correct, ring },
        shape,
        `${label}.softmax`,
      ),
    );
    const lambdas = this.weightsL2
      ? own(
          createRacerLambdas(
            device,
            racers.map((r) => r.l2),
            `${label}.lambdas`,
          ),
        )
      : undefined;
    if (lambdas && l2Racers.length > 0) {
      const list = own(new RacerList(device, l2Racers, `${label}.l2Racers`));
      this.l2LossBinding = own(
        passes.l2Loss.bindGroup(
          { params, losses: results.losses, lambdas, racers: list, ring },
          { layout, racers: R, slots: results.slots },
          `${label}.l2Loss`,
        ),
      );
    }
    this.layers.forEach((layer, l) => {
      const weights = { X: input(l), dY: this.dActs[l], grads, layer };
      const name = `${label}.backwardWeights${l}`;
      this.weightBindings.push(
        own(
          lambdas
            ? passes.backwardWeightsL2.bindGroup({ ...weights, params, lambdas, affineActivations }, name)
            : passes.backwardWeights.bindGroup(weights, name),
        ),
      );
      if (l === 0) return;
      const data = { dY: this.dActs[l], params, X: this.acts[l - 1], dX: this.dActs[l - 1], racerActivations: this.racerActivations, layer };
      const dataName = `${label}.backwardData${l}`;
      const dropout = { seed, firstUnit: firstHiddenUnit(layout.sizes, l - 1), mode: 'mask' as const };
      this.dataBindings.push(
        own(
          racerDropout
            ? passes.backwardDataDropout.bindGroup({ ...data, racerDropout, ring, dropout }, dataName)
            : passes.backwardData.bindGroup(data, dataName),
        ),
      );
    });
    if (this.batchNorm && bnList) {
      const racers = bnList;
      this.batchNorm.backward = hidden.map((l) =>
        own(
          passes.batchNormBackward.bindGroup(
            { dY: this.dActs[l], params, xn: xn[l], stdDev: stdDev[l], grads, racers },
            this.batchNormShape(l),
            `${label}.bnBackward${l}`,
          ),
        ),
      );
    }
  }

  private batchNormShape(l: number): BatchNormShape {
    const { layout } = this.options;
    const bn = layout.batchNorm[l];
    return {
      rows: this.options.rows,
      features: layout.sizes[l + 1],
      racers: this.racers,
      paramsPerRacer: layout.paramsPerRacer,
      gammaOffset: bn.gammaOffset,
      betaOffset: bn.betaOffset,
      statsPerRacer: layout.statsPerRacer,
      statsOffset: bn.statsOffset,
    };
  }

  private get ring(): IterationRing {
    return this.options.results.ring;
  }

  /**
   * acts[l] = act(acts[l - 1] W_l + b_l) for every layer (X0 as the input of layer 0), with the
   * chapter-6 options in `mode`; `ringSlot`'s iteration selects the dropout masks. A plain network
   * records the same passes in both modes.
   */
  encodeForward(pass: GPUComputePassEncoder, mode: ForwardMode = this.lossBinding ? 'train' : 'eval', ringSlot = 0): number {
    const offsets = [this.ring.offset(ringSlot)];
    const dropout = this.dropoutForward?.[mode];
    const batchNorm = this.batchNorm?.[mode];
    if ((this.dropoutForward && !dropout) || (this.batchNorm && !batchNorm)) throw new Error('this network only evaluates: give it grads and losses to train');
    let dispatches = 0;
    this.forwardBindings.forEach((binding, l) => {
      if (dropout?.[l]) this.passes.forwardDropout.encode(pass, dropout[l], offsets);
      else this.passes.forward.encode(pass, binding);
      dispatches += 1;
      if (batchNorm?.[l]) {
        if (mode === 'train') this.passes.batchNormTrain.encode(pass, batchNorm[l], offsets);
        else this.passes.batchNormEval.encode(pass, batchNorm[l]);
        dispatches += 1;
      }
    });
    return dispatches;
  }

  /** Loss, dLogits and correct count of the batch, at the result row of the ring slot. */
  encodeLoss(pass: GPUComputePassEncoder, ringSlot: number): number {
    if (!this.lossBinding) throw new Error('this network only evaluates: give it grads and losses to train');
    this.passes.softmax.encode(pass, this.lossBinding, [this.ring.offset(ringSlot)]);
    return 1;
  }

  /** Adds ½λΣ‖W‖² to the l2 racers' losses at the result row of the ring slot (after encodeLoss); nothing without them. */
  encodeL2Loss(pass: GPUComputePassEncoder, ringSlot: number): number {
    if (!this.l2LossBinding) return 0;
    this.passes.l2Loss.encode(pass, this.l2LossBinding, [this.ring.offset(ringSlot)]);
    return 1;
  }

  /** Every layer's dW and db (and dγ, dβ) into grads, from the last layer back (after a training forward and encodeLoss of the same ring slot). */
  encodeBackward(pass: GPUComputePassEncoder, ringSlot = 0): number {
    if (!this.lossBinding) throw new Error('this network only evaluates: give it grads and losses to train');
    const offsets = [this.ring.offset(ringSlot)];
    let dispatches = 0;
    for (let l = this.layers.length - 1; l >= 0; l--) {
      if (this.weightsL2) this.passes.backwardWeightsL2.encode(pass, this.weightBindings[l]);
      else this.passes.backwardWeights.encode(pass, this.weightBindings[l]);
      dispatches += 1;
      if (l === 0) break;
      if (this.dataDropout) this.passes.backwardDataDropout.encode(pass, this.dataBindings[l - 1], offsets);
      else this.passes.backwardData.encode(pass, this.dataBindings[l - 1]);
      dispatches += 1;
      const batchNorm = this.batchNorm?.backward?.[l - 1];
      if (batchNorm) {
        this.passes.batchNormBackward.encode(pass, batchNorm);
        dispatches += 1;
      }
    }
    return dispatches;
  }

  /** Adds correct predictions of the current logits to the result row of the ring slot. */
  encodeAccuracy(pass: GPUComputePassEncoder, ringSlot: number): number {
    this.passes.accuracy.encode(pass, this.accuracyBinding, [this.ring.offset(ringSlot)]);
    return 1;
  }

  destroy(): void {
    for (const x of this.owned.splice(0)) x.destroy();
  }
}
