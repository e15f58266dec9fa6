/** Typed events of <init-histograms>. */
import type { ResolvedInitConfig } from '../../init/config';
import type { InitBackend, SettingHistograms } from '../../init/experiment';

export interface HistogramsComputedDetail {
  /** One entry per drawn row: its setting and every layer's histogram. */
  results: SettingHistograms[];
  config: ResolvedInitConfig;
  /** What computed them: the affine + histogram WGSL kernels, or the float64 reference without WebGPU. */
  backend: InitBackend;
}

export type HistogramsComputedEvent = CustomEvent<HistogramsComputedDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'histograms-computed': HistogramsComputedEvent;
  }
}
