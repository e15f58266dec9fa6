/**
 * The MNIST race's loss chart as a time-lapse: the race replayed as a WebM video (a GIF where the
 * browser cannot encode video, said in the status line), from the export row and from the
 * element's API (`exportTimelapse`). The page carries only the "Loss time-lapse…" button: its
 * panel (frames, width, Encode, progress and Cancel, the file's size and Save), the replay and the
 * encoders (./loss-timelapse.ts, ../media/) load when it is first pressed or an export starts; where
 * they cannot be loaded (offline) the button's line says so, and pressing it again tries again.
 */
import { css, html, nothing, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { errorMessage } from '../../util/error-message';
import { loadChunk } from '../../util/load-chunk';
import { exportJobStyles } from '../media/export-job.styles';
import type { MovieFormat } from '../media/movie';
import type { TimelapsePanel } from './loss-timelapse';
import type { ChartElement } from './race-controller';

export type { MovieFormat };

export interface TimelapseOptions {
  /** Frames of the video (2 to 1000, default 100; at most one per iteration): frame i shows iterations 1 to ⌈N·(i+1)/frames⌉. */
  frames?: number;
  /** Width in pixels (160 to 2048, default 720; even for WebM); the height is the chart's with its legend. */
  width?: number;
  /** Where WebM cannot be encoded: write a GIF instead of failing (the Blob's type says which). */
  gifFallback?: boolean;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export type LossTimelapseHost = ReactiveControllerHost & HTMLElement & { renderRoot: HTMLElement | DocumentFragment };

const timelapseCode = () => loadChunk('the time-lapse', () => import('./loss-timelapse'));

export class LossTimelapse {
  private panel: TimelapsePanel | null = null;
  /** Why the panel could not be loaded, until the button is pressed again. */
  private loadFailure: string | null = null;

  constructor(
    private readonly host: LossTimelapseHost,
    private readonly chart: () => ChartElement | null,
  ) {}

  /** The time-lapse as a Blob (video/webm, or image/gif). */
  async export(format: MovieFormat, options: TimelapseOptions = {}): Promise<Blob> {
    const { lossTimelapse } = await timelapseCode();
    return lossTimelapse(this.chart(), this.host.renderRoot, format, options);
  }

  private async open(): Promise<void> {
    let code: Awaited<ReturnType<typeof timelapseCode>>;
    try {
      code = await timelapseCode();
      this.loadFailure = null;
    } catch (error) {
      this.loadFailure = errorMessage(error);
      this.host.requestUpdate();
      return;
    }
    this.panel ??= new code.TimelapsePanel(this.host, (format, options) => this.export(format, options));
    this.host.requestUpdate();
    await this.host.updateComplete;
    this.host.renderRoot.querySelector<HTMLElement>('.timelapse-start')?.focus();
  }

  /** In the export row: the button that opens the panel, or the panel. */
  render(enabled: boolean): TemplateResult {
    return (
      this.panel?.render(enabled) ??
      html`<button type="button" data-export="loss-timelapse" aria-haspopup="true" ?disabled=${!enabled} @click=${() => this.open()}>Loss time-lapse…</button>${
        this.loadFailure ? html`<p class="export-status error" role="alert">${this.loadFailure}</p>` : nothing
      }`
    );
  }
}

export const timelapseStyles = css`
  ${exportJobStyles}
  .export .export-status {
    flex-basis: 100%;
  }
`;
