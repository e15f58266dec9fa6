/**
 * The MNIST race's loss chart as a time-lapse: the race replayed as a WebM video (a GIF where the
 * browser cannot encode video, said in the status line), from the export row (frames, width, a
 * progress bar and Cancel, then the file's size and a Save link) and from the element's API
 * (`exportTimelapse`). The drawing and the encoders (./loss-timelapse.ts) load when one starts.
 */
import { css, html, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { ExportJob, exportJobStyles } from '../media/export-job';
import type { MovieFormat } from '../media/movie';

export type { MovieFormat };
import type { ChartElement } from './race-controller';

export interface TimelapseOptions {
  /** Frames of the video (2 to 1000, default 100; at most one per iteration): frame i shows iterations 1 to ⌈N·(i+1)/frames⌉. */
  frames?: number;
  /** Width in pixels (160 to 2048, default 720; rounded to even for WebM); the height is the chart's with its legend. */
  width?: number;
  /** Where WebM cannot be encoded: write a GIF instead of failing (the Blob's type says which). */
  gifFallback?: boolean;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export const kTimelapseDefaults = { frames: 100, width: 720 } as const;
export const kTimelapseLimits = { frames: { min: 2, max: 1000 }, width: { min: 160, max: 2048 } } as const;

export type LossTimelapseHost = ReactiveControllerHost & HTMLElement & { renderRoot: HTMLElement | DocumentFragment };

export class LossTimelapse {
  readonly job: ExportJob;
  frames: number = kTimelapseDefaults.frames;
  width: number = kTimelapseDefaults.width;

  constructor(
    private readonly host: LossTimelapseHost,
    private readonly chart: () => ChartElement | null,
  ) {
    this.job = new ExportJob(host, '.timelapse-start');
  }

  /** The time-lapse as a Blob (video/webm, or image/gif). */
  async export(format: MovieFormat, options: TimelapseOptions = {}): Promise<Blob> {
    const { lossTimelapse } = await import('./loss-timelapse');
    return lossTimelapse(this.chart(), this.host.renderRoot, format, options);
  }

  start(): Promise<void> {
    const { frames, width } = this;
    return this.job.start(
      'the loss time-lapse',
      'optimizer-race-loss',
      (signal, onProgress) => this.export('webm', { frames, width, signal, onProgress, gifFallback: true }),
      'webm',
    );
  }

  /** Its row in the export group: the settings and the button; then the status line. */
  render(enabled: boolean): TemplateResult {
    const busy = this.job.busy;
    const limits = kTimelapseLimits;
    const number = (key: 'frames' | 'width', label: string, step: number) =>
      html`<label class="timelapse-number"><span>${key}</span><input type="number" min=${limits[key].min} max=${limits[key].max} step=${step}
        .value=${String(this[key])} ?disabled=${busy} aria-label=${label}
        @change=${(e: Event) => {
          this[key] = Number((e.target as HTMLInputElement).value);
        }}></label>`;
    const gif = typeof VideoEncoder === 'undefined';
    return html`<span class="timelapse" role="group" aria-label="loss chart time-lapse">
        ${number('frames', 'time-lapse frames', 1)}${number('width', 'time-lapse width in pixels', 2)}
        <button type="button" class="timelapse-start" data-export="loss-webm" ?disabled=${!enabled || busy} @click=${() => this.start()}
          >Loss time-lapse ${gif ? 'GIF (no WebCodecs here)' : 'WebM'}</button></span>
      ${this.job.renderStatus()}`;
  }
}

export const timelapseStyles = css`
  ${exportJobStyles}
  .timelapse {
    display: inline-flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--or-space-3);
  }
  .timelapse-number {
    display: flex;
    align-items: center;
    gap: var(--or-space-2);
    color: var(--or-muted);
    font-size: var(--or-font-size-md);
  }
  .timelapse-number input {
    width: 5em;
  }
  .export .export-status {
    flex-basis: 100%;
  }
`;
