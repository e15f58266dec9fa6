import { html, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import uPlot from 'uplot';
import { optimizerSpec } from '../../optim/registry';
import { drawMarker, isMarkerShape, type MarkerShape } from '../markers';
import { lrFinderData, lrFinderRuns, lrFinderTop, type LrFinderRacer, type LrFinderRun } from './lr-finder-data';
import { kMarkerRadius, UPlotChart, type LegendItem } from './uplot-chart';
import { CanvasLabels } from './chart-labels';
import { logXAxis } from './log-axis';
import { shortNumber } from '../../util/short-number';

const markerOf = (id: string): MarkerShape => {
  const own = optimizerSpec(id).marker;
  return isMarkerShape(own) ? own : 'circle';
};
const short = (x: number): string => (Number.isFinite(x) ? shortNumber(x, 2) : '–');

/**
 * The LR range test (Smith 2015; fastai's and Lightning's LR finder): each range-test racer's
 * smoothed loss against its learning rate, which grew exponentially over the race, on a log x
 * axis, with a mark (its marker in a ring) at the steepest descent and a cross in the danger
 * colour where the loss diverged, both labelled with their lr. The analysis is src/race/lr-finder.ts's.
 * Give it the race's history (`racers`) and `iterations`; bump `revision` as the race reports.
 *
 * Deliberately not done: no suggested lr beyond the steepest descent (fastai offers several).
 *
 * @csspart base - the element's outer box
 * @csspart plot - the box uPlot draws in (role="img" with a summary)
 * @csspart legend - one entry per racer with its steepest-descent and divergence lr
 */
export class LrFinderChart extends UPlotChart {
  /** The race's racers; only those with a `range` schedule are plotted. */
  @property({ attribute: false }) racers: readonly LrFinderRacer[] = [];
  /** The race's iterations (the range schedule's total). */
  @property({ type: Number }) iterations = 1;
  /** Any change recomputes the analysis (the host passes the race's iteration and evaluation count). */
  @property() revision = '';

  private runsCache: LrFinderRun[] = [];
  private data: uPlot.AlignedData = [[]];

  /** Each range-test racer's analysis, as last computed. */
  get runs(): readonly LrFinderRun[] {
    return this.runsCache;
  }

  override refresh(): void {
    this.recompute();
    super.refresh();
  }

  private recompute(): void {
    this.runsCache = lrFinderRuns(Array.isArray(this.racers) ? this.racers : [], this.iterations);
    this.data = lrFinderData(this.runsCache);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!(changed.has('racers') || changed.has('iterations') || changed.has('revision'))) return;
    this.recompute();
    this.seriesAssigned(this.runsCache.map((r) => ({ name: r.name, color: optimizerSpec(r.optimizer).color, marker: markerOf(r.optimizer) })));
  }

  protected override buildData(): uPlot.AlignedData {
    return this.data;
  }

  private xRange(): uPlot.Range.MinMax {
    const lrs = this.data[0];
    return lrs.length ? [lrs[0] / 1.5, lrs[lrs.length - 1] * 1.5] : [1e-6, 10];
  }

  private yRange(): uPlot.Range.MinMax {
    const top = lrFinderTop(this.runsCache);
    return [0, top > 0 ? top * 1.2 : 2.5];
  }

  protected override plotOptions({ width, height }: { width: number; height: number }): uPlot.Options {
    const series: uPlot.Series[] = [{}];
    for (const r of this.runsCache) series.push({ label: r.name, stroke: optimizerSpec(r.optimizer).color, width: 2, points: { show: false } });
    return {
      width,
      height,
      series,
      padding: [18, 18, 0, 0],
      scales: { x: { time: false, distr: 3, log: 10, range: () => this.xRange() }, y: { range: () => this.yRange() } },
      axes: [this.axis('learning rate (log scale)', { size: 34, ...logXAxis(() => this.xRange()) }), this.axis('loss (smoothed)', { size: 50 })],
    };
  }

  protected override drawMarkers(u: uPlot, draw: (shape: MarkerShape, x: number, y: number, color: string) => void): number {
    const ctx = u.ctx;
    const ratio = uPlot.pxRatio;
    const top = u.bbox.top + 6 * ratio;
    let count = 0;
    ctx.font = `600 ${11 * ratio}px ${this.theme.font}`;
    const labels = new CanvasLabels(u, ratio);
    this.runsCache.forEach((run, r) => {
      if (this.hiddenSeries.has(r)) return;
      const { result } = run;
      const color = optimizerSpec(run.optimizer).color;
      if (result.steepest >= 0) {
        const p = result.points[result.steepest];
        const [x, y] = [u.valToPos(p.lr, 'x', true), u.valToPos(p.smoothed, 'y', true)];
        ctx.beginPath();
        ctx.arc(x, y, kMarkerRadius * 2 * ratio, 0, 2 * Math.PI);
        ctx.strokeStyle = color;
        ctx.lineWidth = 1.5 * ratio;
        ctx.stroke();
        draw(markerOf(run.optimizer), x, y, color);
        labels.draw(`steepest ${short(p.lr)}`, x, y - 3 * ratio, color);
        count++;
      }
      if (result.divergence >= 0) {
        const p = result.points[result.divergence];
        const x = u.valToPos(p.lr, 'x', true);
        const y = Number.isFinite(p.smoothed) ? Math.max(top, u.valToPos(p.smoothed, 'y', true)) : top;
        drawMarker(ctx, 'cross', x, y, kMarkerRadius * 1.4 * ratio, this.theme.danger, this.theme.background, ratio);
        labels.draw(`diverges ${short(p.lr)}`, x, y, this.theme.danger, true);
        count++;
      }
    });
    return count;
  }

  protected override legendItems(): LegendItem[] {
    const lrs = this.data[0];
    const at = this.hoverX === null ? -1 : lrs.indexOf(this.hoverX);
    return this.runsCache.map((run, r) => {
      const { result } = run;
      const y = at >= 0 ? (this.data[r + 1][at] ?? NaN) : NaN;
      return {
        name: run.name,
        color: optimizerSpec(run.optimizer).color,
        marker: markerOf(run.optimizer),
        visible: !this.hiddenSeries.has(r),
        value: at >= 0 ? UPlotChart.format(y) : `steepest ${short(result.steepestLr)}`,
        detail: at >= 0 ? undefined : `lowest ${short(result.minimumLr)}`,
        warning: result.divergence >= 0 ? `diverges at lr ${short(result.divergenceLr)}` : undefined,
      };
    });
  }

  protected override seriesOf(legendIndex: number): number[] {
    return [legendIndex + 1];
  }

  protected override readout(): string {
    if (this.runsCache.length === 0) return 'no LR range test racers';
    return this.hoverX !== null ? `lr ${short(this.hoverX)}` : 'steepest descent and divergence per racer';
  }

  protected override summary(): string {
    const runs = this.runsCache;
    if (runs.length === 0) return 'LR range test: no racers';
    const parts = runs.map(
      (r) =>
        `${r.name}: steepest at lr ${short(r.result.steepestLr)}, ${r.result.divergence >= 0 ? `diverges at ${short(r.result.divergenceLr)}` : 'no divergence'}`,
    );
    return `loss against learning rate; ${parts.join('; ')}`;
  }

  protected override renderControls(): TemplateResult {
    return html`<span class="group-label">Loss against the growing learning rate</span>`;
  }
}
