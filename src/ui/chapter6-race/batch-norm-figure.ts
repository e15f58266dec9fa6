/** Registers <batch-norm-figure>. Import this module (not the .component) to use the tag. */
import { BatchNormFigure } from './batch-norm-figure.component';

export { BatchNormFigure };

if (!customElements.get('batch-norm-figure')) customElements.define('batch-norm-figure', BatchNormFigure);

declare global {
  interface HTMLElementTagNameMap {
    'batch-norm-figure': BatchNormFigure;
  }
}
