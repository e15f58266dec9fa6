/**
 * A small SVG line chart of accuracy (y 0..1) per epoch (x 0..xMax), as the book's matplotlib
 * figures draw them: solid or dashed lines, optional markers every n epochs. Plain SVG scaled by
 * its viewBox (a few hundred points at most: no canvas or uPlot needed); lines keep their width at
 * any size (non-scaling strokes); colours come from the stylesheet (classes `primary`, `secondary`).
 */
import { html, svg, type SVGTemplateResult, type TemplateResult } from 'lit';
import { markerPath, type MarkerShape } from '../markers';
import type { Point } from './figure-data';

export interface PlotLine {
  /** Names the line in the DOM (data-series), e.g. 'bn', 'train'. */
  id: string;
  points: readonly Point[];
  tone: 'primary' | 'secondary';
  dashed: boolean;
  /** A marker on every point whose epoch is a multiple of `markEvery` (matplotlib's markevery). */
  marker?: { shape: MarkerShape; every: number };
}

export interface PlotFrame {
  /** viewBox size: the font size (user units) is the same at every size, so a smaller box reads larger. */
  width: number;
  height: number;
  /** The last epoch on the x axis (the first is 0). */
  xMax: number;
  xLabel?: string;
  yLabel?: string;
  /** y ticks: 0, 0.5, 1 (compact) or 0, 0.2, ..., 1. */
  compact?: boolean;
}

const kMargin = { top: 8, right: 10, bottom: 30, left: 38 };
const kMarkerRadius = 3.5;

/** Round steps (1, 2, 5 × 10^k) from 0 to `max`, at most `most` of them. */
export function niceTicks(max: number, most = 5): number[] {
  if (!(max > 0)) return [0];
  let step = 10 ** Math.floor(Math.log10(max));
  for (const factor of [0.1, 0.2, 0.5, 1, 2, 5, 10]) {
    const s = 10 ** Math.floor(Math.log10(max)) * factor;
    if (s >= 1 && Math.floor(max / s) + 1 <= most) {
      step = s;
      break;
    }
  }
  return Array.from({ length: Math.floor(max / step) + 1 }, (_, k) => k * step);
}

/** The chart as an <svg role="img"> labelled `label` (its text alternative). */
export function linePlot(lines: readonly PlotLine[], frame: PlotFrame, label: string): TemplateResult {
  const { width, height } = frame;
  const x0 = kMargin.left;
  const x1 = width - kMargin.right;
  const y0 = height - kMargin.bottom;
  const y1 = kMargin.top;
  const xMax = Math.max(frame.xMax, 1);
  const sx = (x: number): number => x0 + ((x1 - x0) * x) / xMax;
  const sy = (y: number): number => y0 + (y1 - y0) * y;
  const yTicks = frame.compact ? [0, 0.5, 1] : [0, 0.2, 0.4, 0.6, 0.8, 1];
  const xTicks = niceTicks(xMax, frame.compact ? 4 : 6);
  const f = (v: number): string => v.toFixed(1);
  const grid: SVGTemplateResult[] = [
    ...yTicks.map(
      (t) => svg`<line class="grid" x1=${x0} x2=${x1} y1=${f(sy(t))} y2=${f(sy(t))}></line>
        <text class="tick" x=${x0 - 5} y=${f(sy(t))} text-anchor="end" dominant-baseline="middle">${t === 0 || t === 1 ? t : t.toFixed(1)}</text>`,
    ),
    ...xTicks.map((t) => svg`<text class="tick" x=${f(sx(t))} y=${y0 + 14} text-anchor="middle">${t}</text>`),
  ];
  const drawn = lines.map((line) => {
    const points = line.points.map((p) => `${f(sx(p.x))},${f(sy(p.y))}`).join(' ');
    const marker = line.marker;
    const markers = marker ? line.points.filter((p) => p.x % marker.every === 0).map((p) => markerPath(marker.shape, sx(p.x), sy(p.y), kMarkerRadius)) : [];
    return svg`<g class="series ${line.tone}" data-series=${line.id}>
      <polyline class="line ${line.dashed ? 'dashed' : 'solid'}" data-style=${line.dashed ? 'dashed' : 'solid'} points=${points}></polyline>
      ${markers.map((d) => svg`<path class="marker" data-marker=${marker?.shape ?? ''} d=${d}></path>`)}
    </g>`;
  });
  return html`<svg class="plot" viewBox="0 0 ${width} ${height}" role="img" aria-label=${label}>
    ${grid}
    <line class="axis" x1=${x0} x2=${x0} y1=${y1} y2=${y0}></line>
    <line class="axis" x1=${x0} x2=${x1} y1=${y0} y2=${y0}></line>
    ${frame.xLabel ? svg`<text class="axis-label" x=${f((x0 + x1) / 2)} y=${height - 2} text-anchor="middle">${frame.xLabel}</text>` : ''}
    ${frame.yLabel ? svg`<text class="axis-label" transform="translate(11 ${f((y0 + y1) / 2)}) rotate(-90)" text-anchor="middle">${frame.yLabel}</text>` : ''}
    ${drawn}
  </svg>`;
}

/** A legend swatch (28 x 12) drawn like the line: its tone, solid or dashed, and its marker. */
export function lineSwatch(line: Pick<PlotLine, 'tone' | 'dashed' | 'marker'>): TemplateResult {
  return html`<svg class="swatch" viewBox="0 0 28 12" width="28" height="12" aria-hidden="true">
    <g class="series ${line.tone}">
      <line class="line ${line.dashed ? 'dashed' : 'solid'}" x1="1" y1="6" x2="27" y2="6"></line>
      ${line.marker ? svg`<path class="marker" d=${markerPath(line.marker.shape, 14, 6, kMarkerRadius)}></path>` : ''}
    </g>
  </svg>`;
}
