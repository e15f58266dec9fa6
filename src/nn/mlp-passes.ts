/**
 * The MLP's pipelines, compiled once per device and shared by every network on it. Chapter 6's
 * (batch norm, the fused dropout and L2 variants of the affine passes, the L2 loss term) compile
 * on first use, so a race whose racers use none of them compiles none of them.
 */
import { AffineBackwardDataPass, AffineBackwardWeightsPass, AffineForwardPass, type MatmulTiling } from './affine-passes';
import { BatchNormBackwardPass, BatchNormEvalPass, BatchNormTrainPass } from './batch-norm-passes';
import { BatchGatherPass } from './gather-pass';
import { AccuracyPass, SoftmaxXentPass } from './loss-passes';
import { AffineBackwardDataDropoutPass, AffineBackwardWeightsL2Pass, AffineForwardDropoutPass } from './regularized-affine-passes';
import { L2LossPass } from './regularization-passes';

export class MlpPasses {
  readonly forward: AffineForwardPass;
  readonly backwardData: AffineBackwardDataPass;
  readonly backwardWeights: AffineBackwardWeightsPass;
  readonly softmax: SoftmaxXentPass;
  readonly accuracy: AccuracyPass;
  readonly gather: BatchGatherPass;
  private readonly built = new Map<string, unknown>();

  constructor(
    readonly device: GPUDevice,
    private readonly tiling: MatmulTiling = {},
  ) {
    this.forward = new AffineForwardPass(device, tiling);
    this.backwardData = new AffineBackwardDataPass(device, tiling);
    this.backwardWeights = new AffineBackwardWeightsPass(device, tiling);
    this.softmax = new SoftmaxXentPass(device);
    this.accuracy = new AccuracyPass(device);
    this.gather = new BatchGatherPass(device);
  }

  private lazy<T>(key: string, make: () => T): T {
    if (!this.built.has(key)) this.built.set(key, make());
    return this.built.get(key) as T;
  }

  get forwardDropout(): AffineForwardDropoutPass {
    return this.lazy('forwardDropout', () => new AffineForwardDropoutPass(this.device, this.tiling));
  }
  get backwardDataDropout(): AffineBackwardDataDropoutPass {
    return this.lazy('backwardDataDropout', () => new AffineBackwardDataDropoutPass(this.device, this.tiling));
  }
  get backwardWeightsL2(): AffineBackwardWeightsL2Pass {
    return this.lazy('backwardWeightsL2', () => new AffineBackwardWeightsL2Pass(this.device, this.tiling));
  }
  get batchNormTrain(): BatchNormTrainPass {
    return this.lazy('batchNormTrain', () => new BatchNormTrainPass(this.device));
  }
  get batchNormEval(): BatchNormEvalPass {
    return this.lazy('batchNormEval', () => new BatchNormEvalPass(this.device));
  }
  get batchNormBackward(): BatchNormBackwardPass {
    return this.lazy('batchNormBackward', () => new BatchNormBackwardPass(this.device));
  }
  get l2Loss(): L2LossPass {
    return this.lazy('l2Loss', () => new L2LossPass(this.device));
  }
}
