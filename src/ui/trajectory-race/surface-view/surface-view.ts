/** Registers <surface-view>. Import this module (not the .component) to use the tag. */
import { SurfaceView } from './surface-view.component';

export { SurfaceView } from './surface-view.component';
export type { SurfaceDrawnDetail, SurfaceRendererChoice } from './surface-view.component';
export type { SurfacePath } from './surface-scene';

if (!customElements.get('surface-view')) customElements.define('surface-view', SurfaceView);

declare global {
  interface HTMLElementTagNameMap {
    'surface-view': SurfaceView;
  }
  interface GlobalEventHandlersEventMap {
    'surface-drawn': CustomEvent<import('./surface-view.component').SurfaceDrawnDetail>;
  }
}
