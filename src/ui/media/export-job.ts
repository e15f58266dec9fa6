/**
 * One export at a time in a UI, and the line that shows it: a progress bar and Cancel while it
 * encodes, then the file's size and a Save link (and, where a WebM was asked for but the browser
 * could not encode video, that a GIF was written instead), or what went wrong. A cancelled or
 * failed export writes no file and changes nothing else. Loaded with the first export (the page
 * carries only its styles, ./export-job.styles.ts).
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { chunkFailureText } from '../../util/load-chunk';

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(2)} MB`;
}

export const kGifInstead = 'This browser cannot encode WebM video (no WebCodecs VP9 or VP8 encoder), so a GIF was written instead.';

const kExtensions: Record<string, string> = { 'image/png': 'png', 'image/svg+xml': 'svg', 'image/gif': 'gif', 'video/webm': 'webm' };

type Phase =
  | { kind: 'idle' }
  | { kind: 'encoding'; what: string; done: number; total: number }
  | { kind: 'done'; name: string; url: string; size: number; note: string | null }
  | { kind: 'failed'; message: string };

/** What an export runs: it reports frames done and stops when `signal` aborts. */
export type ExportRun = (signal: AbortSignal, onProgress: (done: number, total: number) => void) => Promise<Blob>;

export class ExportJob implements ReactiveController {
  phase: Phase = { kind: 'idle' };
  private abort: AbortController | null = null;

  /** `focusAfterCancel`: the selector of the button that started it, focused again when Cancel disappears. */
  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly focusAfterCancel: string,
  ) {
    host.addController(this);
  }

  get busy(): boolean {
    return this.phase.kind === 'encoding';
  }

  hostDisconnected(): void {
    this.abort?.abort();
    this.forgetFile();
  }

  /** Runs `run` unless one is running; the file is named `base`.<the Blob's type's extension>. */
  async start(what: string, base: string, run: ExportRun, asked?: string): Promise<void> {
    if (this.busy) return;
    this.forgetFile();
    const abort = new AbortController();
    this.abort = abort;
    this.set({ kind: 'encoding', what, done: 0, total: 0 });
    try {
      const blob = await run(abort.signal, (done, total) => this.set({ kind: 'encoding', what, done, total }));
      const extension = kExtensions[blob.type] ?? 'bin';
      const note = asked === 'webm' && extension === 'gif' ? kGifInstead : null;
      this.set({ kind: 'done', name: `${base}.${extension}`, url: URL.createObjectURL(blob), size: blob.size, note });
    } catch (error) {
      const cancelled = abort.signal.aborted;
      this.set(cancelled ? { kind: 'idle' } : { kind: 'failed', message: chunkFailureText('Export failed', error) });
      if (cancelled) void this.focusStart();
    } finally {
      this.abort = null;
    }
  }

  cancel(): void {
    this.abort?.abort();
  }

  private async focusStart(): Promise<void> {
    await this.host.updateComplete;
    (this.host as Partial<HTMLElement>).shadowRoot?.querySelector<HTMLButtonElement>(this.focusAfterCancel)?.focus();
  }

  private set(phase: Phase): void {
    this.phase = phase;
    this.host.requestUpdate();
  }

  private forgetFile(): void {
    if (this.phase.kind === 'done') URL.revokeObjectURL(this.phase.url);
  }

  /** Progress and Cancel, the file, or what went wrong. */
  renderStatus(): TemplateResult | typeof nothing {
    const phase = this.phase;
    switch (phase.kind) {
      case 'idle':
        return nothing;
      case 'encoding':
        return html`<p class="export-status" role="status">
          <span>Encoding ${phase.what}…</span>
          <progress aria-label="export progress" max=${phase.total || 1} .value=${phase.done}></progress>
          <span class="export-frames">${phase.total ? `${phase.done} / ${phase.total} frames` : ''}</span>
          <button type="button" class="export-cancel" @click=${() => this.cancel()}>Cancel</button></p>`;
      case 'done':
        return html`<p class="export-status" role="status">
          <span>${phase.name}: <strong class="export-size">${fileSize(phase.size)}</strong></span>
          <a class="export-save" href=${phase.url} download=${phase.name}>Save ${phase.name}</a>
          ${phase.note ? html`<span class="export-note">${phase.note}</span>` : nothing}</p>`;
      case 'failed':
        return html`<p class="export-status error" role="alert">${phase.message}</p>`;
    }
  }
}
