/**
 * A custom element the library bundle defines on first use: its chunk is imported as soon as the
 * document holds its tag, now or once one is added, so an embedder writes the tag and nothing
 * else. A tag inside another element's shadow root is not seen: the element's load function
 * (e.g. loadChapter6Race()) is exported for those. A chunk that cannot load is said in the console.
 */
import { errorMessage } from '../util/error-message';

export function defineWhenUsed(tag: string, load: () => Promise<void>, root: Document = document): void {
  const holdsTag = (node: Node): boolean => node instanceof Element && (node.localName === tag || node.getElementsByTagName(tag).length > 0);
  const define = (): void => {
    load().catch((error: unknown) => console.error(`Could not load <${tag}>: ${errorMessage(error)}`));
  };
  if (root.getElementsByTagName(tag).length > 0) {
    define();
    return;
  }
  const observer = new MutationObserver((mutations) => {
    if (!mutations.some((m) => [...m.addedNodes].some(holdsTag))) return;
    observer.disconnect();
    define();
  });
  observer.observe(root, { childList: true, subtree: true });
}
