/**
 * Classroom links on the demo page: the `#lesson=…` flags (./lesson-flags.ts) applied on load, and
 * the header's "Link for a lesson" panel that writes them. A chunk of its own, imported by
 * src/main.ts only when the link has flags or the panel is opened, so the page's first load does not
 * grow. Hiding is the page's CSS (page.css: `body[data-lesson-hide~=…]`, the elements' `toolbar` and
 * `racers` parts); `start` sets `autostart` on each <optimizer-race> shown and starts each
 * <chapter6-race> shown once its chunk has loaded.
 */
import { html, render } from 'lit';
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

/** Hides what the flags hide and starts the races shown. */
export function applyLessonFlags(flags: LessonFlags): void {
  if (flags.hide.length) document.body.dataset.lessonHide = flags.hide.join(' ');
  const shown = sections().filter((s) => flags.only.length === 0 || flags.only.includes(s.id));
  if (flags.only.length) {
    for (const section of sections()) section.hidden = !shown.includes(section);
    for (const link of document.querySelectorAll<HTMLAnchorElement>('.toc a[href^="#"]')) {
      link.hidden = !shown.some((s) => `#${s.id}` === link.getAttribute('href'));
    }
  }
  if (!flags.start) return;
  for (const section of shown) {
    for (const race of section.querySelectorAll('optimizer-race')) race.setAttribute('autostart', '');
    for (const race of section.querySelectorAll('chapter6-race')) {
      void customElements.whenDefined('chapter6-race').then(() => (race as HTMLElement & { start(): Promise<void> }).start());
    }
  }
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

/** Copies the link; where the clipboard is refused or missing, says so: the link stays shown, selected, to copy by hand. */
async function copyLink(panel: HTMLElement, flags: LessonFlags): Promise<void> {
  const url = lessonUrl(flags);
  const field = panel.querySelector<HTMLInputElement>('.lesson-url')!;
  const status = panel.querySelector<HTMLElement>('.lesson-status')!;
  field.value = url;
  field.hidden = false;
  try {
    if (!navigator.clipboard) throw new Error('no clipboard here');
    await navigator.clipboard.writeText(url);
    status.textContent = 'Copied the link.';
  } catch {
    status.textContent = 'The clipboard is not available here: copy the link below.';
    field.select();
  }
}

/** Draws the panel's form (once) into `panel`, starting from the page's own flags. */
export function renderLessonPanel(panel: HTMLElement): void {
  const flags: LessonFlags = { ...currentLessonFlags() };
  const toggle = (part: LessonPart, on: boolean): void => {
    flags.hide = kLessonParts.filter((p) => (p === part ? on : flags.hide.includes(p)));
  };
  render(
    html`
      <label class="lesson-field">Show
        <select data-lesson="only" @change=${(e: Event) => (flags.only = ((e.target as HTMLSelectElement).value || '').split('+').filter(Boolean))}>
          <option value="">every section</option>
          ${sections().map((s) => html`<option value=${s.id} ?selected=${flags.only.length === 1 && flags.only[0] === s.id}>${s.querySelector('h2')?.textContent?.trim() ?? s.id} only</option>`)}
        </select>
      </label>
      ${kLessonParts.map(
        (part) => html`<label class="lesson-field"><input type="checkbox" data-lesson=${part} ?checked=${flags.hide.includes(part)}
          @change=${(e: Event) => toggle(part, (e.target as HTMLInputElement).checked)}> ${kPartLabels[part]}</label>`,
      )}
      <label class="lesson-field"><input type="checkbox" data-lesson="start" ?checked=${flags.start}
        @change=${(e: Event) => (flags.start = (e.target as HTMLInputElement).checked)}> Start the race on load</label>
      <button type="button" class="lesson-copy" @click=${() => void copyLink(panel, flags)}>Copy link</button>
      <p class="lesson-status" role="status"></p>
      <input class="lesson-url" type="text" readonly hidden aria-label="The lesson link">`,
    panel,
  );
}
