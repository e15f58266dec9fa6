/**
 * What the chapter-6 figures draw, from what the race engine reports: each racer's accuracy
 * checkpoints (`{iteration, epoch, train, test}`, AccuracyCheckpoint in src/race/engine.ts) turned
 * into per-epoch points, grouped as the book's figures group them. Pure: no DOM, no engine.
 */
import type { RacerJson } from '../../optim/racer-json';
import type { AccuracyCheckpoint } from '../../race/engine';
import { shortNumber } from '../../util/short-number';

/** A racer as the figures read it: who it is and its checkpoints so far (a RacerHistory fits). */
export interface FigureRacer extends Pick<RacerJson, 'name' | 'init' | 'bn' | 'dropout' | 'l2'> {
  accuracy: readonly AccuracyCheckpoint[];
  /** The iteration whose loss was not finite (the engine records no checkpoint after it), or null. */
  diverged?: number | null;
}

/** One recorded accuracy: x is the epoch (0-based, the book's x axis), y the accuracy in 0..1. */
export interface Point {
  x: number;
  y: number;
}

export type AccuracyKey = 'train' | 'test';

/** The checkpoints' `key` accuracy per epoch; a checkpoint without it (not measured) is left out. */
export function epochPoints(accuracy: readonly AccuracyCheckpoint[], key: AccuracyKey): Point[] {
  return accuracy.flatMap((c, i) => {
    const y = c[key];
    return y === undefined ? [] : [{ x: c.epoch ?? i, y }];
  });
}

const last = (points: readonly Point[]): number | null => (points.length > 0 ? points[points.length - 1].y : null);

/** One small chart of batch_norm_test's grid: a weight scale, training accuracy with and without batch norm. */
export interface ScalePanel {
  scale: number;
  /** As the book titles it: `W: 0.0464`. */
  title: string;
  withBn: Point[];
  without: Point[];
  /** The iteration each network diverged at (its line ends there), or null. */
  divergedWithBn: number | null;
  divergedWithout: number | null;
}

/** A weight scale to 3 significant digits (0.0464). */
export const scaleText = (scale: number): string => shortNumber(scale, 3);

/** The book's title of a weight scale's chart. */
export const scaleTitle = (scale: number): string => `W: ${scaleText(scale)}`;

/** The 4 x 4 grid's charts: one per weight scale (numeric init), in the racers' order, each with its `bn` and its plain racer. */
export function batchNormPanels(racers: readonly FigureRacer[]): ScalePanel[] {
  const panels = new Map<number, ScalePanel>();
  for (const racer of racers) {
    if (typeof racer.init !== 'number') continue;
    let panel = panels.get(racer.init);
    if (!panel) {
      panel = { scale: racer.init, title: scaleTitle(racer.init), withBn: [], without: [], divergedWithBn: null, divergedWithout: null };
      panels.set(racer.init, panel);
    }
    const points = epochPoints(racer.accuracy, 'train');
    if (racer.bn) {
      panel.withBn = points;
      panel.divergedWithBn = racer.diverged ?? null;
    } else {
      panel.without = points;
      panel.divergedWithout = racer.diverged ?? null;
    }
  }
  return [...panels.values()];
}

/** Panels whose final training accuracy is at least `threshold`, with and without batch norm (scales not measured yet count as neither). */
export function scalesLearning(panels: readonly ScalePanel[], threshold: number): { withBn: number; without: number } {
  const count = (pick: (p: ScalePanel) => Point[]): number => panels.filter((p) => (last(pick(p)) ?? -1) >= threshold).length;
  return { withBn: count((p) => p.withBn), without: count((p) => p.without) };
}

/** One chart of the overfitting figures: one racer's training and test accuracy per epoch. */
export interface OverfitPanel {
  name: string;
  train: Point[];
  test: Point[];
  /** At the latest epoch both were measured: train, test and their gap (train − test); null before. */
  final: { epoch: number; train: number; test: number; gap: number } | null;
  /** The iteration it diverged at (its lines end there), or null. */
  diverged: number | null;
}

export function overfitPanels(racers: readonly FigureRacer[]): OverfitPanel[] {
  return racers.map((racer) => {
    const both = racer.accuracy.map((c, i) => ({ c, i })).filter(({ c }) => c.train !== undefined && c.test !== undefined);
    const end = both[both.length - 1];
    const final = end
      ? { epoch: end.c.epoch ?? end.i, train: end.c.train as number, test: end.c.test as number, gap: (end.c.train as number) - (end.c.test as number) }
      : null;
    return {
      name: racer.name,
      train: epochPoints(racer.accuracy, 'train'),
      test: epochPoints(racer.accuracy, 'test'),
      final,
      diverged: racer.diverged ?? null,
    };
  });
}

/** An accuracy or gap as the figures write it (two decimals, as the book's 0..1 axis reads). */
export const accuracyText = (value: number): string => value.toFixed(2);
