/**
 * The 2D race as one standalone SVG document, at any step: the plots are drawn by the element's own
 * plot code (../race-plots.ts `plotParts`, with the step to show in place of the animation's), into
 * a hidden stage inside the shadow root so the element's stylesheet applies, then cloned with their
 * computed styles inlined and laid out as the page lays them out: the grid's columns or the overlay's
 * plot and legend, each racer's name and status, and the function's formula on top. With the 3D
 * view on, the figure keeps a slot for it where the page shows it (above the grid, beside the
 * overlay's legend), 5:4 like the view: ./exporter.ts paints the surface there (../surface-view/surface-snapshot.ts).
 */
import { html, render, svg, type TemplateResult } from 'lit';
import { optimizerSpec } from '../../../optim/registry';
import type { Function2D } from '../../../race2d/functions';
import { markerPath } from '../../markers';
import { shownRacers } from '../extra-racers';
import { gridPlotOptions, overlayPlotOptions, plotParts, type PlotOptions, type RacePlotsHost } from '../race-plots';
import { renderStatus } from '../racer-card';
import type { RacerSetting } from '../racer-settings';
import type { RaceView } from '../url-state';
import type { SurfaceView } from '../surface-view/surface-view.component';
import { cloneWithStyles } from './inline-styles';

const kSvgNs = 'http://www.w3.org/2000/svg';
/** Figure layout in SVG units (the plots' own units: a grid panel is 284 wide). */
const kPad = 12;
const kTitleHeight = 26;
const kHeadHeight = 20;
const kGap = 12;
const kLegendWidth = 260;
const kLegendRow = 38;
/** The 3D view's slot: at most this wide above the grid; the stage's aspect (surface-view.styles.ts). */
const kSurfaceMaxWidth = 480;
const kSurfaceAspect = 5 / 4;

export interface FigureSource {
  /** The element's plots host; the figure replaces its `revealed()` with the step asked for. */
  plots: RacePlotsHost;
  fn: Function2D;
  view: RaceView;
  /** Grid columns as the page shows them. */
  columns: number;
  /** An empty element inside the shadow root, hidden, where the frames are drawn. */
  stage: HTMLElement;
  /** The 3D view as shown, or null when it is off (or not loaded yet). */
  surface: SurfaceView | null;
}

/** A rectangle in SVG units. */
export interface Slot {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Figure {
  /** The standalone SVG document's text. */
  text: string;
  /** Size in SVG units = CSS pixels at scale 1. */
  width: number;
  height: number;
  /** Where the 3D view goes (it is in the SVG only as `surfaceImage`), or null without it. */
  surface: Slot | null;
}

interface Cell {
  setting: RacerSetting | null;
  options: PlotOptions;
}

/** The figure at `step` (null: the whole paths); `surfaceImage`: a picture's URL put in the 3D view's slot. */
export function drawFigure(source: FigureSource, step: number | null, surfaceImage?: string): Figure {
  const { fn, view, stage } = source;
  const host: RacePlotsHost = { ...source.plots, revealed: () => step };
  const racers = shownRacers(host.racers());
  const cells: Cell[] =
    view === 'grid'
      ? racers.map((setting) => ({ setting, options: gridPlotOptions(host, fn, setting) }))
      : [{ setting: null, options: overlayPlotOptions(host, fn) }];
  render(
    html`<div class="figure ${view}">
      ${cells.map(({ options }, i) => {
        const { frame, content } = plotParts(host, fn, { ...options, clipId: `figure-${i}-${options.clipId}` });
        return html`<svg class="plot ${options.className ?? ''}" xmlns=${kSvgNs} viewBox="0 0 ${frame.width} ${frame.height}"
          width=${frame.width} height=${frame.height}>${content}</svg>`;
      })}
      ${racers.map((setting) => html`<span class="figure-status" data-racer=${setting.optimizer}>${renderStatus(host, fn, setting)}</span>`)}
      <span class="figure-muted"></span>
    </div>`,
    stage,
  );
  const plots = [...stage.querySelectorAll<SVGSVGElement>('svg.plot')];
  const colors = getComputedStyle(stage);
  const muted = getComputedStyle(stage.querySelector('.figure-muted')!).color;
  const status = (setting: RacerSetting): { text: string; color: string } => {
    const span = stage.querySelector(`.figure-status[data-racer="${setting.optimizer}"] .status`);
    return { text: span?.textContent?.trim() ?? '', color: span ? getComputedStyle(span).color : muted };
  };
  const doc = document.implementation.createDocument(kSvgNs, 'svg', null);
  const root = doc.documentElement;
  const add = (parent: Element, template: TemplateResult): void => {
    const holder = document.createElementNS(kSvgNs, 'g');
    render(template, holder);
    for (const child of [...holder.children]) parent.append(doc.importNode(child, true));
  };
  const font = colors.fontFamily;
  const label = (x: number, y: number, text: string, color: string, size: number, weight = 400, anchor = 'start'): TemplateResult =>
    html`${svg`<text x=${x} y=${y} fill=${color} font-family=${font} font-size=${size} font-weight=${weight} text-anchor=${anchor}>${text}</text>`}`;

  let width: number;
  let height: number;
  let surface: Slot | null = null;
  const placePlot = (plot: SVGSVGElement, x: number, y: number): void => {
    const clone = doc.importNode(cloneWithStyles(plot), true) as SVGSVGElement;
    clone.setAttribute('x', String(x));
    clone.setAttribute('y', String(y));
    clone.removeAttribute('class');
    root.append(clone);
  };
  if (view === 'grid') {
    const columns = Math.max(1, Math.min(source.columns, cells.length));
    const cellWidth = Math.max(...plots.map((p) => p.width.baseVal.value));
    const cellHeight = kHeadHeight + Math.max(...plots.map((p) => p.height.baseVal.value));
    const rows = Math.ceil(cells.length / columns);
    width = 2 * kPad + columns * cellWidth + (columns - 1) * kGap;
    if (source.surface) {
      const w = Math.min(kSurfaceMaxWidth, width - 2 * kPad);
      surface = { x: (width - w) / 2, y: kTitleHeight + kPad, width: w, height: w / kSurfaceAspect };
    }
    const top = kTitleHeight + kPad + (surface ? surface.height + kGap : 0);
    height = top + rows * cellHeight + (rows - 1) * kGap + kPad;
    cells.forEach(({ setting }, i) => {
      if (!setting) return;
      const x = kPad + (i % columns) * (cellWidth + kGap);
      const y = top + Math.floor(i / columns) * (cellHeight + kGap);
      const { label: name, color } = optimizerSpec(setting.optimizer);
      const { text, color: statusColor } = status(setting);
      add(
        root,
        html`${svg`<circle cx=${x + 40} cy=${y + 9} r="4" fill=${color} stroke=${color}></circle>`}
          ${label(x + 48, y + 13, name, colors.color, 12, 600)}${label(x + cellWidth - 4, y + 13, text, statusColor, 11, 400, 'end')}`,
      );
      placePlot(plots[i], x, y + kHeadHeight);
    });
  } else {
    const plot = plots[0];
    const plotWidth = plot.width.baseVal.value;
    const plotHeight = plot.height.baseVal.value;
    if (source.surface)
      surface = { x: kPad + plotWidth + 2 * kGap + kLegendWidth, y: kTitleHeight + kPad, width: plotHeight * kSurfaceAspect, height: plotHeight };
    width = 2 * kPad + plotWidth + kGap + kLegendWidth + (surface ? surface.width + kGap : 0);
    height = kTitleHeight + kPad + Math.max(plotHeight, racers.length * kLegendRow) + kPad;
    placePlot(plot, kPad, kTitleHeight + kPad);
    racers.forEach((setting, i) => {
      const x = kPad + plotWidth + kGap;
      const y = kTitleHeight + kPad + i * kLegendRow;
      const { label: name, color, marker } = optimizerSpec(setting.optimizer);
      const { text, color: statusColor } = status(setting);
      add(
        root,
        html`${svg`<line x1=${x} y1=${y + 9} x2=${x + 22} y2=${y + 9} stroke=${color} stroke-width="1.6"></line>
          <path d=${markerPath(marker, x + 11, y + 9, 3.4)} fill=${marker === 'cross' ? 'none' : color} stroke=${color}></path>`}
          ${label(x + 30, y + 13, name, colors.color, 12, 600)}${label(x + 30, y + 28, text, statusColor, 11)}`,
      );
    });
  }
  render(html``, stage);
  root.setAttribute('width', String(width));
  root.setAttribute('height', String(height));
  root.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const background = document.createElementNS(kSvgNs, 'rect');
  for (const [k, v] of Object.entries({ width: '100%', height: '100%', fill: colors.backgroundColor })) background.setAttribute(k, v);
  root.prepend(doc.importNode(background, true));
  add(root, label(kPad, kPad + 10, fn.formula, colors.color, 14, 600));
  if (surface && surfaceImage) {
    const { x, y, width: w, height: h } = surface;
    add(root, html`${svg`<image x=${x} y=${y} width=${w} height=${h} href=${surfaceImage} preserveAspectRatio="none"></image>`}`);
  }
  return { text: new XMLSerializer().serializeToString(doc), width, height, surface };
}
