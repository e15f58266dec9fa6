/** Registers <accuracy-chart>. Import this module (not the .component) to use the tag. */
import { AccuracyChart } from './accuracy-chart.component';

export { AccuracyChart, kAccuracyYRanges } from './accuracy-chart.component';
export type { AccuracyYRange } from './accuracy-chart.component';
export type { AccuracyPoint, AccuracySeries } from './accuracy-data';
export type { LegendItem, RenderStats } from './uplot-chart';
export type { MarkerShape } from '../markers';

if (!customElements.get('accuracy-chart')) customElements.define('accuracy-chart', AccuracyChart);

declare global {
  interface HTMLElementTagNameMap {
    'accuracy-chart': AccuracyChart;
  }
}
