/** Registers <overfit-figure>. Import this module (not the .component) to use the tag. */
import { OverfitFigure } from './overfit-figure.component';

export { OverfitFigure };

if (!customElements.get('overfit-figure')) customElements.define('overfit-figure', OverfitFigure);

declare global {
  interface HTMLElementTagNameMap {
    'overfit-figure': OverfitFigure;
  }
}
