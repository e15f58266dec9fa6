import type { PropertyValues, TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import uPlot from 'uplot';
import { AccuracyData, type AccuracySeries } from './accuracy-data';
import { emptyRange, mergeRange } from './columns';
import type { MarkerShape } from '../markers';
import { iterationPlotOptions } from './iteration-plot';
import { plottedLabel, seriesLabelProblems } from './series-label';
import { UPlotChart, type LegendItem } from './uplot-chart';

/** "full": 0 to 100 %; "auto": zoomed to the data. */
export type AccuracyYRange = 'full' | 'auto';
export const kAccuracyYRanges: readonly AccuracyYRange[] = ['full', 'auto'];

interface PlottedAccuracy {
  name: string;
  color: string;
  marker: MarkerShape;
  points: AccuracySeries['points'];
  group: string | undefined;
  settings: string | undefined;
}

/**
 * Test (or, with measured="validation", validation) accuracy (%) of the racers at each evaluation checkpoint against iterations, a marker at
 * every checkpoint in the racer's marker shape, and where the checkpoints carry `train` (a race that
 * measures accuracy on its training images) a dashed line of that beside each racer's test line
 * (shown and hidden with it); y from 0 to 100 % or zoomed to the data, a legend
 * whose entries show and hide racers, and a read-out of every racer's accuracy at the cursor.
 * Built on uPlot. Append to each racer's `points` in place and call refresh(); redraws at most once
 * per animation frame. `test` values are fractions in [0, 1], as the race engine records them.
 *
 * Deliberately not done: no animations, no zoom or pan, no per-point tooltips (the cursor read-out
 * shows every racer at once), no interpolation between checkpoints beyond straight lines.
 *
 * @csspart base - the element's outer box
 * @csspart toolbar - the y-axis toggle and the read-out
 * @csspart readout - the checkpoint under the cursor (or the latest)
 * @csspart message - notices about invalid points
 * @csspart plot - the box uPlot draws in (role="img" with a summary)
 * @csspart legend - the list of racers with their accuracy at the cursor
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
 * @cssproperty --or-danger - invalid input
 */
export class AccuracyChart extends UPlotChart {
  /** The racers' accuracy checkpoints. Append to `points` and call refresh(); assign a new array when racers change. */
  @property({ attribute: false }) series: AccuracySeries[] = [];

  /** The y axis: "full" (0 to 100 %) or "auto" (zoomed to the data). */
  @property({ attribute: 'y-range', reflect: true }) yRange: AccuracyYRange = 'full';

  /** What the solid lines show: `test`, or `validation` (a race holding a validation share out, which never touches the test set). */
  @property() measured: 'test' | 'validation' = 'test';

  /** Right end of the x axis (e.g. the planned iterations), to line up with the loss chart. */
  @property({ type: Number, attribute: 'x-max' }) xMax?: number;

  private readonly data = new AccuracyData();
  /** The plot has the training-accuracy series (built with them: a change rebuilds it). */
  private trainPlotted = false;
  private structuralProblems: string[] = [];
  private pointProblems: string[] = [];

  private get mode(): AccuracyYRange {
    return kAccuracyYRanges.includes(this.yRange) ? this.yRange : 'full';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('series') || changed.has('yRange')) this.structuralProblems = this.validate();
    if (changed.has('series') || changed.has('measured')) this.seriesAssigned(this.plotted());
    if (changed.has('yRange') || changed.has('xMax')) this.refresh();
  }

  private validate(): string[] {
    if (!Array.isArray(this.series)) return ['series must be an array of {name, color, marker?, points}'];
    const problems: string[] = [];
    for (const [i, s] of this.series.entries()) {
      const label = seriesLabelProblems(s, i, 'optional');
      problems.push(...label.problems);
      if (label.entry && !Array.isArray(s.points)) problems.push(`${label.who}: points must be an array of {iteration, test}`);
    }
    if (!kAccuracyYRanges.includes(this.yRange)) problems.push(`y-range must be full or auto (got ${String(this.yRange)}); showing full`);
    return problems;
  }

  private plotted(): PlottedAccuracy[] {
    if (!Array.isArray(this.series)) return [];
    return this.series.map((s, i) => ({
      ...plottedLabel(s, i),
      points: !Array.isArray(s?.points) ? [] : this.measured === 'validation' ? s.points.map((p) => ({ ...p, test: p?.validation })) : s.points,
    }));
  }

  /** Points the chart cannot show, named, so that a unit mix-up (percent for fraction) is obvious. */
  private checkPoints(series: readonly PlottedAccuracy[]): string[] {
    const problems: string[] = [];
    for (const s of series) {
      const bad = s.points.find(
        (p) => !(Number.isFinite(p?.iteration) && p.iteration >= 0 && Number.isFinite(p?.test) && (p.test as number) >= 0 && (p.test as number) <= 1),
      );
      if (bad)
        problems.push(
          `${s.name}: ${this.measured} accuracy must be a fraction in [0, 1] at a finite iteration (got ${this.measured} ${String(bad?.test)} at iteration ${String(bad?.iteration)}); such points are not drawn`,
        );
      const badTrain = s.points.find((p) => p?.train !== undefined && !(Number.isFinite(p.train) && p.train >= 0 && p.train <= 1));
      if (badTrain)
        problems.push(
          `${s.name}: training accuracy must be a fraction in [0, 1] (got train ${String(badTrain.train)} at iteration ${badTrain.iteration}); not drawn`,
        );
    }
    return problems;
  }

  protected override message(): string {
    return [...this.structuralProblems, ...this.pointProblems].join('; ');
  }

  protected override buildData(): uPlot.AlignedData {
    const series = this.plotted();
    this.pointProblems = this.checkPoints(series);
    const inRange = (v: number | undefined) => v === undefined || (v >= 0 && v <= 1);
    const data = this.data.build(
      series.map((s) => ({
        points: s.points.filter((p) => p && inRange(p.test) && p.iteration >= 0).map((p) => (inRange(p.train) ? p : { ...p, train: undefined })),
      })),
    );
    // The first training accuracy adds the dashed series (and the plot is built again, in this frame).
    if (this.data.hasTrain !== this.trainPlotted) this.rebuild();
    return data;
  }

  protected override plotOptions(size: { width: number; height: number }): uPlot.Options {
    const series: uPlot.Series[] = [{}];
    const plotted = this.plotted();
    for (const s of plotted) series.push({ label: s.name, stroke: s.color, width: 2, points: { show: false } });
    this.trainPlotted = this.data.hasTrain;
    if (this.trainPlotted)
      for (const s of plotted) series.push({ label: `${s.name} (train)`, stroke: s.color, width: 1.5, dash: [6, 4], points: { show: false } });
    return iterationPlotOptions(size, series, () => this.xExtent(), { range: () => this.yExtent() }, [
      this.axis('iterations', { size: 34 }),
      this.axis(this.trainPlotted ? 'accuracy (%)' : `${this.measured} accuracy (%)`, { size: 50 }),
    ]);
  }

  private xExtent(): number {
    const checkpoints = this.data.checkpoints;
    const last = checkpoints.length ? checkpoints[checkpoints.length - 1] : 0;
    return Math.max(1, last, this.xMax !== undefined && Number.isFinite(this.xMax) ? this.xMax : 0);
  }

  private yExtent(): uPlot.Range.MinMax {
    if (this.mode === 'full') return [0, 100];
    const range = emptyRange();
    this.plotted().forEach((_, r) => {
      if (this.hiddenSeries.has(r)) return;
      mergeRange(range, this.data.range(r));
      if (this.trainPlotted) mergeRange(range, this.data.trainRange(r));
    });
    if (!Number.isFinite(range.min)) return [0, 100];
    const pad = Math.max(1, 0.1 * (range.max - range.min));
    return [Math.max(0, Math.floor(range.min - pad)), Math.min(100, Math.ceil(range.max + pad))];
  }

  protected override seriesOf(legendIndex: number): number[] {
    return this.trainPlotted ? [1 + legendIndex, 1 + this.plotted().length + legendIndex] : [1 + legendIndex];
  }

  protected override drawMarkers(u: uPlot, draw: (shape: MarkerShape, x: number, y: number, color: string) => void): number {
    const checkpoints = this.data.checkpoints;
    let count = 0;
    this.plotted().forEach((s, r) => {
      if (this.hiddenSeries.has(r)) return;
      const values = this.data.values(r);
      for (let i = 0; i < values.length; i++) {
        if (!Number.isFinite(values[i])) continue;
        draw(s.marker, u.valToPos(checkpoints[i], 'x', true), u.valToPos(values[i], 'y', true), s.color);
        count++;
      }
    });
    return count;
  }

  protected override legendItems(): LegendItem[] {
    return this.plotted().map((s, r) => {
      let value = NaN;
      let train = NaN;
      if (this.hoverX !== null) [value, train] = [this.data.at(r, this.hoverX), this.data.trainAt(r, this.hoverX)];
      else {
        const values = this.data.values(r);
        const trains = this.data.trainValues(r);
        for (let i = values.length - 1; i >= 0 && !Number.isFinite(value); i--) [value, train] = [values[i], trains[i] ?? NaN];
      }
      const trainText = Number.isFinite(train) ? ` · train ${train.toFixed(1)} %` : '';
      return {
        name: s.name,
        color: s.color,
        marker: s.marker,
        visible: !this.hiddenSeries.has(r),
        value: Number.isFinite(value) ? `${value.toFixed(1)} %${trainText}` : '–',
        group: s.group,
        title: s.settings,
      };
    });
  }

  protected override readout(): string {
    const checkpoints = this.data.checkpoints;
    if (checkpoints.length === 0) return 'no evaluations yet';
    const at = this.hoverX ?? checkpoints[checkpoints.length - 1];
    const epoch = this.data.epochAt(at);
    return `${epoch === undefined ? '' : `epoch ${epoch} · `}iteration ${at}${this.hoverX === null ? ' (latest)' : ''}`;
  }

  protected override summary(): string {
    const racers = this.plotted();
    const n = racers.length;
    if (n === 0) return `${this.measured} accuracy chart: no racers`;
    const checkpoints = this.data.checkpoints;
    const head = `${this.measured} accuracy of ${n} racer${n === 1 ? '' : 's'}`;
    if (checkpoints.length === 0) return `${head}: no evaluations yet`;
    let best = -1;
    let bestValue = -Infinity;
    racers.forEach((_, r) => {
      const values = this.data.values(r);
      for (let i = values.length - 1; i >= 0; i--) {
        if (!Number.isFinite(values[i])) continue;
        if (values[i] > bestValue) {
          bestValue = values[i];
          best = r;
        }
        break;
      }
    });
    return (
      `${head} at ${checkpoints.length} checkpoint${checkpoints.length === 1 ? '' : 's'} up to iteration ${checkpoints[checkpoints.length - 1]}` +
      (best >= 0 ? `; best: ${racers[best].name} ${bestValue.toFixed(1)} %` : '') +
      (this.trainPlotted ? '; dashed lines: accuracy on the training images' : '')
    );
  }

  protected override renderControls(): TemplateResult {
    const labels: Record<AccuracyYRange, [string, string]> = {
      full: ['0–100 %', 'y from 0 to 100 %'],
      auto: ['auto', 'zoom the y axis to the data'],
    };
    return this.renderYRangeToggle(kAccuracyYRanges, this.mode, labels, (v) => {
      this.yRange = v;
    });
  }
}
