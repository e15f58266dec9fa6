/**
 * <chapter6-race> on demand: its module (the element, its two figures, their plots) is a chunk of
 * its own in the demo and library builds, imported the first time it is needed, so neither first
 * load grows. The demo page imports it when a chapter-6 section nears the screen
 * (src/ui/page/chapter6-sections.ts); the library bundle (src/lib.ts) when a <chapter6-race> tag is
 * first in the document, or when a script calls loadChapter6Race().
 */
import { errorMessage } from '../../util/error-message';
import { LazyModule } from '../lazy-element';

export const kChapter6Module = new LazyModule('the experiment', ['chapter6-race'], () => import('./chapter6-race'));

/** Defines <chapter6-race> (once); rejects with the reason when its chunk cannot be loaded. */
export async function loadChapter6Race(): Promise<void> {
  await kChapter6Module.load();
  if (kChapter6Module.state === 'failed') throw kChapter6Module.error;
}

const kTag = 'chapter6-race';
const holdsTag = (node: Node): boolean => node instanceof Element && (node.localName === kTag || node.getElementsByTagName(kTag).length > 0);

/**
 * Loads <chapter6-race> as soon as `root` holds one, now or once one is added (a tag inside another
 * element's shadow root is not seen: call loadChapter6Race() for those). A chunk that cannot load
 * is said in the console.
 */
export function defineChapter6RaceWhenUsed(root: Document = document): void {
  const load = (): void => {
    loadChapter6Race().catch((error: unknown) => console.error(`Could not load <${kTag}>: ${errorMessage(error)}`));
  };
  if (root.getElementsByTagName(kTag).length > 0 || kChapter6Module.state !== 'idle') {
    load();
    return;
  }
  const observer = new MutationObserver((mutations) => {
    if (!mutations.some((m) => [...m.addedNodes].some(holdsTag))) return;
    observer.disconnect();
    load();
  });
  observer.observe(root, { childList: true, subtree: true });
}
