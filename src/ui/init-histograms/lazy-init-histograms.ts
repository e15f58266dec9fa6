/**
 * <init-histograms> on demand: its module (the element, the experiment, its GPU pass, the plots) is
 * a chunk of its own in the demo and library builds, so neither first load carries it. The demo
 * page imports it when section 4 nears the screen (src/ui/page/lazy-sections.ts); the library
 * bundle (src/lib.ts) when an <init-histograms> tag is first in the document, or when a script
 * calls loadInitHistograms().
 */
import { LazyModule } from '../lazy-element';
import { defineWhenUsed } from '../lazy-tags';

export const kInitHistogramsModule = new LazyModule('the histograms', ['init-histograms'], () => import('./init-histograms'));

/** Defines <init-histograms> (once); rejects with the reason when its chunk cannot be loaded. */
export async function loadInitHistograms(): Promise<void> {
  await kInitHistogramsModule.load();
  if (kInitHistogramsModule.state === 'failed') throw kInitHistogramsModule.error;
}

/** Loads <init-histograms> as soon as the document holds one. */
export const defineInitHistogramsWhenUsed = (root: Document = document): void => defineWhenUsed('init-histograms', loadInitHistograms, root);
