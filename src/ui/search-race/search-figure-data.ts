/**
 * What the search's figures draw, from what the race engine reports: each trial's drawn values
 * (src/optim/sweep/'s drawTrials) beside its racer's accuracy checkpoints (validation and training
 * per epoch), ranked by the report's rule (src/optim/sweep/search-report.ts). Figure 6-24's best
 * 20 charts, and the landscape: every trial of every round over its first two searched values.
 * Pure: no DOM, no engine.
 */
import type { HyperKey } from '../../optim/hyperparameters';
import { kBestShown, rankTrials, searchKeyWords, type SearchRange, type SearchScale, type SearchSpec, type TrialOutcome } from '../../optim/sweep';
import type { Point } from '../chapter6-race/figure-data';
import { roundSignificant } from '../../util/short-number';

/** An accuracy checkpoint as the search reads it (the engine's AccuracyCheckpoint with its validation accuracy). */
export interface SearchCheckpoint {
  iteration: number;
  epoch?: number;
  train?: number;
  validation?: number;
}

/** A trial's racer as the engine reports it (a RacerHistory fits). */
export interface SearchRacer {
  accuracy: readonly SearchCheckpoint[];
  diverged: number | null;
}

/** A drawn trial (a SearchTrial fits). */
export interface DrawnTrial {
  number: number;
  values: Readonly<Record<HyperKey, number>>;
}

/** A trial with its outcome so far and its per-epoch points. */
export interface TrialResult extends TrialOutcome {
  /** The search round it belongs to (1: the first search, 2: after narrowing, ...). */
  round: number;
  validationPoints: Point[];
  trainPoints: Point[];
}

type AccuracyKey = 'train' | 'validation';

function points(accuracy: readonly SearchCheckpoint[], key: AccuracyKey): Point[] {
  return accuracy.flatMap((c, i) => {
    const y = c[key];
    return y === undefined ? [] : [{ x: c.epoch ?? i, y }];
  });
}

/** Each drawn trial with its racer's checkpoints (racers in trial order; a racer not raced yet has none). */
export function trialResults(trials: readonly DrawnTrial[], racers: readonly SearchRacer[], round = 1): TrialResult[] {
  return trials.map((trial, i) => {
    const racer = racers[i];
    const validationPoints = racer ? points(racer.accuracy, 'validation') : [];
    const trainPoints = racer ? points(racer.accuracy, 'train') : [];
    return {
      number: trial.number,
      values: trial.values,
      round,
      validation: validationPoints.at(-1)?.y ?? null,
      train: trainPoints.at(-1)?.y ?? null,
      diverged: (racer?.diverged ?? null) !== null,
      validationPoints,
      trainPoints,
    };
  });
}

/** One small chart of figure 6-24. */
export interface BestPanel {
  /** As the book titles it: `Best-1`. */
  title: string;
  rank: number;
  trial: TrialResult;
}

/** The best `count` trials (20: the book's 5 x 4 grid), ranked now: the grid re-sorts as the race goes on. */
export function bestPanels(results: readonly TrialResult[], count = kBestShown): BestPanel[] {
  return rankTrials(results)
    .slice(0, count)
    .map((trial, i) => ({ title: `Best-${i + 1}`, rank: i + 1, trial }));
}

/** A landscape axis: a searched key over the span of every round's range on its scale. */
export interface LandscapeAxis {
  key: HyperKey;
  /** The book's words: lr, weight decay. */
  label: string;
  scale: SearchScale;
  min: number;
  max: number;
  ticks: number[];
}

/** One trial on the landscape. */
export interface LandscapePoint {
  round: number;
  number: number;
  x: number;
  /** The second key's value, or (a one-key search) the validation accuracy. */
  y: number;
  validation: number | null;
  diverged: boolean;
  /** 1..kRinged among every round's trials, 0 for the rest. */
  top: number;
}

/** The trials the landscape rings. */
export const kRinged = 5;

/** Tick values for an axis: decades on a log scale (1, 2, 5 too within two decades), else 5 even steps. */
export function axisTicks(min: number, max: number, scale: SearchScale): number[] {
  if (!(max > min)) return [min];
  if (scale === 'linear') return Array.from({ length: 5 }, (_, k) => roundSignificant(min + ((max - min) * k) / 4, 3));
  const lo = Math.floor(Math.log10(min) + 1e-9);
  const hi = Math.ceil(Math.log10(max) - 1e-9);
  const steps = hi - lo <= 2 ? [1, 2, 5] : [1];
  const ticks: number[] = [];
  for (let e = lo; e <= hi; e++) for (const s of steps) ticks.push(roundSignificant(s * 10 ** e, 3));
  const within = ticks.filter((t) => t >= min * (1 - 1e-9) && t <= max * (1 + 1e-9));
  return within.length >= 2 ? within : [min, max];
}

function axis(ranges: readonly SearchRange[]): LandscapeAxis {
  const first = ranges[0];
  const min = Math.min(...ranges.map((r) => r.min));
  const max = Math.max(...ranges.map((r) => r.max));
  return { key: first.key, label: searchKeyWords(first.key), scale: first.scale, min, max, ticks: axisTicks(min, max, first.scale) };
}

/** The validation-accuracy axis of a one-key search. */
const kAccuracyAxis: LandscapeAxis = { key: 'validation', label: 'validation accuracy', scale: 'linear', min: 0, max: 1, ticks: [0, 0.2, 0.4, 0.6, 0.8, 1] };

export interface Landscape {
  x: LandscapeAxis;
  y: LandscapeAxis;
  points: LandscapePoint[];
}

/** One search round: its spec and its trials' results. */
export interface SearchRound {
  spec: SearchSpec;
  results: readonly TrialResult[];
}

/**
 * Every round's trials over the first round's first two keys (each axis spans every round's range
 * of its key); a one-key search puts validation accuracy on y. The best kRinged of all rounds are
 * numbered in `top`.
 */
export function landscape(rounds: readonly SearchRound[]): Landscape | null {
  const first = rounds[0]?.spec.ranges;
  if (!first?.length) return null;
  const rangesOf = (key: HyperKey) => rounds.flatMap((r) => r.spec.ranges.filter((range) => range.key === key));
  const x = axis(rangesOf(first[0].key));
  const y = first[1] ? axis(rangesOf(first[1].key)) : kAccuracyAxis;
  const all = rounds.flatMap((r) => r.results);
  const top = new Map(
    rankTrials(all)
      .filter((t) => t.validation !== null && !t.diverged)
      .slice(0, kRinged)
      .map((t, i) => [t, i + 1]),
  );
  const points = all.flatMap((t): LandscapePoint[] => {
    const xv = t.values[x.key];
    const yv = first[1] ? t.values[y.key] : t.validation;
    if (xv === undefined || yv === undefined || yv === null) return [];
    return [{ round: t.round, number: t.number, x: xv, y: yv, validation: t.validation, diverged: t.diverged, top: top.get(t) ?? 0 }];
  });
  return { x, y, points };
}

/** Position of `value` on an axis, 0 (min) to 1 (max), on its scale. */
export function axisFraction(a: Pick<LandscapeAxis, 'min' | 'max' | 'scale'>, value: number): number {
  if (a.scale === 'log') return (Math.log10(value) - Math.log10(a.min)) / (Math.log10(a.max) - Math.log10(a.min));
  return (value - a.min) / (a.max - a.min);
}
