/** Registers <init-histograms>. Import this module (not the .component) to use the tag. */
import { InitHistograms } from './init-histograms.component';

export { InitHistograms };
export type { HistogramsView } from './init-histograms.component';
export type { HistogramsComputedDetail, HistogramsComputedEvent } from './events';
export type { LayerHistogram, SettingHistograms } from '../../init/experiment';

if (!customElements.get('init-histograms')) customElements.define('init-histograms', InitHistograms);

declare global {
  interface HTMLElementTagNameMap {
    'init-histograms': InitHistograms;
  }
}
