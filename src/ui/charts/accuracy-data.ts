/**
 * The accuracy chart's columns: x = every checkpoint iteration of any racer (sorted), one column
 * per racer with its test accuracy in percent there (NaN where it has none, e.g. after diverging).
 * Checkpoints are few (iterations / evaluation interval), so the columns are rebuilt each time,
 * into reused buffers. No DOM.
 */
import type uPlot from 'uplot';
import type { MarkerShape } from '../markers';
import { Column, columnRange, emptyRange, type ColumnRange } from './columns';

/** A checkpoint as the race engine records it: `test` is the test accuracy as a fraction in [0, 1]. */
export interface AccuracyPoint {
  iteration: number;
  test: number;
}

/** One racer on the accuracy chart. */
export interface AccuracySeries {
  name: string;
  color: string;
  /** Defaults to a circle. */
  marker?: MarkerShape;
  /** Appended to in place; call refresh() after appending. */
  points: AccuracyPoint[];
  /** Legend group (a sweep's optimizer), as for the loss chart. */
  group?: string;
  /** The racer's settings: the legend entry's hover text. */
  settings?: string;
}

export class AccuracyData {
  private readonly x = new Column(64);
  private columns: Column[] = [];
  private ranges: ColumnRange[] = [];
  private iterations: number[] = [];
  private index = new Map<number, number>();

  /** Checkpoint iterations, ascending. */
  get checkpoints(): readonly number[] {
    return this.iterations;
  }

  /** Rebuilds the columns; points with a non-finite iteration or accuracy are left out (the caller reports them). */
  build(series: readonly { points: readonly AccuracyPoint[] }[]): uPlot.AlignedData {
    const set = new Set<number>();
    for (const s of series) for (const p of s.points) if (Number.isFinite(p.iteration) && Number.isFinite(p.test)) set.add(p.iteration);
    this.iterations = [...set].sort((a, b) => a - b);
    this.index = new Map(this.iterations.map((it, i) => [it, i]));
    const n = this.iterations.length;
    const x = this.x.reserve(n, 0);
    x.set(this.iterations);
    while (this.columns.length < series.length) {
      this.columns.push(new Column(64));
      this.ranges.push(emptyRange());
    }
    this.columns.length = this.ranges.length = series.length;
    const data: uPlot.AlignedData = [x.subarray(0, n)];
    series.forEach((s, r) => {
      const y = this.columns[r].reserve(n, 0);
      y.fill(NaN, 0, n);
      for (const p of s.points) {
        const i = this.index.get(p.iteration);
        if (i !== undefined && Number.isFinite(p.test)) y[i] = p.test * 100;
      }
      columnRange(y, n, this.ranges[r]);
      data.push(this.columns[r].view(n));
    });
    return data;
  }

  /** Finite range of racer r's column, in percent. */
  range(r: number): ColumnRange {
    return this.ranges[r] ?? emptyRange();
  }

  /** Racer r's accuracy in percent at a checkpoint iteration (NaN where it has none). */
  at(r: number, iteration: number): number {
    const i = this.index.get(iteration);
    const column = this.columns[r];
    return i === undefined || !column ? NaN : column.data[i];
  }

  /** Racer r's column up to the last checkpoint (a view; valid until the next build). */
  values(r: number): Float64Array {
    return this.columns[r]?.data.subarray(0, this.iterations.length) ?? new Float64Array(0);
  }
}
