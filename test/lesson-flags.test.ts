/**
 * The demo page's classroom flags (src/ui/page/lesson-flags.ts): the `lesson=` part of the URL
 * hash read and written, and every flag that is unknown or malformed left out with its reason,
 * never an error.
 */
import { describe, expect, it } from 'vitest';
import { formatLessonFlags, kNoLessonFlags, parseLessonFlags } from '../src/ui/page/lesson-flags';

const kSections = ['race-2d', 'adam', 'mnist', 'init', 'batch-norm', 'regularization'];

describe('classroom flags', () => {
  it('reads sections to show, parts to hide and start, and writes them back', () => {
    const value = 'only:mnist+batch-norm,hide:controls+editor+intro,start';
    const read = parseLessonFlags(value, kSections);
    expect(read).toEqual({ flags: { only: ['mnist', 'batch-norm'], hide: ['controls', 'editor', 'intro'], start: true }, ignored: [] });
    expect(formatLessonFlags(read.flags)).toBe(value);
    expect(parseLessonFlags('start:on', kSections).flags.start).toBe(true);
    expect(parseLessonFlags('start:off,hide:editor+editor', kSections).flags).toEqual({ only: [], hide: ['editor'], start: false });
    expect(formatLessonFlags(kNoLessonFlags)).toBe('');
    expect(parseLessonFlags('', kSections)).toEqual({ flags: kNoLessonFlags, ignored: [] });
  });

  it('leaves out what is unknown or malformed, says why, and applies the rest', () => {
    const read = parseLessonFlags('only:mnist+nowhere,hide:controls+toolbar,start:maybe,zoom:2,fast,hide,only:%E0', kSections);
    expect(read.flags).toEqual({ only: [], hide: ['controls'], start: false });
    expect(read.ignored).toEqual([
      "section 'nowhere' is not one of race-2d, adam, mnist, init, batch-norm, regularization",
      "part 'toolbar' is not one of intro, controls, editor",
      "start 'maybe' is not on or off",
      "unknown flag 'zoom:2' (only, hide, start)",
      "unknown flag 'fast' (only, hide, start)",
      "'hide' needs a value (hide:…)",
      "section '%E0' is not one of race-2d, adam, mnist, init, batch-norm, regularization",
    ]);
    // The last `only` wins, as a later field does in the race's link: here it named nothing known.
    expect(parseLessonFlags('only:mnist,only:adam', kSections).flags.only).toEqual(['adam']);
  });
});
