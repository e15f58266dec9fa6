/**
 * The demo page's classroom flags, in their own part of the URL hash (`#lesson=…`, beside the
 * elements' `race=`, `race2d=`; src/ui/hash-state.ts): what a teacher's link hides and whether the
 * race starts on load.
 *
 *   #race=it:300,b:64,s:1,e:50,p:seed&lesson=only:mnist,hide:controls+editor,start
 *
 * `only:ID+ID` shows those sections alone (ids: the page's sections), `hide:PART+PART` hides
 * `intro` (the page's header), `controls` (the races' toolbars) or `editor` (the MNIST race's racer
 * editor), `start` (or `start:on`) starts the races shown on load. Like every URL field a flag is
 * checked, but a link is never refused for one: what is unknown or malformed is left out and said
 * (`ignored`, which the page logs to the console), and the rest applies.
 */
import { parseSwitch } from '../../optim/racer-spec';

/** The hash key of the flags. */
export const kLessonKey = 'lesson';

export const kLessonParts = ['intro', 'controls', 'editor'] as const;
export type LessonPart = (typeof kLessonParts)[number];

export interface LessonFlags {
  /** The sections shown, in the page's ids; empty: every section. */
  only: string[];
  hide: LessonPart[];
  /** Start the races shown once their data is loaded. */
  start: boolean;
}

export const kNoLessonFlags: LessonFlags = { only: [], hide: [], start: false };

const kKeys = ['only', 'hide', 'start'];

/** The known values of a `+` list, in the order given, each once; the unknown ones said in `ignored`. */
function pickKnown<T extends string>(text: string, known: readonly T[], what: string, ignored: string[]): T[] {
  const picked: T[] = [];
  for (const item of text.split('+')) {
    const value = safeDecode(item);
    if (!(known as readonly string[]).includes(value)) ignored.push(`${what} '${value}' is not one of ${known.join(', ')}`);
    else if (!picked.includes(value as T)) picked.push(value as T);
  }
  return picked;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The flags of a `lesson=` value (without the key) on a page with these section ids, and what was
 * left out and why (one sentence each). Never throws.
 */
export function parseLessonFlags(value: string, sections: readonly string[]): { flags: LessonFlags; ignored: string[] } {
  const ignored: string[] = [];
  const flags: LessonFlags = { only: [], hide: [], start: false };
  for (const field of value.split(',')) {
    if (field.trim() === '') continue;
    const colon = field.indexOf(':');
    const key = colon < 0 ? field : field.slice(0, colon);
    const text = colon < 0 ? null : field.slice(colon + 1);
    if (key === 'start') {
      const on = text === null ? true : parseSwitch(safeDecode(text));
      if (on === null) ignored.push(`start '${text}' is not on or off`);
      else flags.start = on;
    } else if (key === 'only' && text !== null) flags.only = pickKnown(text, sections, 'section', ignored);
    else if (key === 'hide' && text !== null) flags.hide = pickKnown(text, kLessonParts, 'part', ignored);
    else if (kKeys.includes(key)) ignored.push(`'${field}' needs a value (${key}:…)`);
    else ignored.push(`unknown flag '${safeDecode(field)}' (${kKeys.join(', ')})`);
  }
  return { flags, ignored };
}

/** The `lesson=` value of the flags (parseLessonFlags reads it back), or '' when they change nothing. */
export function formatLessonFlags(flags: LessonFlags): string {
  const fields = [
    ...(flags.only.length ? [`only:${flags.only.map(encodeURIComponent).join('+')}`] : []),
    ...(flags.hide.length ? [`hide:${flags.hide.join('+')}`] : []),
    ...(flags.start ? ['start'] : []),
  ];
  return fields.join(',');
}
