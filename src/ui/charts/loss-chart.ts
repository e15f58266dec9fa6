/** Registers <loss-chart>. Import this module (not the .component) to use the tag. */
import { LossChart } from './loss-chart.component';

export { LossChart, kLossYRanges, kMarkerEvery } from './loss-chart.component';
export type { LossYRange } from './loss-chart.component';
export type { LossSeries } from './loss-data';
export type { LegendItem, RenderStats } from './uplot-chart';
export type { MarkerShape } from '../markers';

if (!customElements.get('loss-chart')) customElements.define('loss-chart', LossChart);

declare global {
  interface HTMLElementTagNameMap {
    'loss-chart': LossChart;
  }
}
