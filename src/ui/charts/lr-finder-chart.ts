/** Registers <lr-finder-chart>. Import this module (not the .component) to use the tag. */
import { LrFinderChart } from './lr-finder-chart.component';

export { LrFinderChart } from './lr-finder-chart.component';
export type { LrFinderRacer, LrFinderRun } from './lr-finder-data';

if (!customElements.get('lr-finder-chart')) customElements.define('lr-finder-chart', LrFinderChart);

declare global {
  interface HTMLElementTagNameMap {
    'lr-finder-chart': LrFinderChart;
  }
}
