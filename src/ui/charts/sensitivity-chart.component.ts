import { html, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import uPlot from 'uplot';
import { optimizerSpec } from '../../optim/registry';
import { sensitivity, type Sensitivity, type SweptRacer } from '../../race/sensitivity';
import { drawMarker, isMarkerShape, type MarkerShape } from '../markers';
import { kSensitivityMetrics, sensitivityView, shortValue, viewData, type SensitivityMetric, type SensitivityView } from './sensitivity-data';
import { kMarkerRadius, UPlotChart, type LegendItem } from './uplot-chart';
import { CanvasLabels } from './chart-labels';
import { logXAxis } from './log-axis';

const markerOf = (id: string): MarkerShape => {
  const own = optimizerSpec(id).marker;
  return isMarkerShape(own) ? own : 'circle';
};

/**
 * A sweep's sensitivity: per optimizer one curve of the final loss (mean of the last 10% of the
 * iterations, src/race/sensitivity.ts) or of the last test accuracy against the swept value, in
 * the optimizer's colour and marker, on a log x axis for lr. A diverged racer is a marked point
 * (its marker in a ring of the danger colour) at the worst edge: the top for the loss, the bottom
 * for the accuracy; its curve has a gap there. Each optimizer's best value (lowest final loss) is
 * labelled on the plot and in the legend. Give it the race's history (`racers`) and the swept
 * `key`; bump `revision` (or call refresh()) as the race reports, and it follows live.
 *
 * Deliberately not done: no error bars (one seed per value), no interpolation between values.
 *
 * @csspart base - the element's outer box
 * @csspart plot - the box uPlot draws in (role="img" with a summary)
 * @csspart legend - one entry per optimizer with its best value
 */
export class SensitivityChart extends UPlotChart {
  /** The race's racers (RacerHistory has every field needed); racers without `key` are left out. */
  @property({ attribute: false }) racers: readonly SweptRacer[] = [];
  /** The swept hyperparameter ('lr', 'momentum', ...). */
  @property() key = 'lr';
  /** 'loss' (final loss) or 'accuracy' (test accuracy, %). */
  @property() metric: SensitivityMetric = 'loss';
  /** Any change recomputes the analysis (the host passes the race's iteration and evaluation count). */
  @property() revision = '';

  private analysisCache: Sensitivity = { key: 'lr', curves: [] };
  private viewCache: SensitivityView = sensitivityView(this.analysisCache, 'loss');

  /** The analysis as last computed (src/race/sensitivity.ts). */
  get analysis(): Sensitivity {
    return this.analysisCache;
  }

  /** What is plotted: columns, diverged points, best labels. */
  get view(): SensitivityView {
    return this.viewCache;
  }

  private get mode(): SensitivityMetric {
    return kSensitivityMetrics.includes(this.metric) ? this.metric : 'loss';
  }

  override refresh(): void {
    this.recompute();
    super.refresh();
  }

  private recompute(): void {
    this.analysisCache = sensitivity(Array.isArray(this.racers) ? this.racers : [], this.key);
    this.viewCache = sensitivityView(this.analysisCache, this.mode);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!(changed.has('racers') || changed.has('key') || changed.has('metric') || changed.has('revision'))) return;
    const scaleChanged = changed.has('key') || changed.has('metric');
    this.recompute();
    this.seriesAssigned(this.viewCache.optimizers.map((id) => ({ name: optimizerSpec(id).label, color: optimizerSpec(id).color, marker: markerOf(id) })));
    if (scaleChanged) this.rebuild();
  }

  protected override buildData(): uPlot.AlignedData {
    return viewData(this.viewCache);
  }

  private xRange(): uPlot.Range.MinMax {
    const xs = this.viewCache.xs;
    if (xs.length === 0) return this.viewCache.log ? [1e-4, 1] : [0, 1];
    const [lo, hi] = [xs[0], xs[xs.length - 1]];
    if (this.viewCache.log) return [lo / 1.5, hi * 1.5];
    const pad = (hi - lo || Math.abs(hi) || 1) * 0.06;
    return [lo - pad, hi + pad];
  }

  private yRange(): uPlot.Range.MinMax {
    if (this.mode === 'accuracy') return [0, 100];
    let max = 0;
    for (const column of this.viewCache.columns) for (const y of column) if (y !== null && y > max) max = y;
    // Head room for the labels and for the diverged marks along the top.
    return [0, max > 0 ? max * 1.25 : 2.5];
  }

  protected override plotOptions({ width, height }: { width: number; height: number }): uPlot.Options {
    const log = this.viewCache.log;
    const series: uPlot.Series[] = [{}];
    for (const id of this.viewCache.optimizers)
      series.push({ label: optimizerSpec(id).label, stroke: optimizerSpec(id).color, width: 2, points: { show: false } });
    return {
      width,
      height,
      series,
      padding: [18, 18, 0, 0],
      scales: {
        x: log ? { time: false, distr: 3, log: 10, range: () => this.xRange() } : { time: false, range: () => this.xRange() },
        y: { range: () => this.yRange() },
      },
      axes: [
        this.axis(log ? `${this.key} (log scale)` : this.key, log ? { size: 34, ...logXAxis(() => this.xRange()) } : { size: 34 }),
        this.axis(this.mode === 'loss' ? 'final loss (mean of last 10%)' : 'test accuracy (%)', { size: 50 }),
      ],
    };
  }

  protected override drawMarkers(u: uPlot, draw: (shape: MarkerShape, x: number, y: number, color: string) => void): number {
    const v = this.viewCache;
    const ratio = uPlot.pxRatio;
    let count = 0;
    v.optimizers.forEach((id, c) => {
      if (this.hiddenSeries.has(c)) return;
      const color = optimizerSpec(id).color;
      v.columns[c].forEach((y, i) => {
        if (y === null) return;
        draw(markerOf(id), u.valToPos(v.xs[i], 'x', true), u.valToPos(y, 'y', true), color);
        count++;
      });
    });
    const ctx = u.ctx;
    const edge = this.mode === 'loss' ? u.bbox.top + 6 * ratio : u.bbox.top + u.bbox.height - 6 * ratio;
    for (const d of v.diverged) {
      if (this.hiddenSeries.has(v.optimizers.indexOf(d.optimizer))) continue;
      const x = u.valToPos(d.value, 'x', true);
      ctx.beginPath();
      ctx.arc(x, edge, kMarkerRadius * 2 * ratio, 0, 2 * Math.PI);
      ctx.strokeStyle = this.theme.danger;
      ctx.lineWidth = 1.5 * ratio;
      ctx.stroke();
      drawMarker(ctx, markerOf(d.optimizer), x, edge, kMarkerRadius * ratio, optimizerSpec(d.optimizer).color, this.theme.background, ratio);
      count++;
    }
    ctx.font = `600 ${11 * ratio}px ${this.theme.font}`;
    const labels = new CanvasLabels(u, ratio);
    for (const b of v.best) {
      if (this.hiddenSeries.has(v.optimizers.indexOf(b.optimizer)) || !Number.isFinite(b.y)) continue;
      labels.draw(b.text, u.valToPos(b.value, 'x', true), u.valToPos(b.y, 'y', true), optimizerSpec(b.optimizer).color);
    }
    return count;
  }

  protected override legendItems(): LegendItem[] {
    const v = this.viewCache;
    const at = this.hoverX === null ? -1 : v.xs.indexOf(this.hoverX);
    return v.optimizers.map((id, c) => {
      const best = v.best.find((b) => b.optimizer === id);
      const diverged = v.diverged.filter((d) => d.optimizer === id).length;
      const y = at >= 0 ? v.columns[c][at] : null;
      const value = at >= 0 ? (y === null ? '–' : this.mode === 'loss' ? UPlotChart.format(y) : `${y.toFixed(1)}%`) : best ? best.text : 'no best yet';
      return {
        name: optimizerSpec(id).label,
        color: optimizerSpec(id).color,
        marker: markerOf(id),
        visible: !this.hiddenSeries.has(c),
        value,
        warning: diverged ? `${diverged} diverged` : undefined,
      };
    });
  }

  protected override seriesOf(legendIndex: number): number[] {
    return [legendIndex + 1];
  }

  protected override readout(): string {
    if (this.viewCache.xs.length === 0) return 'no racers with this key';
    return this.hoverX !== null ? `${this.key} = ${shortValue(this.hoverX)}` : `best ${this.key} per optimizer`;
  }

  protected override summary(): string {
    const v = this.viewCache;
    const what = this.mode === 'loss' ? 'final loss' : 'test accuracy';
    if (v.optimizers.length === 0) return `${what} against ${this.key}: no racers`;
    const best = v.best.map((b) => `${optimizerSpec(b.optimizer).label} ${this.key}=${shortValue(b.value)}`).join(', ');
    const diverged = v.diverged.map((d) => d.name).join(', ');
    return `${what} against ${this.key} for ${v.optimizers.length} optimizers${best ? `; best: ${best}` : ''}${diverged ? `; diverged: ${diverged}` : ''}`;
  }

  protected override renderControls(): TemplateResult {
    return html`<span class="group-label">${this.mode === 'loss' ? 'Final loss' : 'Test accuracy'} against ${this.key}</span>`;
  }
}
