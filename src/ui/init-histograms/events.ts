/** Typed events of <init-histograms>. */
import type { BackendKind } from '../../gpu/backend-kind';
import type { ResolvedInitConfig } from '../../init/config';
import type { SettingHistograms } from '../../init/experiment';

export interface HistogramsComputedDetail {
  /** One entry per drawn row: its setting and every layer's histogram. */
  results: SettingHistograms[];
  config: ResolvedInitConfig;
  /** What computed them: the affine + histogram WGSL kernels, or the float64 reference without WebGPU. */
  backend: BackendKind;
}

export type HistogramsComputedEvent = CustomEvent<HistogramsComputedDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'histograms-computed': HistogramsComputedEvent;
  }
}
