/** The 2D race's plots: a 3x2 grid of panels (the seed's figure) or all paths on one plot with a legend. */
import { html, svg, type SVGTemplateResult, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { optimizerSpec } from '../../optim/registry';
import type { Function2D } from '../../race2d/functions';
import type { TrajectoryResult } from '../../race2d/trajectory';
import { cssomStyle } from '../cssom-style';
import { markerPath } from '../markers';
import { shownRacers } from './extra-racers';
import { visiblePath } from './path-geometry';
import { PlotFrame, plotContent, type PlotSeries } from './plot';
import { renderHyperparameters, renderIncludeToggle, renderStatus, snapshotOf, type RacerCardHost } from './racer-card';
import type { RacerSetting } from './racer-settings';
import type { StartPointInput } from './start-point';
import { stateOverlay } from './state-drawing';

/** Plot sizes in SVG units: the grid's panels and the overlay's one big plot. */
const kPanelPlotSize = 240;
const kOverlayPlotSize = 460;
/** More points than this per path: draw the line without markers. */
const kMaxMarkers = 400;

export interface RacePlotsHost extends RacerCardHost {
  racers(): readonly RacerSetting[];
  results(): readonly TrajectoryResult[];
  /** Narrow element: the overlay is drawn at the panels' size. */
  compact(): boolean;
  startInput: StartPointInput;
}

function series(host: RacePlotsHost, fn: Function2D, setting: RacerSetting, marker: PlotSeries['marker']): PlotSeries | null {
  const result = setting.included ? host.result(setting.optimizer) : undefined;
  if (!result) return null;
  return {
    id: setting.optimizer,
    color: optimizerSpec(setting.optimizer).color,
    marker,
    path: visiblePath(result.path, fn.view, host.revealed() ?? Infinity),
  };
}

export interface PlotOptions {
  size: number;
  clipId: string;
  series: PlotSeries[];
  label: string;
  markerRadius: number;
  className?: string;
  /** Racers whose optimizer state is drawn at the step shown. */
  states: readonly RacerSetting[];
}

/** One plot's frame and SVG children at the step `host.revealed()` shows (the page and the exports, ./export/, draw both with this). */
export function plotParts(host: RacePlotsHost, fn: Function2D, o: PlotOptions): { frame: PlotFrame; content: SVGTemplateResult } {
  const frame = new PlotFrame(fn.view, o.size);
  const overlay = o.states.flatMap((setting) => {
    const snapshot = snapshotOf(host, setting);
    return snapshot ? [stateOverlay(frame, snapshot)] : [];
  });
  const showMarkers = (host.results()[0]?.path.length ?? 0) <= kMaxMarkers;
  const { clipId, markerRadius } = o;
  return { frame, content: plotContent({ fn, frame, clipId, series: o.series, start: host.startInput.point, markerRadius, showMarkers, overlay }) };
}

function renderPlot(host: RacePlotsHost, fn: Function2D, o: PlotOptions): TemplateResult {
  const { frame, content } = plotParts(host, fn, o);
  const on = host.startInput.handlers(frame, fn);
  return html`
    <svg class="plot ${o.className ?? ''}" part="plot" viewBox="0 0 ${frame.width} ${frame.height}" tabindex="0" role="application"
      aria-roledescription="plot" aria-label="${o.label}. Click anywhere, drag or use the arrow keys to move the start point."
      @pointerdown=${on.pointerdown} @pointermove=${on.pointermove} @pointerup=${on.pointerup} @pointercancel=${on.pointerup}
      @click=${on.click} @keydown=${on.keydown}
    >${content}</svg>`;
}

/** A grid panel's plot: the racer's path alone. */
export function gridPlotOptions(host: RacePlotsHost, fn: Function2D, setting: RacerSetting): PlotOptions {
  const path = series(host, fn, setting, 'circle');
  return {
    size: kPanelPlotSize,
    clipId: `clip-${setting.optimizer}`,
    series: path ? [path] : [],
    label: `${optimizerSpec(setting.optimizer).label} path on ${fn.formula}`,
    markerRadius: 2.6,
    states: [setting],
  };
}

/** The overlay's plot: every shown racer's path with its own marker. */
export function overlayPlotOptions(host: RacePlotsHost, fn: Function2D): PlotOptions {
  const paths = shownRacers(host.racers()).flatMap((s) => series(host, fn, s, optimizerSpec(s.optimizer).marker) ?? []);
  const compact = host.compact();
  return {
    size: compact ? kPanelPlotSize : kOverlayPlotSize,
    clipId: 'clip-overlay',
    series: paths,
    label: `All paths on ${fn.formula}`,
    markerRadius: compact ? 2.8 : 3.4,
    className: compact ? 'compact' : '',
    states: host.racers(),
  };
}

export function renderGrid(host: RacePlotsHost, fn: Function2D): TemplateResult {
  return html`
    <div class="panels">
      ${repeat(
        shownRacers(host.racers()),
        (r) => r.optimizer,
        (setting) => {
          const spec = optimizerSpec(setting.optimizer);
          return html`
          <section class="panel ${setting.included ? '' : 'excluded'}" part="panel" data-racer=${setting.optimizer}
            ${cssomStyle({ '--trace': spec.color })} aria-label=${spec.label}>
            <header class="panel-head">
              ${renderIncludeToggle(host, setting, svg`<circle cx="6" cy="6" r="4"></circle>`)}
              ${renderStatus(host, fn, setting)}
            </header>
            ${renderPlot(host, fn, gridPlotOptions(host, fn, setting))}
            ${renderHyperparameters(host, setting)}
          </section>`;
        },
      )}
    </div>`;
}

export function renderOverlay(host: RacePlotsHost, fn: Function2D): TemplateResult {
  const racers = shownRacers(host.racers());
  return html`
    <div class="overlay">
      <div class="overlay-plot">
        ${renderPlot(host, fn, overlayPlotOptions(host, fn))}
      </div>
      <ul class="legend" part="legend" aria-label="Racers">
        ${repeat(
          racers,
          (r) => r.optimizer,
          (setting) => {
            const { color, marker } = optimizerSpec(setting.optimizer);
            return html`
          <li class="legend-item ${setting.included ? '' : 'excluded'}" data-racer=${setting.optimizer}
            ${cssomStyle({ '--trace': color })}>
            <div class="panel-head">
              ${renderIncludeToggle(
                host,
                setting,
                svg`<line x1="0" y1="6" x2="22" y2="6"></line>
                <path class=${marker} d=${markerPath(marker, 11, 6, 3.4)}></path>`,
                22,
              )}
              ${renderStatus(host, fn, setting)}
            </div>
            ${renderHyperparameters(host, setting)}
          </li>`;
          },
        )}
      </ul>
    </div>`;
}
