/**
 * The trajectory race's "Export" control: a format (PNG, SVG, GIF, WebM), frames per step and width
 * for the animations, a progress bar and Cancel while encoding, then the file's size and a Save
 * link. A failed or cancelled export says so and leaves the race as it was.
 */
import { css, html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { kAnimationDefaults, kAnimationLimits, type AnimationFormat, type AnimationOptions, type ImageFormat, type SourceOrReason } from './export-options';

type Format = ImageFormat | AnimationFormat;
const kFormats: readonly { id: Format; label: string }[] = [
  { id: 'png', label: 'PNG' },
  { id: 'svg', label: 'SVG' },
  { id: 'gif', label: 'GIF' },
  { id: 'webm', label: 'WebM' },
];

const isAnimation = (format: Format): format is AnimationFormat => format === 'gif' || format === 'webm';

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(2)} MB`;
}

type Phase =
  | { kind: 'idle' }
  | { kind: 'encoding'; done: number; total: number }
  | { kind: 'done'; name: string; url: string; size: number }
  | { kind: 'failed'; message: string };

export class ExportMenu implements ReactiveController {
  format: Format = 'png';
  framesPerStep: number = kAnimationDefaults.framesPerStep;
  width: number = kAnimationDefaults.width;
  phase: Phase = { kind: 'idle' };
  private abort: AbortController | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly source: () => SourceOrReason,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.abort?.abort();
    this.forgetFile();
  }

  /** The drawing and encoding code loads with the first export: the page does not carry it. */
  async image(format: ImageFormat): Promise<Blob> {
    return (await import('./exporter')).exportImage(this.source, format);
  }

  async animation(format: AnimationFormat, options?: AnimationOptions): Promise<Blob> {
    return (await import('./exporter')).exportAnimation(this.source, format, options);
  }

  /** The UI's export: one at a time, its progress and outcome shown under the toolbar. */
  async start(): Promise<void> {
    if (this.phase.kind === 'encoding') return;
    this.forgetFile();
    const format = this.format;
    const abort = new AbortController();
    this.abort = abort;
    this.set({ kind: 'encoding', done: 0, total: 0 });
    try {
      const blob = isAnimation(format)
        ? await this.animation(format, {
            framesPerStep: this.framesPerStep,
            width: this.width,
            signal: abort.signal,
            onProgress: (done, total) => this.set({ kind: 'encoding', done, total }),
          })
        : await this.image(format);
      this.set({ kind: 'done', name: `trajectory-race.${format}`, url: URL.createObjectURL(blob), size: blob.size });
    } catch (error) {
      const cancelled = abort.signal.aborted;
      this.set(cancelled ? { kind: 'idle' } : { kind: 'failed', message: error instanceof Error ? error.message : String(error) });
      // Cancel disappears with the encoding: keyboard focus goes back to the Export button.
      if (cancelled) void this.focusExport();
    } finally {
      this.abort = null;
    }
  }

  cancel(): void {
    this.abort?.abort();
  }

  private async focusExport(): Promise<void> {
    await this.host.updateComplete;
    (this.host as Partial<HTMLElement>).shadowRoot?.querySelector<HTMLButtonElement>('.export-start')?.focus();
  }

  private set(phase: Phase): void {
    this.phase = phase;
    this.host.requestUpdate();
  }

  private forgetFile(): void {
    if (this.phase.kind === 'done') URL.revokeObjectURL(this.phase.url);
  }

  /** The toolbar field. */
  render(): TemplateResult {
    const busy = this.phase.kind === 'encoding';
    const limits = kAnimationLimits;
    return html`
      <div class="field export" role="group" aria-labelledby="export-label">
        <span id="export-label">Export</span>
        <div class="buttons">
          <select aria-label="export format" .value=${this.format} ?disabled=${busy}
            @change=${(e: Event) => {
              this.format = (e.target as HTMLSelectElement).value as Format;
              this.host.requestUpdate();
            }}>
            ${kFormats.map((f) => html`<option value=${f.id} ?selected=${f.id === this.format}>${f.label}</option>`)}
          </select>
          ${
            isAnimation(this.format)
              ? html`
            <label class="export-number"><span>frames/step</span><input type="number" min=${limits.framesPerStep.min} max=${limits.framesPerStep.max} step="1"
              .value=${String(this.framesPerStep)} ?disabled=${busy} aria-label="frames per step"
              @change=${(e: Event) => {
                this.framesPerStep = Number((e.target as HTMLInputElement).value);
              }}></label>
            <label class="export-number"><span>width</span><input type="number" min=${limits.width.min} max=${limits.width.max} step="2"
              .value=${String(this.width)} ?disabled=${busy} aria-label="width in pixels"
              @change=${(e: Event) => {
                this.width = Number((e.target as HTMLInputElement).value);
              }}></label>`
              : nothing
          }
          <button type="button" class="export-start" ?disabled=${busy} @click=${() => this.start()}>Export</button>
        </div>
      </div>`;
  }

  /** The line under the toolbar: progress and Cancel, the file, or what went wrong. */
  renderStatus(): TemplateResult | typeof nothing {
    const phase = this.phase;
    switch (phase.kind) {
      case 'idle':
        return nothing;
      case 'encoding':
        return html`<p class="export-status" role="status">
          <span>Encoding ${this.format.toUpperCase()}…</span>
          <progress aria-label="export progress" max=${phase.total || 1} .value=${phase.done}></progress>
          <span class="counter">${phase.total ? `${phase.done} / ${phase.total} frames` : ''}</span>
          <button type="button" class="export-cancel" @click=${() => this.cancel()}>Cancel</button></p>`;
      case 'done':
        return html`<p class="export-status" role="status">
          <span>${phase.name}: <strong class="export-size">${fileSize(phase.size)}</strong></span>
          <a class="export-save" href=${phase.url} download=${phase.name}>Save ${phase.name}</a></p>`;
      case 'failed':
        return html`<p class="export-status error" role="alert">Export failed: ${phase.message}</p>`;
    }
  }
}

export const exportMenuStyles = css`
  .export .buttons {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--or-space-3);
  }
  .export-number {
    display: flex;
    align-items: center;
    gap: var(--or-space-2);
    color: var(--or-muted);
    font-size: var(--or-font-size-md);
  }
  .export-number input {
    width: 5em;
  }
  .export-status {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--or-space-4);
    margin: 0;
    font-size: var(--or-font-size-md);
  }
  .export-status progress {
    width: 12em;
  }
  /* Where ./figure.ts draws the frames: laid out and styled by the element's stylesheet, never seen. */
  .export-stage {
    position: fixed;
    left: -100000px;
    top: 0;
    width: 1200px;
    visibility: hidden;
    pointer-events: none;
    color: var(--or-text);
    background-color: var(--or-bg);
    font-family: var(--or-font);
  }
  .figure-muted {
    color: var(--or-muted);
  }
`;
