/**
 * The MLP of every racer on the GPU, assembled from the passes: the per-layer activation
 * buffers, uniforms and bind groups, and methods that record a forward, the loss, a backward or an
 * evaluation into a compute pass. All racers share every dispatch; one training iteration is
 * L forward + 1 loss + L weight + (L - 1) data dispatches (plus the gather and the optimizer).
 * N = batch (rows), R = racers, L = layers, C = classes.
 */
import { AffineBackwardDataPass, AffineBackwardWeightsPass, AffineForwardPass, type MatmulTiling } from './affine-passes';
import { BatchGatherPass } from './gather-pass';
import { IterationRing, LayerUniform, PassBinding, createRacerActivations } from './gpu-common';
import type { Activation, NetworkLayout } from './layout';
import { AccuracyPass, SoftmaxXentPass } from './loss-passes';
import { mlpLayerShape } from './shape';

/** The pipelines, compiled once per device and shared by every network on it. */
export class MlpPasses {
  readonly forward: AffineForwardPass;
  readonly backwardData: AffineBackwardDataPass;
  readonly backwardWeights: AffineBackwardWeightsPass;
  readonly softmax: SoftmaxXentPass;
  readonly accuracy: AccuracyPass;
  readonly gather: BatchGatherPass;

  constructor(
    readonly device: GPUDevice,
    tiling: MatmulTiling = {},
  ) {
    this.forward = new AffineForwardPass(device, tiling);
    this.backwardData = new AffineBackwardDataPass(device, tiling);
    this.backwardWeights = new AffineBackwardWeightsPass(device, tiling);
    this.softmax = new SoftmaxXentPass(device);
    this.accuracy = new AccuracyPass(device);
    this.gather = new BatchGatherPass(device);
  }
}

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
  label?: string;
}

export class GpuNetwork {
  readonly racers: number;
  /** acts[l]: output of layer l after its activation, R x N x O_l (acts[L - 1] are the logits). */
  readonly acts: GPUBuffer[];
  /** dActs[l]: loss gradient with respect to layer l's output before its activation, R x N x O_l. */
  readonly dActs: GPUBuffer[] = [];
  readonly layers: LayerUniform[];
  readonly racerActivations: GPUBuffer;
  private readonly forwardBindings: PassBinding[];
  private readonly weightBindings: PassBinding[] = [];
  private readonly dataBindings: PassBinding[] = [];
  private readonly lossBinding?: PassBinding;
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
    this.racers = R;
    this.racerActivations = createRacerActivations(device, activations, `${label}.racerActivations`);
    this.layers = layout.layers.map((_, l) => new LayerUniform(device, mlpLayerShape(layout, l, rows, R), `${label}.layer${l}`));
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    const perRacer = (l: number, name: string): GPUBuffer =>
      device.createBuffer({ label: `${label}.${name}${l}`, size: 4 * R * rows * layout.layers[l].outputs, usage });
    this.acts = layout.layers.map((_, l) => perRacer(l, 'acts'));
    const input = (l: number): GPUBuffer => (l === 0 ? X0 : this.acts[l - 1]);

    this.forwardBindings = this.layers.map((layer, l) =>
      passes.forward.bindGroup({ X: input(l), params, Y: this.acts[l], racerActivations: this.racerActivations, layer }, `${label}.forward${l}`),
    );
    const shape = { rows, classes: C, racers: R, slots: results.slots };
    this.accuracyBinding = passes.accuracy.bindGroup(
      { logits: this.acts[L - 1], labels, correct: results.correct, ring: results.ring },
      shape,
      `${label}.accuracy`,
    );
    if (!grads) return;
    if (!results.losses) throw new Error(`${label}: a training network needs a losses buffer`);
    this.dActs = layout.layers.map((_, l) => perRacer(l, 'dActs'));
    this.lossBinding = passes.softmax.bindGroup(
      {
        logits: this.acts[L - 1],
        labels,
        dLogits: this.dActs[L - 1],
        losses: results.losses,
        correct: results.correct,
        ring: results.ring,
      },
      shape,
      `${label}.softmax`,
    );
    this.layers.forEach((layer, l) => {
      this.weightBindings.push(passes.backwardWeights.bindGroup({ X: input(l), dY: this.dActs[l], grads, layer }, `${label}.backwardWeights${l}`));
      if (l > 0) {
        this.dataBindings.push(
          passes.backwardData.bindGroup(
            {
              dY: this.dActs[l],
              params,
              X: this.acts[l - 1],
              dX: this.dActs[l - 1],
              racerActivations: this.racerActivations,
              layer,
            },
            `${label}.backwardData${l}`,
          ),
        );
      }
    });
  }

  /** acts[l] = act(acts[l - 1] W_l + b_l) for every layer (X0 as the input of layer 0). */
  encodeForward(pass: GPUComputePassEncoder): void {
    for (const b of this.forwardBindings) this.passes.forward.encode(pass, b);
  }

  /** Loss, dLogits and correct count of the batch, at the result row of the ring slot. */
  encodeLoss(pass: GPUComputePassEncoder, ringSlot: number): void {
    if (!this.lossBinding) throw new Error('this network only evaluates: give it grads and losses to train');
    this.passes.softmax.encode(pass, this.lossBinding, this.options.results.ring, ringSlot);
  }

  /** Every layer's dW and db into grads, from the last layer back (needs encodeLoss first). */
  encodeBackward(pass: GPUComputePassEncoder): void {
    if (!this.lossBinding) throw new Error('this network only evaluates: give it grads and losses to train');
    for (let l = this.layers.length - 1; l >= 0; l--) {
      this.passes.backwardWeights.encode(pass, this.weightBindings[l]);
      if (l > 0) this.passes.backwardData.encode(pass, this.dataBindings[l - 1]);
    }
  }

  /** Adds correct predictions of the current logits to the result row of the ring slot. */
  encodeAccuracy(pass: GPUComputePassEncoder, ringSlot: number): void {
    this.passes.accuracy.encode(pass, this.accuracyBinding, this.options.results.ring, ringSlot);
  }

  destroy(): void {
    for (const b of [...this.acts, ...this.dActs, this.racerActivations]) b.destroy();
    for (const l of this.layers) l.destroy();
    for (const b of [...this.forwardBindings, ...this.weightBindings, ...this.dataBindings, this.accuracyBinding]) b.destroy();
    this.lossBinding?.destroy();
  }
}
