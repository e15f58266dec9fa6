/**
 * An element that only one section shows (the 3D view, the sweep charts), loaded the first time
 * it is shown: its module is a chunk of its own in the builds, imported by `lazyElement` on the
 * first render. Until it is defined a small loading note stands in its place; if the chunk cannot
 * be loaded (offline, a server without it), the note says so instead. Once loaded, the element is
 * rendered in place of the note, and from then on at once.
 */
import { css, html, type TemplateResult } from 'lit';
import { AsyncDirective, directive } from 'lit/async-directive.js';
import { errorMessage } from '../util/error-message';

/** A module that defines `tags`, imported once, on first use; `what` names it for the loading note and the error. */
export class LazyModule {
  #state: 'idle' | 'loading' | 'ready' | 'failed' = 'idle';
  error: unknown = null;
  #loading: Promise<void> | null = null;

  constructor(
    readonly what: string,
    readonly tags: readonly string[],
    private readonly importer: () => Promise<unknown>,
  ) {}

  /** Ready at once when its elements are already defined (a page or test imported the module itself). */
  get state(): 'idle' | 'loading' | 'ready' | 'failed' {
    if (this.#state === 'idle' && this.tags.every((tag) => customElements.get(tag))) this.#state = 'ready';
    return this.#state;
  }

  /** Starts the import the first time; settles (never rejects) when it is loaded or has failed. */
  load(): Promise<void> {
    if (this.state === 'ready') return Promise.resolve();
    if (!this.#loading) {
      this.#state = 'loading';
      this.#loading = this.importer().then(
        () => {
          this.#state = 'ready';
        },
        (error: unknown) => {
          this.#state = 'failed';
          this.error = error;
        },
      );
    }
    return this.#loading;
  }
}

const loadingNote = (module: LazyModule): TemplateResult => html`<p class="lazy-loading" role="status">Loading ${module.what}…</p>`;
const failedNote = (module: LazyModule): TemplateResult =>
  html`<p class="lazy-failed" role="alert">Could not load ${module.what}: ${errorMessage(module.error)}. Reload the page to try again.</p>`;

const settledView = (module: LazyModule, content: () => TemplateResult): TemplateResult => (module.state === 'ready' ? content() : failedNote(module));

class LazyElementDirective extends AsyncDirective {
  #module: LazyModule | null = null;
  #content: () => TemplateResult = () => html``;
  #waiting = false;

  render(module: LazyModule, content: () => TemplateResult): TemplateResult {
    this.#module = module;
    this.#content = content;
    if (module.state === 'ready') return content();
    if (module.state === 'failed') return failedNote(module);
    if (!this.#waiting) {
      this.#waiting = true;
      void module.load().then(() => {
        this.#waiting = false;
        // The latest content: the host may have rendered again while the chunk loaded.
        if (this.isConnected) this.setValue(settledView(module, this.#content));
      });
    }
    return loadingNote(module);
  }

  /** Settled while the part was out of the document: show what it settled to. */
  protected override reconnected(): void {
    const module = this.#module;
    if (module && module.state !== 'loading') this.setValue(settledView(module, this.#content));
  }
}

/** `${lazyElement(module, () => html`<the-element …>`)}`: the element once `module` is loaded, a note until then. */
export const lazyElement = directive(LazyElementDirective);

/** The notes' look, for the stylesheet of a component that renders lazy elements. */
export const lazyElementStyles = css`
  .lazy-loading,
  .lazy-failed {
    margin: 0;
    padding: var(--or-space-5);
    font-size: var(--or-font-size-sm);
    color: var(--or-muted);
  }
  .lazy-failed {
    color: var(--or-danger);
  }
`;
