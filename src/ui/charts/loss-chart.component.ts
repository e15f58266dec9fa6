import { html, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import uPlot from 'uplot';
import { emptyRange, mergeRange } from './columns';
import { LossData, type LossSeries } from './loss-data';
import { styles } from './loss-chart.styles';
import type { MarkerShape } from '../markers';
import { iterationPlotOptions } from './iteration-plot';
import { plottedLabel, seriesLabelProblems } from './series-label';
import { UPlotChart, type LegendItem } from './uplot-chart';
import { logAxisFilters } from './log-axis';

/** "seed": 0 to 1 as in the seed's figure (0 to yMax when set); "auto": fit the data; "log": log10, fit the data. */
export type LossYRange = 'seed' | 'auto' | 'log';
export const kLossYRanges: readonly LossYRange[] = ['seed', 'auto', 'log'];
/** The seed's markevery: a marker on each smoothed curve every 100 iterations (0, 100, 200, ...). */
export const kMarkerEvery = 100;

/** 1, 2 or 5 times a power of ten at or below v (v > 0). */
function niceLogFloor(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  const m = v / p;
  return (m >= 5 ? 5 : m >= 2 ? 2 : 1) * p;
}

/** 1, 2 or 5 times a power of ten at or above v (v > 0). */
function niceLogCeil(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  const m = v / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/**
 * Live training loss of the racers, as in the seed's optimizer_compare_mnist figure: each racer's
 * raw loss faint and its smoothed curve (the seed's Kaiser(11, 2) smoothing) solid in its colour,
 * a marker every 100 iterations (SGD o, Momentum x, AdaGrad s, Adam D, RMSprop v, Nesterov ^), y
 * from 0 to 1 by default with auto and log options, a legend whose entries show and hide racers,
 * and a read-out of every racer's loss at the cursor. Built on uPlot.
 *
 * Append to each racer's `losses` array in place and call refresh(): the chart smooths only what
 * is new (and the 5 values before it), rewrites only the columns from there on, thins to two
 * points per pixel once there are more than 4 per pixel, and draws at most once per animation
 * frame however often refresh() is called. Give it a new `series` array when racers change.
 *
 * What it deliberately does not do (uPlot's "non-features" spirit): no animations or transitions
 * (live data just redraws), no zoom or pan (the race is short; the y-axis toggle covers the
 * useful views), no per-point tooltips (the cursor read-out gives every racer's value at once),
 * no smoothing control (the seed's window is part of the experiment), no value labels on the
 * curves, no data outside the racers' own arrays (it never copies or owns the history).
 *
 * @csspart base - the element's outer box
 * @csspart toolbar - the y-axis toggle, the raw-loss switch and the read-out
 * @csspart readout - the iteration under the cursor (or the latest)
 * @csspart message - notices about invalid series
 * @csspart plot - the box uPlot draws in (role="img" with a summary)
 * @csspart legend - the list of racers with their losses at the cursor
 *
 * @cssproperty --or-chart-height - height of the plot (default 300px)
 * @cssproperty --or-chart-grid - grid line colour (default: --or-border)
 * @cssproperty --or-font - font family (also the axes')
 * @cssproperty --or-mono - font of the values
 * @cssproperty --or-bg - background (and the outline of markers)
 * @cssproperty --or-text - legend text
 * @cssproperty --or-muted - axes, tick labels, the read-out
 * @cssproperty --or-border - plot border, toggle borders
 * @cssproperty --or-accent - the selected toggle, focus rings
 * @cssproperty --or-danger - invalid input, divergence notes
 */
export class LossChart extends UPlotChart {
  static override styles = [...UPlotChart.styles, styles];

  /** The racers. Append to their `losses` and call refresh(); assign a new array when racers change. */
  @property({ attribute: false }) series: LossSeries[] = [];

  /** The y axis: "seed" (0 to 1, or 0 to yMax), "auto" or "log". */
  @property({ attribute: 'y-range', reflect: true }) yRange: LossYRange = 'seed';

  /** Top of the "seed" y range (default 1; the seed's weight-init race uses 2.5). */
  @property({ type: Number, attribute: 'y-max' }) yMax?: number;

  /** Right end of the x axis (e.g. the planned iterations), so the axis does not grow as data comes in. */
  @property({ type: Number, attribute: 'x-max' }) xMax?: number;

  /** Show the raw (unsmoothed) losses as faint lines. */
  @state() private showRaw = true;

  private readonly data = new LossData();
  private problems: string[] = [];

  private get mode(): LossYRange {
    return kLossYRanges.includes(this.yRange) ? this.yRange : 'seed';
  }

  private get seedTop(): number {
    return this.yMax != null && Number.isFinite(this.yMax) && this.yMax > 0 ? this.yMax : 1;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('series') || changed.has('yRange') || changed.has('yMax')) this.problems = this.validate();
    if (changed.has('series')) this.seriesAssigned(this.plotted());
    if (changed.has('yRange')) this.rebuild(); // log and linear scales are different uPlot scales
    if (changed.has('yMax') || changed.has('xMax')) this.refresh();
  }

  private validate(): string[] {
    const problems: string[] = [];
    if (!Array.isArray(this.series)) return ['series must be an array of {name, color, marker, losses, diverged}'];
    for (const [i, s] of this.series.entries()) {
      const label = seriesLabelProblems(s, i, 'required');
      problems.push(...label.problems);
      if (label.entry && !Array.isArray(s.losses)) problems.push(`${label.who}: losses must be an array of numbers`);
    }
    if (!kLossYRanges.includes(this.yRange)) problems.push(`y-range must be seed, auto or log (got ${String(this.yRange)}); showing seed`);
    if (this.yMax != null && !(Number.isFinite(this.yMax) && this.yMax > 0))
      problems.push(`y-max must be a positive number (got ${String(this.yMax)}); using 1`);
    return problems;
  }

  /** The series as plotted: malformed entries are drawn with safe defaults (the message says why). */
  private plotted(): LossSeries[] {
    if (!Array.isArray(this.series)) return [];
    return this.series.map((s, i) => ({
      ...plottedLabel(s, i),
      losses: Array.isArray(s?.losses) ? s.losses : [],
      diverged: typeof s?.diverged === 'number' ? s.diverged : null,
    }));
  }

  protected override message(): string {
    return this.problems.join('; ');
  }

  protected override buildData(plotWidth: number): uPlot.AlignedData {
    this.data.sync(this.plotted());
    return this.data.columns(plotWidth);
  }

  protected override plotOptions(size: { width: number; height: number }): uPlot.Options {
    const series: uPlot.Series[] = [{}];
    for (const s of this.plotted()) {
      series.push({ label: `${s.name} (raw)`, class: 'raw', stroke: s.color, width: 1, alpha: 0.3, points: { show: false } });
      series.push({ label: s.name, class: 'smooth', stroke: s.color, width: 2, points: { show: false } });
    }
    const log = this.mode === 'log';
    return iterationPlotOptions(
      size,
      series,
      () => this.xExtent(),
      log ? { distr: 3, log: 10, range: () => this.yExtent() } : { range: () => this.yExtent() },
      [
        this.axis('iterations', { size: 34 }),
        this.axis(log ? 'loss (log scale)' : 'loss', log ? { size: 50, ...logAxisFilters(() => this.yExtent()) } : { size: 50 }),
      ],
    );
  }

  private xExtent(): number {
    return Math.max(1, this.data.length - 1, this.xMax !== undefined && Number.isFinite(this.xMax) ? this.xMax : 0);
  }

  private yExtent(): uPlot.Range.MinMax {
    const mode = this.mode;
    if (mode === 'seed') return [0, this.seedTop];
    const range = emptyRange();
    this.plotted().forEach((_, r) => {
      if (this.hiddenSeries.has(r)) return;
      mergeRange(range, this.data.range(r, 'smooth'));
      if (this.showRaw) mergeRange(range, this.data.range(r, 'raw'));
    });
    if (mode === 'log') {
      if (!Number.isFinite(range.minPositive)) return [0.01, 10];
      return [niceLogFloor(range.minPositive), niceLogCeil(Math.max(range.max, range.minPositive * 1.01))];
    }
    if (!Number.isFinite(range.min)) return [0, this.seedTop];
    const [lo, hi] = uPlot.rangeNum(range.min, range.max, 0.1, true);
    // Losses are non-negative: do not pad below zero.
    return [range.min >= 0 ? Math.max(0, lo ?? 0) : lo, hi];
  }

  protected override isSeriesShown(seriesIndex: number): boolean {
    const raw = seriesIndex % 2 === 1;
    return super.isSeriesShown(seriesIndex) && (!raw || this.showRaw);
  }

  protected override seriesOf(legendIndex: number): number[] {
    return [1 + 2 * legendIndex, 2 + 2 * legendIndex];
  }

  protected override drawMarkers(u: uPlot, draw: (shape: MarkerShape, x: number, y: number, color: string) => void): number {
    const log = this.mode === 'log';
    let count = 0;
    this.plotted().forEach((s, r) => {
      if (this.hiddenSeries.has(r)) return;
      const values = this.data.smoothed(r);
      for (let it = 0; it < values.length; it += kMarkerEvery) {
        const v = values[it];
        if (!Number.isFinite(v) || (log && v <= 0)) continue;
        draw(s.marker, u.valToPos(it, 'x', true), u.valToPos(v, 'y', true), s.color);
        count++;
      }
    });
    return count;
  }

  /** The iteration the legend shows: under the cursor, else the latest. */
  private shownIteration(): number {
    return this.hoverX !== null ? Math.round(this.hoverX) : this.data.length - 1;
  }

  protected override legendItems(): LegendItem[] {
    const at = this.shownIteration();
    return this.plotted().map((s, r) => {
      // Past a racer's divergence the latest value is its last finite one.
      const shownAt = this.hoverX === null ? Math.min(at, this.data.lastFinite(r)) : at;
      return {
        name: s.name,
        color: s.color,
        marker: s.marker,
        visible: !this.hiddenSeries.has(r),
        value: UPlotChart.format(this.data.smoothedAt(r, shownAt)),
        detail: this.showRaw ? `raw ${UPlotChart.format(this.data.rawAt(r, shownAt))}` : undefined,
        warning: s.diverged !== null ? `diverged at ${s.diverged}` : undefined,
        group: s.group,
        title: s.settings,
      };
    });
  }

  protected override readout(): string {
    if (this.data.length === 0) return 'no iterations yet';
    return this.hoverX !== null ? `iteration ${this.shownIteration()}` : `iteration ${this.data.length - 1} (latest)`;
  }

  protected override summary(): string {
    const racers = this.plotted();
    const n = racers.length;
    if (n === 0) return 'loss chart: no racers';
    const head = `loss of ${n} racer${n === 1 ? '' : 's'}`;
    if (this.data.length === 0) return `${head}: no iterations yet`;
    let best = -1;
    let bestLoss = Infinity;
    racers.forEach((_, r) => {
      const v = this.data.smoothedAt(r, this.data.lastFinite(r));
      if (v < bestLoss) {
        bestLoss = v;
        best = r;
      }
    });
    const diverged = racers.filter((s) => s.diverged !== null).map((s) => s.name);
    return (
      `${head} over ${this.data.length} iterations` +
      (best >= 0 ? `; lowest: ${racers[best].name} ${UPlotChart.format(bestLoss, 3)}` : '') +
      (diverged.length ? `; diverged: ${diverged.join(', ')}` : '')
    );
  }

  protected override renderControls(): TemplateResult {
    const labels: Record<LossYRange, [string, string]> = {
      seed: [`0–${this.seedTop}`, `the seed's figure: y from 0 to ${this.seedTop}`],
      auto: ['auto', 'fit the y axis to the data'],
      log: ['log', 'logarithmic y axis fitted to the data'],
    };
    return html`
      ${this.renderYRangeToggle(kLossYRanges, this.mode, labels, (v) => {
        this.yRange = v;
      })}
      <label class="check"><input type="checkbox" .checked=${this.showRaw}
        @change=${(e: Event) => {
          this.showRaw = (e.target as HTMLInputElement).checked;
          this.refresh();
        }}>raw loss</label>`;
  }
}
