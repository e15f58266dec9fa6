/**
 * One racer of the float64 CPU race (./cpu-backend.ts): its network is src/nn/regularized-mlp.ts
 * with the racer's `bn`, `dropout` and `l2`, on views into the race's blocks (src/nn/layout.ts):
 * W, b, γ, β in its params block, their gradients in its grads block, the running statistics
 * (mean, then variance) in its stats block. The racer's optimizer steps the whole params block, so
 * γ and β train with the weights.
 */
import type { RunningStats } from '../nn/batch-norm-reference';
import type { MaskCoordinates } from '../nn/dropout-mask';
import type { NetworkLayout } from '../nn/layout';
import { dropoutMasks, evaluationLoss, forward, gradient, type RegularizedMlpOptions, type RegularizedMlpParams } from '../nn/regularized-mlp';
import { scheduledHyperparameters } from '../optim/schedule';
import type { ResolvedRacer } from './config';

export class CpuRacer {
  readonly options: RegularizedMlpOptions;
  /** W and b (the whole block) with views of γ and β. */
  private readonly network: RegularizedMlpParams;
  /** Views into the stats block, updated in place by each training pass. */
  private readonly running: RunningStats[];
  /** The optimizer's state vectors (registry `state`, in order), one params block each. */
  readonly state: Float64Array[];
  /** Updates taken: t of the last one (a checkpoint restores it). */
  steps = 0;

  /**
   * `params` and `grads`: the racer's blocks of layout.paramsPerRacer floats (params initialised);
   * `stats`: its block of layout.statsPerRacer floats, zero (the book's running statistics start at 0).
   */
  constructor(
    private readonly racer: ResolvedRacer,
    /** Its index in the race: the dropout masks' `racer` coordinate. */
    private readonly index: number,
    private readonly layout: NetworkLayout,
    private readonly params: Float64Array,
    private readonly grads: Float64Array,
    stats: Float64Array,
  ) {
    this.options = { sizes: layout.sizes, activation: racer.activation, bn: racer.bn, dropout: racer.dropout, l2: racer.l2 };
    const norms = racer.bn ? layout.batchNorm : [];
    const units = (l: number): number => layout.sizes[l + 1];
    const view = (block: Float64Array, offset: number, l: number): Float64Array => block.subarray(offset, offset + units(l));
    this.network = {
      weights: params,
      gamma: norms.map((bn, l) => view(params, bn.gammaOffset, l)),
      beta: norms.map((bn, l) => view(params, bn.betaOffset, l)),
    };
    this.running = norms.map((bn, l) => ({ mean: view(stats, bn.statsOffset, l), variance: view(stats, bn.statsOffset + units(l), l) }));
    this.state = racer.spec.state.map(() => new Float64Array(params.length));
  }

  /**
   * One update on the batch (N rows) of 0-based `iteration`: the book's network.gradient (a training
   * pass with batch statistics and this iteration's dropout masks, which moves the running
   * statistics; backward; λW into dW), then the racer's optimizer at its step t, lr scheduled over
   * the race's `iterations`.
   */
  step(X: ArrayLike<number>, labels: ArrayLike<number>, N: number, seed: number, iteration: number, iterations: number): void {
    const at: MaskCoordinates = { seed, racer: this.index, iteration };
    const result = gradient(this.options, this.network, X, labels, N, this.running, dropoutMasks(this.options, at, N));
    // W and b first: the plain layout's padding may reach into γ, which is written after.
    this.grads.set(result.grads.weights);
    result.grads.gamma.forEach((dGamma, l) => this.grads.set(dGamma, this.layout.batchNorm[l].gammaOffset));
    result.grads.beta.forEach((dBeta, l) => this.grads.set(dBeta, this.layout.batchNorm[l].betaOffset));
    result.running.forEach((next, l) => {
      this.running[l].mean.set(next.mean);
      this.running[l].variance.set(next.variance);
    });
    this.steps += 1;
    const h = scheduledHyperparameters(this.racer.hyper, this.racer.schedule, this.steps, iterations);
    this.racer.spec.reference(this.params, this.grads, this.state, h, this.steps);
  }

  /** The loss the race records: evaluation mode (running statistics, dropout scaled) plus the L2 term. */
  evaluationLoss(X: ArrayLike<number>, labels: ArrayLike<number>, N: number): number {
    return evaluationLoss(this.options, this.network, this.running, X, labels, N);
  }

  /** N x C logits in evaluation mode, as accuracy measures them. */
  scores(X: ArrayLike<number>, N: number): Float64Array {
    return forward(this.options, this.network, X, N, { train: false, running: this.running }).scores;
  }
}
