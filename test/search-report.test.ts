/**
 * The search report (src/optim/sweep/search-report.ts): ranking by validation accuracy and the
 * book's "Best-k" lines. The number forms are Python's `'%.2g' % x` (printed by python3 for the
 * values below), the form the book's script's output reads like.
 */
import { describe, expect, it } from 'vitest';
import { bestLine, bestLines, gFormat, rankTrials, type TrialOutcome } from '../src/optim/sweep';

describe('gFormat', () => {
  it("writes what Python's %.2g writes", () => {
    const python: [number, string][] = [
      [0.0097, '0.0097'],
      [6.5e-8, '6.5e-08'],
      [0.5, '0.5'],
      [150, '1.5e+02'],
      [1, '1'],
      [0.81, '0.81'],
      [1e-4, '0.0001'],
      [9.99e-5, '0.0001'],
      [0.000123, '0.00012'],
      [12, '12'],
      [0.00995, '0.01'],
      [3.86e-7, '3.9e-07'],
      [1e-6, '1e-06'],
      [0, '0'],
    ];
    for (const [x, text] of python) expect(gFormat(x), String(x)).toBe(text);
  });
});

const trial = (number: number, validation: number | null, diverged = false): TrialOutcome => ({
  number,
  values: { lr: 0.0097 * number, l2: 6.5e-8 },
  validation,
  train: validation,
  diverged,
});

describe('rankTrials', () => {
  it('ranks by validation accuracy, then the unmeasured, then the diverged; ties keep trial order', () => {
    const ranked = rankTrials([trial(1, 0.3), trial(2, null), trial(3, 0.8, true), trial(4, 0.81), trial(5, 0.3)]);
    expect(ranked.map((t) => t.number)).toEqual([4, 1, 5, 2, 3]);
  });
});

describe('bestLine', () => {
  it("is the book's line", () => {
    expect(bestLine(1, trial(1, 0.81))).toBe('Best-1 (val acc: 0.81) | lr: 0.0097, weight decay: 6.5e-08');
  });
  it('says when a trial is not measured yet or diverged', () => {
    expect(bestLine(2, trial(1, null))).toBe('Best-2 (val acc: –) | lr: 0.0097, weight decay: 6.5e-08');
    expect(bestLine(3, trial(1, 0.1, true))).toBe('Best-3 (val acc: 0.10, diverged) | lr: 0.0097, weight decay: 6.5e-08');
  });
  it('keeps the values in their order and names other keys as themselves', () => {
    expect(bestLine(1, { number: 1, values: { momentum: 0.9, lr: 1e-3 }, validation: 0.5, train: null, diverged: false })).toBe(
      'Best-1 (val acc: 0.50) | momentum: 0.9, lr: 0.001',
    );
  });
  it('lists the best `count`, best first', () => {
    const lines = bestLines([trial(1, 0.2), trial(2, 0.6), trial(3, 0.4)], 2);
    expect(lines).toEqual(['Best-1 (val acc: 0.60) | lr: 0.019, weight decay: 6.5e-08', 'Best-2 (val acc: 0.40) | lr: 0.029, weight decay: 6.5e-08']);
  });
});
