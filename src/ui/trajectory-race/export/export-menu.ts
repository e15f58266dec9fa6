/**
 * The trajectory race's "Export" control: a format (PNG, SVG, GIF, WebM), frames per step and width
 * for the animations, a progress bar and Cancel while encoding, then the file's size and a Save
 * link (../../media/export-job.ts). A failed or cancelled export says so and leaves the race as it was;
 * so does one whose code cannot be loaded (offline: ../../../util/load-chunk.ts).
 */
import { css, html, nothing, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { ExportJob } from '../../media/export-job';
import { errorMessage } from '../../../util/error-message';
import { loadChunk } from '../../../util/load-chunk';
import { exportJobStyles } from '../../media/export-job.styles';
import { kAnimationDefaults, kAnimationLimits, type AnimationFormat, type AnimationOptions, type ImageFormat, type SourceOrReason } from './export-options';

type Format = ImageFormat | AnimationFormat;
const kFormats: readonly { id: Format; label: string }[] = [
  { id: 'png', label: 'PNG' },
  { id: 'svg', label: 'SVG' },
  { id: 'gif', label: 'GIF' },
  { id: 'webm', label: 'WebM' },
];
/** Where WebCodecs is missing the WebM choice says at once that it will write a GIF. */
const label = (f: (typeof kFormats)[number]): string => (f.id === 'webm' && typeof VideoEncoder === 'undefined' ? 'WebM (a GIF here: no WebCodecs)' : f.label);

const exporter = (format: Format) => loadChunk(`the ${format.toUpperCase()} export`, () => import('./exporter'));

const isAnimation = (format: Format): format is AnimationFormat => format === 'gif' || format === 'webm';

export class ExportMenu {
  format: Format = 'png';
  framesPerStep: number = kAnimationDefaults.framesPerStep;
  width: number = kAnimationDefaults.width;
  /** The export under way or done, and its status line: loaded with the first export. */
  job: ExportJob | null = null;
  /** Why the export line's own code could not be loaded, until an export starts again. */
  private loadFailure: string | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly source: () => SourceOrReason,
  ) {}

  /** The drawing and encoding code loads with the first export: the page does not carry it. */
  async image(format: ImageFormat): Promise<Blob> {
    return (await exporter(format)).exportImage(this.source, format);
  }

  async animation(format: AnimationFormat, options?: AnimationOptions): Promise<Blob> {
    return (await exporter(format)).exportAnimation(this.source, format, options);
  }

  /** The UI's export: one at a time, its progress and outcome shown under the toolbar; a WebM falls back to GIF where video cannot be encoded. */
  async start(): Promise<void> {
    const format = this.format;
    const { framesPerStep, width } = this;
    try {
      this.job ??= new (await loadChunk('the export', () => import('../../media/export-job'))).ExportJob(this.host, '.export-start');
      this.loadFailure = null;
    } catch (error) {
      this.loadFailure = errorMessage(error);
      this.host.requestUpdate();
      return;
    }
    return this.job.start(
      format.toUpperCase(),
      'trajectory-race',
      (signal, onProgress) =>
        isAnimation(format) ? this.animation(format, { framesPerStep, width, signal, onProgress, gifFallback: true }) : this.image(format),
      format,
    );
  }

  /** The toolbar field. */
  render(): TemplateResult {
    const busy = !!this.job?.busy;
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
            ${kFormats.map((f) => html`<option value=${f.id} ?selected=${f.id === this.format}>${label(f)}</option>`)}
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
    if (this.job) return this.job.renderStatus();
    return this.loadFailure ? html`<p class="export-status error" role="alert">${this.loadFailure}</p>` : nothing;
  }
}

export const exportMenuStyles = css`
  ${exportJobStyles}
  .export .buttons {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--or-space-3);
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
