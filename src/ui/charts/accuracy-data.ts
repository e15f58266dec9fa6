/**
 * The accuracy chart's columns: x = every checkpoint iteration of any racer (sorted), one column
 * per racer with its test accuracy in percent there (NaN where it has none, e.g. after diverging),
 * then, when some checkpoint carries a training accuracy, one such column per racer for that.
 * Checkpoints are few (iterations / evaluation interval), so the columns are rebuilt each time,
 * into reused buffers. No DOM.
 */
import type uPlot from 'uplot';
import type { MarkerShape } from '../markers';
import { Column, columnRange, emptyRange, type ColumnRange } from './columns';

/** A checkpoint as the race engine records it: `test` (and `train`, when measured) are fractions in [0, 1]. */
export interface AccuracyPoint {
  iteration: number;
  /** The epoch the checkpoint opens (0-based), in a race run by epochs. */
  epoch?: number;
  /** Accuracy on the training images, when the race measures it. */
  train?: number;
  /** Absent in a race with a validation set, which never touches the test set (src/race/search-race.ts). */
  test?: number;
  /** Accuracy on the held-out validation images, in a race with a validation set (the chart's measured="validation" draws it). */
  validation?: number;
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
  private epochs = new Map<number, number>();
  private trained = false;

  /** Some checkpoint carries a training accuracy: the columns after the racers' test columns hold them. */
  get hasTrain(): boolean {
    return this.trained;
  }

  /** Checkpoint iterations, ascending. */
  get checkpoints(): readonly number[] {
    return this.iterations;
  }

  /** Rebuilds the columns; points with a non-finite iteration or accuracy are left out (the caller reports them). */
  build(series: readonly { points: readonly AccuracyPoint[] }[]): uPlot.AlignedData {
    const set = new Set<number>();
    this.epochs.clear();
    this.trained = false;
    for (const s of series)
      for (const p of s.points) {
        if (!Number.isFinite(p.iteration) || !Number.isFinite(p.test)) continue;
        set.add(p.iteration);
        if (p.epoch !== undefined && Number.isFinite(p.epoch)) this.epochs.set(p.iteration, p.epoch);
        if (p.train !== undefined && Number.isFinite(p.train)) this.trained = true;
      }
    this.iterations = [...set].sort((a, b) => a - b);
    this.index = new Map(this.iterations.map((it, i) => [it, i]));
    const n = this.iterations.length;
    const x = this.x.reserve(n, 0);
    x.set(this.iterations);
    const count = series.length * (this.trained ? 2 : 1);
    while (this.columns.length < count) {
      this.columns.push(new Column(64));
      this.ranges.push(emptyRange());
    }
    this.columns.length = this.ranges.length = count;
    const data: uPlot.AlignedData = [x.subarray(0, n)];
    for (let c = 0; c < count; c++) {
      const train = c >= series.length;
      const y = this.columns[c].reserve(n, 0);
      y.fill(NaN, 0, n);
      for (const p of series[train ? c - series.length : c].points) {
        const i = this.index.get(p.iteration);
        // A training accuracy only beside a test accuracy: both are measured at one evaluation.
        const value = train ? (Number.isFinite(p.test) ? p.train : undefined) : p.test;
        if (i !== undefined && value !== undefined && Number.isFinite(value)) y[i] = value * 100;
      }
      columnRange(y, n, this.ranges[c]);
      data.push(this.columns[c].view(n));
    }
    return data;
  }

  /** The epoch a checkpoint opens, or undefined (the race runs by iterations). */
  epochAt(iteration: number): number | undefined {
    return this.epochs.get(iteration);
  }

  /** Racer r's training-accuracy column (as values(), NaN throughout when none is measured). */
  trainValues(r: number): Float64Array {
    return this.trained ? this.values(this.columns.length / 2 + r) : new Float64Array(0);
  }

  /** Finite range of racer r's training accuracy, in percent. */
  trainRange(r: number): ColumnRange {
    return this.trained ? this.range(this.columns.length / 2 + r) : emptyRange();
  }

  /** Racer r's training accuracy in percent at a checkpoint iteration (NaN where it has none). */
  trainAt(r: number, iteration: number): number {
    return this.trained ? this.at(this.columns.length / 2 + r, iteration) : NaN;
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
