/** Typed events of <adam-steps>. */
import type { BackendKind } from '../../gpu/backend-kind';
import type { AdamStepsConfig } from '../../race2d/adam-steps';
import type { AdamStepRow } from './adam-steps.component';

export interface StepsComputedDetail {
  rows: readonly AdamStepRow[];
  /** What computed the numbers: the Adam WGSL kernel, or the float64 reference without WebGPU. */
  backend: BackendKind;
  config: AdamStepsConfig;
}

export type StepsComputedEvent = CustomEvent<StepsComputedDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'steps-computed': StepsComputedEvent;
  }
}
