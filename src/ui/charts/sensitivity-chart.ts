/** Registers <sensitivity-chart>. Import this module (not the .component) to use the tag. */
import { SensitivityChart } from './sensitivity-chart.component';

export { SensitivityChart } from './sensitivity-chart.component';
export type { SensitivityMetric, SensitivityView } from './sensitivity-data';

if (!customElements.get('sensitivity-chart')) customElements.define('sensitivity-chart', SensitivityChart);

declare global {
  interface HTMLElementTagNameMap {
    'sensitivity-chart': SensitivityChart;
  }
}
