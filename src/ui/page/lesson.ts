/**
 * Classroom links on the demo page: the `#lesson=…` flags (./lesson-flags.ts) applied on load and
 * again when the hash's `lesson=` part changes (a teacher editing the link in the tab), and the
 * header's "Link for a lesson" panel (#lesson-link) that writes them, drawn when first opened and
 * again when the flags change.
 * A chunk of its own, imported by src/main.ts after the page's first load, which so stays within
 * the bundle limit. Hiding is the page's CSS (page.css: `body[data-lesson-hide~=…]`, the elements' `toolbar` and
 * `racers` parts); `start` sets `autostart` on each <optimizer-race> shown and starts each
 * <chapter6-race> shown once its chunk has loaded.
 */
import { racerNames } from '../../race/racer-names';
import { readHashPart } from '../hash-state';
import { formatLessonFlags, kLessonKey, kLessonParts, kNoLessonFlags, parseLessonFlags, type LessonFlags, type LessonPart } from './lesson-flags';

const sections = (): HTMLElement[] => [...document.querySelectorAll<HTMLElement>('main > section[id]')];

/** The flags of the page's URL; what they leave out is said in the console (never an error). */
export function currentLessonFlags(): LessonFlags {
  const value = readHashPart(location.hash, kLessonKey);
  if (value === null) return kNoLessonFlags;
  const { flags, ignored } = parseLessonFlags(
    value,
    sections().map((s) => s.id),
  );
  for (const reason of ignored) console.warn(`optimizer-race: the link's lesson flags: ${reason}; ignored.`);
  return flags;
}

/**
 * Hides what the flags hide (and shows again what they no longer hide) and starts the races shown
 * that have not raced yet (a race under way or done is left as it is).
 */
export function applyLessonFlags(flags: LessonFlags): void {
  if (flags.hide.length) document.body.dataset.lessonHide = flags.hide.join(' ');
  else delete document.body.dataset.lessonHide;
  const shown = sections().filter((s) => flags.only.length === 0 || flags.only.includes(s.id));
  for (const section of sections()) section.hidden = !shown.includes(section);
  for (const link of document.querySelectorAll<HTMLAnchorElement>('.toc a[href^="#"]')) {
    link.hidden = !shown.some((s) => `#${s.id}` === link.getAttribute('href'));
  }
  if (!flags.start) return;
  for (const section of shown) {
    for (const race of section.querySelectorAll('optimizer-race')) race.setAttribute('autostart', '');
    for (const race of section.querySelectorAll('chapter6-race')) {
      void customElements.whenDefined('chapter6-race').then(() => {
        const chapter6 = race as HTMLElement & { status: string; start(): Promise<void> };
        if (chapter6.status === 'idle') void chapter6.start();
      });
    }
  }
}

/** The `lesson=` part last applied: a hash change that leaves it as it is (an element's own part) changes nothing. */
let appliedLesson: string | null = null;

/** The "Link for a lesson" panel's form, once drawn: it shows the flags applied. */
let drawnForm: HTMLElement | null = null;

/**
 * Applies the URL's flags when its `lesson=` part differs from the one applied (on load: when it
 * has one), and draws the panel's form again from them if it was drawn.
 */
export function followLessonFlags(): void {
  const value = readHashPart(location.hash, kLessonKey);
  if (value === appliedLesson) return;
  appliedLesson = value;
  const flags = currentLessonFlags();
  applyLessonFlags(flags);
  if (drawnForm) renderLessonPanel(drawnForm, flags);
}

/** The page's URL with these flags (the elements' parts kept; no flags: no `lesson=` part). */
export function lessonUrl(flags: LessonFlags, href: string = location.href): string {
  const url = new URL(href);
  const value = formatLessonFlags(flags);
  const parts = url.hash
    .replace(/^#/, '')
    .split('&')
    .filter((p) => p.includes('=') && !p.startsWith(`${kLessonKey}=`));
  url.hash = [...parts, ...(value ? [`${kLessonKey}=${value}`] : [])].join('&');
  return url.href;
}

const kPartLabels: Record<LessonPart, string> = {
  intro: 'Hide the introduction (this header)',
  controls: 'Hide the races’ controls',
  editor: 'Hide the MNIST race’s racer editor',
};

/** What the page's racer editors hold: a racer's name and where its start weights come from. */
type RacersHost = Element & { racers?: readonly { name?: string; optimizer: string; initWeights?: string }[] };

/**
 * The racers (by the names the race shows) of the page's MNIST races that start from a file read
 * in the editor (a blob: URL, which only this page can read): the link's racer segments carry no
 * weights, so from the link those racers start from their init.
 */
export function racersWithLocalWeights(root: ParentNode = document): string[] {
  return [...root.querySelectorAll<RacersHost>('optimizer-race')].flatMap((race) => {
    const racers = race.racers ?? [];
    const names = racerNames(racers);
    return racers.flatMap((r, i) => (r.initWeights?.startsWith('blob:') ? [names[i]] : []));
  });
}

/** The copy's note for racers whose loaded weights the link cannot carry (empty: none). */
export function localWeightsNote(names: readonly string[]): string {
  if (names.length === 0) return '';
  const [who, they] = names.length === 1 ? [`racer ${names[0]}`, 'it starts'] : [`racers ${names.join(', ')}`, 'they start'];
  return ` The link does not carry the weights loaded from a file for ${who}: opened from the link, ${they} from ${names.length === 1 ? 'its' : 'their'} init.`;
}

/** Copies the link; where the clipboard is refused or missing, says so: the link stays shown, selected, to copy by hand. */
async function copyLink(panel: HTMLElement, flags: LessonFlags): Promise<void> {
  const url = lessonUrl(flags);
  const field = panel.querySelector<HTMLInputElement>('.lesson-url')!;
  const status = panel.querySelector<HTMLElement>('.lesson-status')!;
  const note = localWeightsNote(racersWithLocalWeights());
  field.value = url;
  field.hidden = false;
  try {
    if (!navigator.clipboard) throw new Error('no clipboard here');
    await navigator.clipboard.writeText(url);
    status.textContent = `Copied the link.${note}`;
  } catch {
    status.textContent = `The clipboard is not available here: copy the link below.${note}`;
    field.select();
  }
}

/** An element with attributes and children (the panel is small: plain DOM, no template library in this chunk). */
function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]>,
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

/** Draws the panel's form into `panel` (when first opened, and again when the URL's flags change), starting from `shown`. */
export function renderLessonPanel(panel: HTMLElement, shown: LessonFlags = currentLessonFlags()): void {
  drawnForm = panel;
  const flags: LessonFlags = { ...shown };
  const only = element(
    'select',
    { onchange: () => void (flags.only = only.value ? [only.value] : []) },
    element('option', { value: '', textContent: 'every section' }),
    ...sections().map((s) =>
      element('option', {
        value: s.id,
        selected: flags.only.length === 1 && flags.only[0] === s.id,
        textContent: `${s.querySelector('h2')?.textContent?.trim() ?? s.id} only`,
      }),
    ),
  );
  only.dataset.lesson = 'only';
  const checkbox = (name: string, checked: boolean, changed: (on: boolean) => void, label: string): HTMLLabelElement => {
    const box = element('input', { type: 'checkbox', checked, onchange: () => changed(box.checked) });
    box.dataset.lesson = name;
    return element('label', { className: 'lesson-field' }, box, ` ${label}`);
  };
  panel.replaceChildren(
    element('label', { className: 'lesson-field' }, 'Show ', only),
    ...kLessonParts.map((part) =>
      checkbox(
        part,
        flags.hide.includes(part),
        (on) => void (flags.hide = kLessonParts.filter((p) => (p === part ? on : flags.hide.includes(p)))),
        kPartLabels[part],
      ),
    ),
    checkbox('start', flags.start, (on) => void (flags.start = on), 'Start the race on load'),
    element('button', { type: 'button', className: 'lesson-copy', textContent: 'Copy link', onclick: () => void copyLink(panel, flags) }),
    element('p', { className: 'lesson-status', role: 'status' }),
    element('input', { type: 'text', className: 'lesson-url', readOnly: true, hidden: true, ariaLabel: 'The lesson link' }),
  );
}

followLessonFlags();
window.addEventListener('hashchange', followLessonFlags);
const panel = document.getElementById('lesson-link');
panel?.addEventListener('toggle', () => renderLessonPanel(panel.querySelector<HTMLElement>('.lesson-form')!), { once: true });
