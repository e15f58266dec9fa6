/** Sensitivity (src/race/sensitivity.ts) and the LR finder's analysis (src/race/lr-finder.ts), on values worked out by hand. */
import { describe, expect, it } from 'vitest';
import { analyzeLrFinder, rangeLrs, smoothLosses } from '../src/race/lr-finder';
import { finalLoss, sensitivity } from '../src/race/sensitivity';
import { sweptRacer } from './fixtures/swept-racer';

const racer = sweptRacer;

describe('sensitivity', () => {
  it('averages the last 10% of the iterations, at least one', () => {
    // 20 losses: the last 2 (3 and 5) average to 4.
    expect(finalLoss([...Array(18).fill(9), 3, 5])).toBe(4);
    // 11 losses: ceil(1.1) = 2.
    expect(finalLoss([...Array(9).fill(9), 1, 2])).toBe(1.5);
    expect(finalLoss([7])).toBe(7);
    expect(finalLoss([])).toBeNaN();
  });

  it('gives each optimizer a curve by value, marks the best and the diverged', () => {
    const s = sensitivity(
      [
        racer('sgd', 0.1, [2, 1, 0.5], null, 0.9),
        racer('sgd', 0.01, [2, 1.5, 1.2], null, 0.7),
        racer('sgd', 1, [2, NaN, NaN], 1, 0.1),
        racer('adam', 0.001, [2, 0.4, 0.3], null, 0.95),
      ],
      'lr',
    );
    expect(s.key).toBe('lr');
    expect(s.curves.map((c) => [c.optimizer, c.bestValue])).toEqual([
      ['sgd', 0.1],
      ['adam', 0.001],
    ]);
    expect(s.curves[0].points.map((p) => [p.value, p.finalLoss, p.testAccuracy, p.diverged, p.best])).toEqual([
      [0.01, 1.2, 0.7, false, false],
      [0.1, 0.5, 0.9, false, true],
      [1, NaN, 0.1, true, false],
    ]);
  });

  it('has no best when every racer diverged', () => {
    const s = sensitivity([racer('sgd', 10, [NaN], 0)], 'lr');
    expect(s.curves[0].bestValue).toBeNaN();
    expect(s.curves[0].points[0].diverged).toBe(true);
  });
});

describe('the LR finder', () => {
  it('smooths as fastai does: an exponentially weighted average with bias correction', () => {
    // β = 0.5: a0 = 0.5·2 = 1, /(1 − 0.5) = 2; a1 = 0.5·1 + 0.5·4 = 2.5, /(1 − 0.25) = 10/3.
    expect(smoothLosses([2, 4], 0.5)).toEqual([2, 10 / 3]);
  });

  it('finds the steepest descent and the divergence (4x the lowest loss)', () => {
    const lrs = rangeLrs(1e-3, 10, 5, 5);
    expect(lrs.map((x) => Number(x.toPrecision(12)))).toEqual([0.001, 0.01, 0.1, 1, 10]);
    // β = 0: smoothed = losses. Slopes per ln 10: −0.1, −0.9, −0.5; 3 > 4 · 0.5 diverges.
    const r = analyzeLrFinder(lrs, [2, 1.9, 1, 0.5, 3], 0);
    expect(r.steepest).toBe(1);
    expect(r.steepestLr).toBeCloseTo(0.01, 12);
    expect(r.divergence).toBe(4);
    expect(r.divergenceLr).toBeCloseTo(10, 10);
    expect(r.minimumLr).toBeCloseTo(1, 12);
  });

  it('looks for the steepest descent past the first min(10, n/10) points', () => {
    // 200 points: a cliff in the first two (leaving the initialisation), the real descent at 120.
    const lrs = Array.from({ length: 200 }, (_, i) => 10 ** (-6 + (7 * i) / 199));
    const losses = lrs.map((_, i) => (i === 0 ? 10 : 2.3) - (i >= 120 && i < 130 ? 0.1 * (i - 119) : i >= 130 ? 1 : 0));
    const r = analyzeLrFinder(lrs, losses, 0);
    expect(r.steepest).toBeGreaterThanOrEqual(119);
    expect(r.steepest).toBeLessThan(130);
  });

  it('diverges at a NaN and finds nothing in fewer than two points', () => {
    const r = analyzeLrFinder([1, 2, 3], [1, NaN, NaN], 0);
    expect(r.divergence).toBe(1);
    expect(r.steepest).toBe(-1);
    expect(r.steepestLr).toBeNaN();
    const calm = analyzeLrFinder([1, 2], [1, 1], 0);
    expect(calm.divergence).toBe(-1);
    expect(calm.divergenceLr).toBeNaN();
  });
});
