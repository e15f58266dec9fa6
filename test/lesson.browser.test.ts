/**
 * The demo page's classroom links (src/ui/page/lesson.ts): the `lesson=` flags applied again when
 * the hash changes in the tab (unknown flags said in the console, never an error; a change to
 * another part of the hash changes nothing), the "Link for a lesson" form following them, and
 * "Copy link" saying which racers' loaded weights the link cannot carry (by the names they race under).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const page = `
  <nav class="toc"><a href="#mnist">MNIST</a><a href="#adam">Adam</a></nav>
  <main>
    <section id="mnist"><h2>MNIST</h2><optimizer-race></optimizer-race></section>
    <section id="adam"><h2>Adam</h2></section>
  </main>
  <details id="lesson-link"><summary>Link for a lesson</summary><div class="lesson-form"></div></details>`;

/** Sets the hash as a teacher editing the link would, and waits for the page's hashchange. */
async function editHash(hash: string): Promise<void> {
  const changed = new Promise((resolve) => window.addEventListener('hashchange', resolve, { once: true }));
  location.hash = hash;
  await changed;
}

const section = (id: string) => document.getElementById(id)!;
const tocLink = (id: string) => document.querySelector<HTMLAnchorElement>(`.toc a[href="#${id}"]`)!;

beforeAll(async () => {
  history.replaceState(null, '', location.pathname);
  // The real element (the note reads its public racers), defined before the page's copy of it.
  await import('../src/ui/optimizer-race/optimizer-race');
  document.body.innerHTML = page;
  await import('../src/ui/page/lesson');
});
afterAll(() => {
  history.replaceState(null, '', location.pathname);
  document.body.replaceChildren();
  delete document.body.dataset.lessonHide;
});

describe('classroom links', () => {
  it('applies the flags again when the hash changes in the tab, as on load', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    await editHash('#race=it:100&lesson=only:adam,hide:intro+controls,zoom:2');
    expect([section('mnist').hidden, section('adam').hidden, tocLink('mnist').hidden, tocLink('adam').hidden]).toEqual([true, false, true, false]);
    expect(document.body.dataset.lessonHide).toBe('intro controls');
    expect(warn).toHaveBeenCalledWith("optimizer-race: the link's lesson flags: unknown flag 'zoom:2' (only, hide, start); ignored.");
    // Another part of the hash changed, the flags not: nothing is applied (nor said) again.
    warn.mockClear();
    await editHash('#race=it:200&lesson=only:adam,hide:intro+controls,zoom:2');
    expect(warn).not.toHaveBeenCalled();
    // New flags: what they no longer hide shows again; start starts the MNIST race shown.
    await editHash('#race=it:200&lesson=hide:editor,start');
    expect([section('mnist').hidden, section('adam').hidden, tocLink('mnist').hidden]).toEqual([false, false, false]);
    expect(document.body.dataset.lessonHide).toBe('editor');
    expect(section('mnist').querySelector('optimizer-race')!.hasAttribute('autostart')).toBe(true);
    // No lesson part: nothing hidden.
    await editHash('#race=it:200');
    expect(document.body.dataset.lessonHide).toBeUndefined();
    expect([section('mnist').hidden, section('adam').hidden]).toEqual([false, false]);
    warn.mockRestore();
  });

  it('Copy link says which racers start from a loaded file the link cannot carry', async () => {
    const race = document.querySelector('optimizer-race') as HTMLElement & { racers: unknown };
    // As the editor leaves them (a blob: URL of the file read) and as the racers property takes them.
    race.racers = [
      { optimizer: 'adam', name: 'Adam from file', init: { weights: 'blob:http://localhost/1' } },
      { optimizer: 'sgd', init: { weights: 'blob:http://localhost/2' } },
      { optimizer: 'momentum', init: { weights: 'https://example.test/w.safetensors' } },
      { optimizer: 'adagrad' },
    ];
    const details = document.getElementById('lesson-link') as HTMLDetailsElement;
    const opened = new Promise((resolve) => details.addEventListener('toggle', resolve, { once: true }));
    details.open = true;
    await opened;
    document.querySelector<HTMLButtonElement>('.lesson-copy')!.click();
    const status = document.querySelector('.lesson-status')!;
    await expect.poll(() => status.textContent).toMatch(/^(Copied the link\.|The clipboard is not available here: copy the link below\.) /);
    expect(status.textContent).toMatch(
      /\. The link does not carry the weights loaded from a file for racers Adam from file, SGD: opened from the link, they start from their init\.$/,
    );
    race.racers = [{ optimizer: 'adam' }];
    status.textContent = '';
    document.querySelector<HTMLButtonElement>('.lesson-copy')!.click();
    await expect.poll(() => status.textContent).toMatch(/^(Copied the link\.|The clipboard is not available here: copy the link below\.)$/);
  });

  it('the open "Link for a lesson" form shows the flags again when the hash changes in the tab', async () => {
    const form = document.querySelector<HTMLElement>('.lesson-form')!;
    const field = <E extends HTMLElement>(name: string): E => form.querySelector<E>(`[data-lesson="${name}"]`)!;
    const shown = () => [
      field<HTMLSelectElement>('only').value,
      ...['intro', 'controls', 'editor', 'start'].map((name) => field<HTMLInputElement>(name).checked),
    ];
    expect(form.childElementCount).toBeGreaterThan(0);
    await editHash('#race=it:200&lesson=only:adam,hide:editor,start');
    expect(shown()).toEqual(['adam', false, false, true, true]);
    await editHash('#race=it:200&lesson=hide:intro+controls');
    expect(shown()).toEqual(['', true, true, false, false]);
    // The copied link carries the flags the URL now has (and the element's own part, which it writes).
    document.querySelector<HTMLButtonElement>('.lesson-copy')!.click();
    await expect.poll(() => form.querySelector<HTMLInputElement>('.lesson-url')!.value).toMatch(/#race=[^&]+&lesson=hide:intro\+controls$/);
  });
});
