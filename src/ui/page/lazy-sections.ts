/**
 * The page's sections below the first screen (2's Adam table; 4 Weight initialisation; 5 Batch
 * Normalization; 6 Overfitting and regularization; 7 Hyperparameter search): their <adam-steps>,
 * <init-histograms>, <chapter6-race> and <search-race> elements are chunks of their own (src/ui/lazy-element.ts'
 * LazyModule), each imported the first time one of its elements comes near the screen, so the
 * page's first load stays within the bundle limit. Until then each element
 * holds its loading note (light DOM, hidden by the element's shadow root once it is defined); a
 * chunk that cannot load turns its notes into the reason.
 */
import { errorMessage } from '../../util/error-message';
import { LazyModule } from '../lazy-element';
import { kChapter6Module } from '../chapter6-race/lazy-chapter6-race';
import { kInitHistogramsModule } from '../init-histograms/lazy-init-histograms';
const kAdamStepsModule = new LazyModule('the Adam table', ['adam-steps'], () => import('../adam-steps/adam-steps'));
// The search's figures and d3-scale-chromatic's viridis ride in this chunk, not the main one.
const kSearchModule = new LazyModule('the search', ['search-race'], () => import('../search-race/search-race'));

/** How far below (or above) the screen an element starts loading: about a screen early, so it is ready when reached. */
const kLoadMargin = '800px 0px';

function failed(module: LazyModule, elements: readonly Element[]): void {
  for (const element of elements) {
    const note = element.querySelector('.lazy-loading');
    if (!note) continue;
    note.className = 'lazy-failed';
    note.setAttribute('role', 'alert');
    note.textContent = `Could not load ${module.what}: ${errorMessage(module.error)}. Reload the page to try again.`;
  }
}

function watch(module: LazyModule, tag: string): void {
  const elements = [...document.querySelectorAll(tag)];
  if (elements.length === 0) return;
  const load = (): void => {
    void module.load().then(() => {
      if (module.state === 'failed') failed(module, elements);
    });
  };
  if (typeof IntersectionObserver === 'undefined') {
    load();
    return;
  }
  const observer = new IntersectionObserver(
    (entries) => {
      if (!entries.some((e) => e.isIntersecting)) return;
      observer.disconnect();
      load();
    },
    { rootMargin: kLoadMargin },
  );
  for (const element of elements) observer.observe(element);
}

watch(kAdamStepsModule, 'adam-steps');
watch(kInitHistogramsModule, 'init-histograms');
watch(kChapter6Module, 'chapter6-race');
watch(kSearchModule, 'search-race');
