/**
 * <chapter6-race> on demand: its module (the element, its two figures, their plots) is a chunk of
 * its own in the demo and library builds, imported the first time it is needed, so neither first
 * load grows. The demo page imports it when a chapter-6 section nears the screen
 * (src/ui/page/lazy-sections.ts); the library bundle (src/lib.ts) when a <chapter6-race> tag is
 * first in the document, or when a script calls loadChapter6Race().
 */
import { LazyModule } from '../lazy-element';
import { defineWhenUsed } from '../lazy-tags';

export const kChapter6Module = new LazyModule('the experiment', ['chapter6-race'], () => import('./chapter6-race'));

/** Defines <chapter6-race> (once); rejects with the reason when its chunk cannot be loaded. */
export async function loadChapter6Race(): Promise<void> {
  await kChapter6Module.load();
  if (kChapter6Module.state === 'failed') throw kChapter6Module.error;
}

/** Loads <chapter6-race> as soon as the document holds one (src/ui/lazy-tags.ts' defineWhenUsed). */
export const defineChapter6RaceWhenUsed = (root: Document = document): void => defineWhenUsed('chapter6-race', loadChapter6Race, root);
