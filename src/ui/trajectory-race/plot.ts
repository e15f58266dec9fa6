/**
 * One square plot of a 2D function as SVG: contour lines, axes with tick labels, the minima '+'
 * and saddles 'x', the start handle and any number of racer paths ('o-' style markers).
 */
import { svg, type SVGTemplateResult } from 'lit';
import { cssomStyle } from '../cssom-style';
import type { Function2D, Point } from '../../race2d/functions';
import { markerPath, type MarkerShape } from '../markers';
import { contourLines } from './contours';
import type { View, VisiblePath } from './path-geometry';
import { shortNumber } from '../../util/short-number';

export interface PlotSeries {
  id: string;
  color: string;
  marker: MarkerShape;
  path: VisiblePath;
}

const kMargin = { left: 34, right: 10, top: 10, bottom: 22 };

/** Maps data coordinates to SVG user units and back. */
export class PlotFrame {
  readonly width: number;
  readonly height: number;
  readonly plotWidth: number;
  readonly plotHeight: number;

  constructor(
    readonly view: View,
    plotSize: number,
  ) {
    this.plotWidth = plotSize;
    this.plotHeight = plotSize * ((view.y[1] - view.y[0]) / (view.x[1] - view.x[0]));
    this.width = kMargin.left + this.plotWidth + kMargin.right;
    this.height = kMargin.top + this.plotHeight + kMargin.bottom;
  }

  get sx(): number {
    return this.plotWidth / (this.view.x[1] - this.view.x[0]);
  }
  get sy(): number {
    return this.plotHeight / (this.view.y[1] - this.view.y[0]);
  }
  px(x: number): number {
    return kMargin.left + (x - this.view.x[0]) * this.sx;
  }
  py(y: number): number {
    return kMargin.top + (this.view.y[1] - y) * this.sy;
  }

  /** SVG user units to data coordinates, clamped to the view. */
  toData(ux: number, uy: number): Point {
    const clamp = (v: number, [lo, hi]: Point): number => Math.min(hi, Math.max(lo, v));
    return [clamp(this.view.x[0] + (ux - kMargin.left) / this.sx, this.view.x), clamp(this.view.y[1] - (uy - kMargin.top) / this.sy, this.view.y)];
  }
}

/** 4 to 7 ticks on a 1-2-5 step, inside [lo, hi]. */
export function niceTicks(lo: number, hi: number): number[] {
  const span = hi - lo;
  let step = 10 ** Math.floor(Math.log10(span / 6));
  for (const k of [1, 2, 5, 10]) {
    if (span / (step * k) <= 6) {
      step *= k;
      break;
    }
  }
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) ticks.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return ticks;
}

const formatTick = (t: number): string => shortNumber(t, 6).replace('-', '−');

function polyline(frame: PlotFrame, points: readonly Point[]): string {
  return points.map(([x, y], i) => `${i ? 'L' : 'M'}${frame.px(x).toFixed(2)} ${frame.py(y).toFixed(2)}`).join('');
}

export interface PlotContent {
  fn: Function2D;
  frame: PlotFrame;
  /** Unique within the shadow root: names the clip path. */
  clipId: string;
  series: PlotSeries[];
  start: Point | null;
  markerRadius: number;
  /** Skip markers on long paths; they would merge into a blur. */
  showMarkers: boolean;
  /** Drawn over the paths, inside the clip (the optimizer state at the step shown). */
  overlay?: SVGTemplateResult[];
}

/** The SVG children of a plot (the caller owns the <svg> element and its events). */
export function plotContent({ fn, frame, clipId, series, start, markerRadius, showMarkers, overlay }: PlotContent): SVGTemplateResult {
  const { view } = frame;
  const left = frame.px(view.x[0]);
  const top = frame.py(view.y[1]);
  const bottom = frame.py(view.y[0]);
  const toPlot = `matrix(${frame.sx} 0 0 ${-frame.sy} ${frame.px(0)} ${frame.py(0)})`;
  const cross = (p: Point, size: number, rotate: boolean): string => {
    const [x, y] = [frame.px(p[0]), frame.py(p[1])];
    return rotate
      ? `M${x - size} ${y - size}l${2 * size} ${2 * size}m0 ${-2 * size}l${-2 * size} ${2 * size}`
      : `M${x - size} ${y}h${2 * size}M${x} ${y - size}v${2 * size}`;
  };
  return svg`
    <defs><clipPath id=${clipId}><rect x=${left} y=${top} width=${frame.plotWidth} height=${frame.plotHeight}></rect></clipPath></defs>
    <rect class="plot-bg" x=${left} y=${top} width=${frame.plotWidth} height=${frame.plotHeight}></rect>
    <g clip-path="url(#${clipId})">
      <g class="contours" transform=${toPlot}>
        ${contourLines(fn).map((line) => svg`<path d=${line.d} data-level=${line.level}></path>`)}
      </g>
      ${fn.minima.map((m) => svg`<path class="minimum" d=${cross(m, 5, false)}><title>minimum (${m.join(', ')})</title></path>`)}
      ${fn.saddles.map((s) => svg`<path class="saddle" d=${cross(s, 4, true)}><title>saddle point (${s.join(', ')})</title></path>`)}
      ${series.map(
        (s) => svg`
        <g class="trace" data-racer=${s.id} data-points=${s.path.markers.length} ${cssomStyle({ '--trace': s.color })}>
          <path class="trace-line" d=${s.path.lines.map((l) => polyline(frame, l)).join('')}></path>
          ${showMarkers ? svg`<path class=${`trace-markers ${s.marker}`} d=${s.path.markers.map(([x, y]) => markerPath(s.marker, frame.px(x), frame.py(y), markerRadius)).join('')}></path>` : null}
        </g>`,
      )}
      ${overlay ?? null}
      ${start ? svg`<circle class="start" cx=${frame.px(start[0])} cy=${frame.py(start[1])} r=${markerRadius + 3}><title>start (${start.join(', ')})</title></circle>` : null}
    </g>
    <rect class="frame" x=${left} y=${top} width=${frame.plotWidth} height=${frame.plotHeight}></rect>
    <g class="axis" aria-hidden="true">
      ${niceTicks(view.x[0], view.x[1]).map(
        (t) => svg`
        <line x1=${frame.px(t)} x2=${frame.px(t)} y1=${bottom} y2=${bottom + 4}></line>
        <text x=${frame.px(t)} y=${bottom + 15} text-anchor="middle">${formatTick(t)}</text>`,
      )}
      ${niceTicks(view.y[0], view.y[1]).map(
        (t) => svg`
        <line x1=${left - 4} x2=${left} y1=${frame.py(t)} y2=${frame.py(t)}></line>
        <text x=${left - 6} y=${frame.py(t) + 3.5} text-anchor="end">${formatTick(t)}</text>`,
      )}
    </g>`;
}
