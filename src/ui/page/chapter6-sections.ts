/**
 * The page's chapter-6 sections (Batch Normalization; Overfitting and regularization): their
 * <chapter6-race> elements are a chunk of their own (src/ui/lazy-element.ts' LazyModule), imported
 * the first time one of them comes near the screen, so the page's first load stays within the
 * bundle limit. Until then each element holds its loading note (light DOM, hidden by the element's
 * shadow root once it is defined); a chunk that cannot load turns the notes into the reason.
 */
import { errorMessage } from '../../util/error-message';
import { kChapter6Module } from '../chapter6-race/lazy-chapter6-race';

/** How far below (or above) the screen an element starts loading: about a screen early, so it is ready when reached. */
const kLoadMargin = '800px 0px';

function failed(elements: readonly Element[]): void {
  for (const element of elements) {
    const note = element.querySelector('.lazy-loading');
    if (!note) continue;
    note.className = 'lazy-failed';
    note.setAttribute('role', 'alert');
    note.textContent = `Could not load ${kChapter6Module.what}: ${errorMessage(kChapter6Module.error)}. Reload the page to try again.`;
  }
}

function watch(): void {
  const elements = [...document.querySelectorAll('chapter6-race')];
  if (elements.length === 0) return;
  const load = (): void => {
    void kChapter6Module.load().then(() => {
      if (kChapter6Module.state === 'failed') failed(elements);
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

watch();
