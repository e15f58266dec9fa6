/**
 * The loss chart's data, kept in step with the racers' growing loss arrays: each racer's smoothed
 * curve (IncrementalSmoother) and the uPlot columns [x, raw0, smooth0, raw1, smooth1, ...], either
 * one column per iteration or, past kThinningFactor points per pixel, two per pixel bucket (the
 * raw loss's min and max in the order they occur; the smoothed curve at the bucket's ends). Only
 * the columns from the first changed iteration on are rewritten; buffers are reused. No DOM.
 */
import type uPlot from 'uplot';
import type { MarkerShape } from '../markers';
import { bucketExtremes, bucketSize, Column, columnRange, emptyRange, type ColumnRange } from './columns';
import { IncrementalSmoother } from './smoothing';

/** One racer on the loss chart. */
export interface LossSeries {
  name: string;
  /** Any CSS colour canvas understands (the racers' colours are hex). */
  color: string;
  marker: MarkerShape;
  /** One loss per iteration, appended to in place (NaN after divergence). Call refresh() after appending. */
  losses: number[];
  /** Iteration at which the racer diverged, or null. */
  diverged: number | null;
  /** Legend group (a sweep's racers of one optimizer share one, e.g. 'Adam'); left out: ungrouped. */
  group?: string;
  /** The racer's settings, shown on hover ("lr 0.01 · β1 0.9 · he · relu"). */
  settings?: string;
}

interface RacerColumns {
  /** The losses array last seen: a different array (or a shorter one) starts the racer over. */
  source: readonly number[] | null;
  smoother: IncrementalSmoother;
  raw: Column;
  smooth: Column;
  rawRange: ColumnRange;
  smoothRange: ColumnRange;
}

export class LossData {
  private readonly x = new Column();
  private racers: RacerColumns[] = [];
  /** Iterations per bucket of the current columns (1: not thinned). */
  private bucket = 1;
  private columnCount = 0;
  /** First iteration whose columns are out of date. */
  private dirtyFrom = 0;
  /** Iterations in the longest series. */
  length = 0;

  /** Smooths whatever was appended since the last call. Returns whether anything changed. */
  sync(series: readonly LossSeries[]): boolean {
    let changed = false;
    if (series.length !== this.racers.length) {
      this.racers.length = Math.min(this.racers.length, series.length);
      while (this.racers.length < series.length) {
        this.racers.push({
          source: null,
          smoother: new IncrementalSmoother(),
          raw: new Column(),
          smooth: new Column(),
          rawRange: emptyRange(),
          smoothRange: emptyRange(),
        });
      }
      this.dirtyFrom = 0;
      changed = true;
    }
    let length = 0;
    series.forEach(({ losses }, r) => {
      const racer = this.racers[r];
      if (racer.source !== losses || losses.length < racer.smoother.length) {
        racer.source = losses;
        racer.smoother.reset();
        this.dirtyFrom = 0;
        changed = true;
      }
      const from = racer.smoother.update(losses);
      if (from < losses.length) {
        this.dirtyFrom = Math.min(this.dirtyFrom, from);
        changed = true;
      }
      length = Math.max(length, losses.length);
    });
    if (length !== this.length) {
      // Shorter than before (a racer removed or restarted): columns past the end are stale.
      if (length < this.length) this.dirtyFrom = 0;
      this.length = length;
      changed = true;
    }
    return changed;
  }

  /** Iterations per bucket of the last columns() (1 when every iteration has its own column). */
  get bucketSize(): number {
    return this.bucket;
  }

  /**
   * The uPlot data for a plot this many CSS pixels wide. Views into reused buffers: valid until
   * the next call. A racer whose tail is not finite gets a shorter column (uPlot: no data there).
   */
  columns(plotWidthPx: number): uPlot.AlignedData {
    const n = this.length;
    const bucket = bucketSize(n, plotWidthPx);
    if (bucket !== this.bucket) {
      this.bucket = bucket;
      this.dirtyFrom = 0;
    }
    const count = bucket === 1 ? n : 2 * Math.ceil(n / bucket);
    const keep = Math.min(this.columnCount, bucket === 1 ? this.dirtyFrom : 2 * Math.floor(this.dirtyFrom / bucket));
    const x = this.x.reserve(count, keep);
    if (bucket === 1) {
      for (let i = keep; i < n; i++) x[i] = i;
      for (const racer of this.racers) {
        const raw = racer.raw.reserve(count, keep);
        const smooth = racer.smooth.reserve(count, keep);
        const losses = racer.source ?? [];
        const smoothed = racer.smoother.values;
        for (let i = keep; i < n; i++) {
          const v = losses[i];
          raw[i] = Number.isFinite(v) ? v : NaN;
          smooth[i] = i < smoothed.length ? smoothed[i] : NaN;
        }
      }
    } else {
      for (let c = keep; c < count; c += 2) {
        const a = (c / 2) * bucket;
        const e = Math.min(n, a + bucket);
        x[c] = a;
        x[c + 1] = e - 1;
      }
      for (const racer of this.racers) {
        const raw = racer.raw.reserve(count, keep);
        const smooth = racer.smooth.reserve(count, keep);
        const losses = racer.source ?? [];
        const smoothed = racer.smoother.values;
        for (let c = keep; c < count; c += 2) {
          const a = (c / 2) * bucket;
          const e = Math.min(n, a + bucket);
          [raw[c], raw[c + 1]] = bucketExtremes(losses, a, Math.min(e, losses.length));
          smooth[c] = a < smoothed.length ? smoothed[a] : NaN;
          smooth[c + 1] = e - 1 < smoothed.length ? smoothed[e - 1] : NaN;
        }
      }
    }
    this.columnCount = count;
    this.dirtyFrom = n;
    const data: uPlot.AlignedData = [x.subarray(0, count)];
    for (const racer of this.racers) {
      columnRange(racer.raw.data, count, racer.rawRange);
      columnRange(racer.smooth.data, count, racer.smoothRange);
      data.push(racer.raw.view(count), racer.smooth.view(count));
    }
    return data;
  }

  /** Finite range of racer r's raw and smoothed columns (as of the last columns()). */
  range(r: number, which: 'raw' | 'smooth'): ColumnRange {
    const racer = this.racers[r];
    return which === 'raw' ? racer.rawRange : racer.smoothRange;
  }

  /** Racer r's smoothed loss at an iteration (NaN where there is none). */
  smoothedAt(r: number, iteration: number): number {
    return this.racers[r]?.smoother.at(iteration) ?? NaN;
  }

  /** Racer r's raw loss at an iteration (NaN where there is none). */
  rawAt(r: number, iteration: number): number {
    const v = this.racers[r]?.source?.[iteration];
    return v === undefined || !Number.isFinite(v) ? NaN : v;
  }

  /** All of racer r's smoothed values (a view; valid until the next sync). */
  smoothed(r: number): Float64Array {
    return this.racers[r]?.smoother.values ?? new Float64Array(0);
  }

  /** The last iteration at which racer r's smoothed loss is finite, or -1. */
  lastFinite(r: number): number {
    const values = this.smoothed(r);
    let i = values.length - 1;
    while (i >= 0 && !Number.isFinite(values[i])) i--;
    return i;
  }
}
