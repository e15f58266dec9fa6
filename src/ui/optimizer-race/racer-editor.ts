/** Registers <racer-editor> (the racers card of <optimizer-race>). */
import { RacerEditor } from './racer-editor.component';

export { RacerEditor } from './racer-editor.component';
export type { RacersChangeDetail, RacersChangeEvent } from './events';

if (!customElements.get('racer-editor')) customElements.define('racer-editor', RacerEditor);

declare global {
  interface HTMLElementTagNameMap {
    'racer-editor': RacerEditor;
  }
}
