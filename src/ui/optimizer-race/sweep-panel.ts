/** Registers <sweep-panel> (the sweep and LR range test card of <optimizer-race>). */
import { SweepPanel } from './sweep-panel.component';

export { SweepPanel } from './sweep-panel.component';
export type { StudyApplyDetail, StudyApplyEvent } from './sweep-panel.component';

if (!customElements.get('sweep-panel')) customElements.define('sweep-panel', SweepPanel);

declare global {
  interface HTMLElementTagNameMap {
    'sweep-panel': SweepPanel;
  }
}
