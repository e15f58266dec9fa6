/**
 * The loss chart replayed, and the panel that asks for it (loaded when a time-lapse starts or its
 * panel opens, with the encoders on use; ./loss-timelapse-controller.ts is what the page carries). A second
 * <loss-chart>, off screen in the element's shadow root so its tokens apply, gets the racers with
 * empty loss arrays, and for frame i their losses up to iteration ⌈N·(i+1)/frames⌉ are appended as
 * the live race appended them (so the smoothing, thinning and legend values are what the page
 * showed then); each frame is its snapshot (plot and legend) scaled to the width asked for.
 */
import { html, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { LossChart } from '../charts/loss-chart.component';
import { ExportJob } from '../media/export-job';
import { encodeMovie, type MovieFormat } from '../media/movie';
import type { ChartElement } from './race-controller';
import type { TimelapseOptions } from './loss-timelapse-controller';

export const kTimelapseDefaults = { frames: 100, width: 720 } as const;
export const kTimelapseLimits = { frames: { min: 2, max: 1000 }, width: { min: 160, max: 2048 } } as const;

/** 25 frames a second; the last frame stays a second. */
const kFrameMs = 40;
const kHoldMs = 1000;
/** How long the hidden chart may take to be laid out and built. */
const kLayoutTimeoutMs = 10_000;

function checkedInteger(name: keyof typeof kTimelapseLimits, value: number): number {
  const { min, max } = kTimelapseLimits[name];
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, got ${value}.`);
  return value;
}

const even = (v: number): number => 2 * Math.max(1, Math.round(v / 2));

async function built(chart: LossChart): Promise<void> {
  const until = performance.now() + kLayoutTimeoutMs;
  await chart.updateComplete;
  while (!chart.plot) {
    if (performance.now() > until) throw new Error('The time-lapse chart could not be laid out.');
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
}

export async function lossTimelapse(live: ChartElement | null, parent: Node, format: MovieFormat, options: TimelapseOptions): Promise<Blob> {
  if (format !== 'webm' && format !== 'gif') throw new Error(`exportTimelapse: format must be 'webm' or 'gif', got ${String(format)}.`);
  const asked = checkedInteger('frames', options.frames ?? kTimelapseDefaults.frames);
  const width = checkedInteger('width', options.width ?? kTimelapseDefaults.width);
  options.signal?.throwIfAborted();
  const chart = live as LossChart | null;
  const series = chart?.series ?? [];
  const iterations = Math.max(0, ...series.map((s) => s.losses.length));
  if (!chart || iterations < 2) throw new Error('Nothing to replay yet: the race has fewer than 2 iterations (press Start).');
  // A race that goes on during the export must not change its later frames.
  const losses = series.map((s) => s.losses.slice(0, iterations));
  const frames = Math.min(asked, iterations);
  const copies = series.map((s) => ({ ...s, losses: [] as number[], diverged: null as number | null }));
  const stage = document.createElement('div');
  stage.setAttribute('aria-hidden', 'true');
  stage.inert = true;
  stage.style.cssText = `position:fixed;left:-100000px;top:0;width:${width / (globalThis.devicePixelRatio || 1)}px;visibility:hidden;pointer-events:none`;
  const replay = document.createElement('loss-chart') as LossChart;
  Object.assign(replay, { series: copies, yRange: chart.yRange, yMax: chart.yMax, xMax: chart.xMax ?? iterations });
  stage.append(replay);
  parent.appendChild(stage);
  try {
    await built(replay);
    /** The chart with iterations 1 to `upTo`. */
    const snapshot = (upTo: number): HTMLCanvasElement => {
      copies.forEach((copy, r) => {
        if (copy.losses.length > upTo) copy.losses = [];
        copy.losses.push(...losses[r].slice(copy.losses.length, upTo));
        const diverged = series[r].diverged;
        copy.diverged = diverged !== null && diverged <= upTo ? diverged : null;
      });
      replay.refresh();
      return replay.snapshot();
    };
    // The movie's size is the whole race's picture's (the legend then has its most rows).
    const last = snapshot(iterations);
    const canvas = document.createElement('canvas');
    [canvas.width, canvas.height] = [even(width), even((last.height * even(width)) / last.width)];
    const draw = async (i: number): Promise<void> => {
      const picture = snapshot(Math.ceil((iterations * (i + 1)) / frames));
      const height = (picture.height * canvas.width) / picture.width;
      const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
      // The legend's corner holds the background colour; a legend with fewer rows than the last frame's leaves it below.
      const [r, g, b] = picture.getContext('2d')!.getImageData(0, 0, 1, 1).data;
      ctx.fillStyle = `rgb(${r} ${g} ${b})`;
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(picture, 0, 0, canvas.width, height);
    };
    const colors = series.map((s) => s.color);
    return await encodeMovie({ ...options, format, canvas, colors, frames, frameMs: kFrameMs, lastFrameMs: kHoldMs, draw });
  } finally {
    stage.remove();
  }
}

/** The time-lapse's settings and Encode button in the export row, then its status line (../media/export-job.ts). */
export class TimelapsePanel {
  readonly job: ExportJob;
  frames: number = kTimelapseDefaults.frames;
  width: number = kTimelapseDefaults.width;

  constructor(
    host: ReactiveControllerHost,
    private readonly run: (format: MovieFormat, options: TimelapseOptions) => Promise<Blob>,
  ) {
    this.job = new ExportJob(host, '.timelapse-start');
  }

  start(): Promise<void> {
    const { frames, width } = this;
    return this.job.start(
      'the loss time-lapse',
      'optimizer-race-loss',
      (signal, onProgress) => this.run('webm', { frames, width, signal, onProgress, gifFallback: true }),
      'webm',
    );
  }

  render(enabled: boolean): TemplateResult {
    const busy = this.job.busy;
    const number = (key: 'frames' | 'width', label: string, step: number) =>
      html`<label class="export-number"><span>${key}</span><input type="number" min=${kTimelapseLimits[key].min} max=${kTimelapseLimits[key].max} step=${step}
        .value=${String(this[key])} ?disabled=${busy} aria-label=${label}
        @change=${(e: Event) => {
          this[key] = Number((e.target as HTMLInputElement).value);
        }}></label>`;
    const gif = typeof VideoEncoder === 'undefined';
    return html`${number('frames', 'time-lapse frames', 1)}${number('width', 'time-lapse width in pixels', 2)}
      <button type="button" class="timelapse-start" data-export="loss-webm" ?disabled=${!enabled || busy} @click=${() => this.start()}
        >Loss time-lapse ${gif ? 'GIF (no WebCodecs here)' : 'WebM'}</button>
      ${this.job.renderStatus()}`;
  }
}
