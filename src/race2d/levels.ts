/**
 * Contour levels fitted to a function's values over a view: f sampled on a grid, then levels at
 * evenly spaced quantiles (equal areas between lines), or log-spaced when the values are
 * positive and span orders of magnitude (Rosenbrock-like valleys).
 */
import type { View } from './functions';
import { roundSignificant } from '../util/short-number';

const kSamples = 41;
const kLevels = 12;

export function adaptiveLevels(f: (x: number, y: number) => number, view: View): number[] {
  const values: number[] = [];
  for (let j = 0; j < kSamples; j++) {
    for (let i = 0; i < kSamples; i++) {
      const v = f(view.x[0] + ((view.x[1] - view.x[0]) * i) / (kSamples - 1), view.y[0] + ((view.y[1] - view.y[0]) * j) / (kSamples - 1));
      if (Number.isFinite(v)) values.push(v);
    }
  }
  if (values.length === 0) return [];
  values.sort((a, b) => a - b);
  const quantile = (q: number): number => values[Math.min(values.length - 1, Math.floor(q * (values.length - 1)))];
  const lo = values[0];
  const hi = quantile(0.98);
  const round = (v: number): number => roundSignificant(v, 3);
  let levels: number[];
  if (lo >= 0 && hi > 0 && hi / Math.max(quantile(0.5), Number.MIN_VALUE) > 20) {
    const from = Math.max(quantile(0.02), hi * 1e-4, Number.MIN_VALUE);
    levels = Array.from({ length: kLevels }, (_, i) => from * (hi / from) ** (i / (kLevels - 1)));
  } else {
    levels = Array.from({ length: kLevels }, (_, i) => quantile((i + 0.5) / kLevels));
  }
  return [...new Set(levels.map(round))].filter((v) => v > lo || lo === values[values.length - 1]).sort((a, b) => a - b);
}
