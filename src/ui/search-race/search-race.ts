/**
 * Registers <search-race> and the figures it draws (<search-best-figure>, <search-landscape>).
 * Import this module (not the .component) to use the tags; the demo page loads it when its section
 * first nears the screen (src/ui/page/lazy-sections.ts), so d3-scale-chromatic's viridis and
 * the figures stay out of the main chunk.
 */
import { SearchBestFigure } from './search-best-figure.component';
import { SearchLandscape } from './search-landscape.component';
import { SearchRace } from './search-race.component';

export { SearchBestFigure, SearchLandscape, SearchRace };
export type { TrialResult, SearchRound } from './search-figure-data';

const define = (tag: string, element: CustomElementConstructor): void => {
  if (!customElements.get(tag)) customElements.define(tag, element);
};
define('search-best-figure', SearchBestFigure);
define('search-landscape', SearchLandscape);
define('search-race', SearchRace);

declare global {
  interface HTMLElementTagNameMap {
    'search-race': SearchRace;
    'search-best-figure': SearchBestFigure;
    'search-landscape': SearchLandscape;
  }
}
