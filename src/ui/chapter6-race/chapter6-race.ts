/**
 * Registers <chapter6-race> and the figures it draws. Import this module (not the .component) to
 * use the tag; the demo page loads it when a section that holds one is first near the screen
 * (src/ui/page/lazy-sections.ts).
 */
import './batch-norm-figure';
import './overfit-figure';
import { Chapter6Race } from './chapter6-race.component';

export { Chapter6Race };
export { BatchNormFigure } from './batch-norm-figure';
export { OverfitFigure } from './overfit-figure';
export type { FigureRacer } from './figure-data';

if (!customElements.get('chapter6-race')) customElements.define('chapter6-race', Chapter6Race);

declare global {
  interface HTMLElementTagNameMap {
    'chapter6-race': Chapter6Race;
  }
}
