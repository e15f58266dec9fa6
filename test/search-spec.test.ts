/**
 * Random search specs and their trials (src/optim/sweep/): every message, the text and URL forms,
 * the draws (range, log-uniformity, determinism, prefix stability, seeds) against the hash recipe
 * written out again here in BigInt arithmetic, and the narrowed spec.
 */
import { describe, expect, it } from 'vitest';
import {
  drawTrials,
  formatSearchSpec,
  formatSearchSpecUrl,
  kSearchStream,
  narrowedSpec,
  parseSearchSpec,
  parseSearchSpecUrl,
  searchableKeys,
  trialValues,
  type SearchSpec,
} from '../src/optim/sweep';
import { kRaceLimits } from '../src/race/limits';

const kLimit = kRaceLimits.racers.max;
const kBook = 'lr=1e-6..1e-2:log,l2=1e-8..1e-4:log';

/** The PCG hash (Jarzynski and Olano 2020, RXS-M-XS), in BigInt: no Math.imul, no >>>. */
function pcg(v: bigint): bigint {
  const m = 2n ** 32n;
  const state = (v * 747796405n + 2891336453n) % m;
  const word = (((state >> ((state >> 28n) + 4n)) ^ state) * 277803737n) % m;
  return (word >> 22n) ^ word;
}

/** The recipe: u = pcg(i + pcg(k + pcg(stream + pcg(seed)))) / 2^32, sums mod 2^32. */
function recipeU(seed: number, k: number, i: number): number {
  const m = 2n ** 32n;
  const inner = pcg((BigInt(kSearchStream) + pcg(BigInt(seed))) % m);
  return Number(pcg((BigInt(i) + pcg((BigInt(k) + inner) % m)) % m)) / 2 ** 32;
}

const sixDigits = (x: number): number => Number(x.toPrecision(6));

describe('parseSearchSpec', () => {
  it('reads keys, ranges and scales (linear by default, spaces allowed)', () => {
    expect(parseSearchSpec(' lr = 1e-6..1e-2 : log , l2=1e-8..1e-4:LOG,momentum=0.5..0.99, dropout=0..0.5:linear')).toEqual({
      ranges: [
        { key: 'lr', min: 1e-6, max: 1e-2, scale: 'log' },
        { key: 'l2', min: 1e-8, max: 1e-4, scale: 'log' },
        { key: 'momentum', min: 0.5, max: 0.99, scale: 'linear' },
        { key: 'dropout', min: 0, max: 0.5, scale: 'linear' },
      ],
    });
  });

  it('knows every registry key and the network options', () => {
    expect(searchableKeys()).toEqual(expect.arrayContaining(['lr', 'momentum', 'beta1', 'beta2', 'weight_decay', 'l2', 'dropout']));
  });

  it.each([
    ['', /a search spec needs at least one range: KEY=MIN\.\.MAX\[:log\|linear\]/],
    ['   ', /a search spec needs at least one range/],
    ['lr=1e-6..1e-2:log,', /search spec, column 19: an empty range/],
    ['lr', /search spec, column 1: a range is KEY=MIN\.\.MAX\[:log\|linear\], got 'lr'/],
    ['lr=1e-6..1e-2, =1..2', /search spec, column 16: a range is KEY=MIN\.\.MAX/],
    ['gamma=0.1..1', /search spec, column 1: no hyperparameter or network option 'gamma'; searchable keys: lr, momentum, .*l2, dropout/],
    ['lr=1e-6..1e-2:log,l2=0..1,lr=1e-3..1e-1', /search spec, column 27: 'lr' is given twice/],
    ['lr=x..1e-2:log', /search lr: MIN must be a number, got 'x'/],
    ['lr=1e-6..1e-2e:log', /search lr: MAX must be a number, got '1e-2e'/],
    ['lr=1e-6-1e-2', /search lr must be MIN\.\.MAX/],
    ['lr=1e-6..1e-2:ln', /search lr: the scale must be log or linear, got 'ln'/],
    ['lr=1e-2..1e-6:log', /search lr: MAX must be above MIN = 0\.01, got 0\.000001/],
    ['momentum=0.9..0.9', /search momentum: MAX must be above MIN = 0\.9, got 0\.9/],
    ['l2=0..1e-4:log', /search l2: a log range must stay above 0, got MIN = 0/],
    ['lr=-1..1:log', /search lr: a log range must stay above 0, got MIN = -1/],
    ['lr=0..1', /search lr: MIN must be in lr's range \(0, ∞\), got 0/],
    ['momentum=0.5..1', /search momentum: MAX must be in momentum's range \[0, 1\), got 1/],
    ['dropout=0..1', /search dropout: MAX must be in dropout's range \[0, 1\), got 1/],
    ['l2=-1..1', /search l2: MIN must be in l2's range \[0, ∞\), got -1/],
  ])('%j is refused: %s', (text, message) => {
    expect(() => parseSearchSpec(text)).toThrow(message);
  });

  it('reads its text form and its URL form back', () => {
    for (const text of [kBook, 'momentum=0.5..0.99', 'lr=0.0001..1:log,beta2=0.9..0.9999,dropout=0..0.5,weight_decay=1e-9..0.1:log']) {
      const spec = parseSearchSpec(text);
      expect(parseSearchSpec(formatSearchSpec(spec))).toEqual(spec);
      expect(parseSearchSpecUrl(formatSearchSpecUrl(spec))).toEqual(spec);
    }
    expect(formatSearchSpec(parseSearchSpec(kBook))).toBe(kBook);
    expect(formatSearchSpec(parseSearchSpec('lr=0.0097..0.1:log,momentum=0.5..0.99:linear'))).toBe('lr=9.7e-3..0.1:log,momentum=0.5..0.99');
    const url = formatSearchSpecUrl(parseSearchSpec(`${kBook},momentum=0.5..0.99`));
    expect(url).toBe('lr=1e-6..1e-2:log;l2=1e-8..1e-4:log;momentum=0.5..0.99');
    expect(url).not.toMatch(/[,&/#\s]/);
    expect(() => parseSearchSpecUrl('lr=1e-6..1e-2:log;lr=1..2')).toThrow(/column 19: 'lr' is given twice/);
  });
});

describe('drawTrials', () => {
  const book = parseSearchSpec(kBook);

  it.each([
    [0, /search: at least 1 trial, got 0/],
    [-3, /search: at least 1 trial, got -3/],
    [2.5, /search: the number of trials must be a whole number, got 2\.5/],
    [kLimit + 1, new RegExp(`search: at most ${kLimit} trials \\(the racer limit: each trial is a racer of one race\\), got ${kLimit + 1}`)],
  ])('%d trials are refused', (trials, message) => {
    expect(() => drawTrials(book, trials, 1, 'sgd', kLimit)).toThrow(message);
  });

  it('refuses a bad seed, an optimizer without the key, and a spec built by hand that is wrong', () => {
    expect(() => drawTrials(book, 3, -1, 'sgd', kLimit)).toThrow(/search: the seed must be a whole number from 0 to 4294967295, got -1/);
    expect(() => drawTrials(parseSearchSpec('momentum=0.5..0.99'), 3, 1, 'adam', kLimit)).toThrow(
      /search momentum: Adam has no hyperparameter 'momentum' \(its keys: lr, beta1, beta2; network options: l2, dropout\)/,
    );
    expect(() => drawTrials({ ranges: [] }, 3, 1, 'sgd', kLimit)).toThrow(/a search spec needs at least one range/);
    const twice: SearchSpec = { ranges: [book.ranges[0], book.ranges[0]] };
    expect(() => drawTrials(twice, 3, 1, 'sgd', kLimit)).toThrow(/search lr: 'lr' is given twice/);
    expect(() => drawTrials({ ranges: [{ key: 'lr', min: 1, max: 0.1, scale: 'log' }] }, 3, 1, 'sgd', kLimit)).toThrow(/search lr: MAX must be above MIN = 1/);
    expect(() => drawTrials({ ranges: [{ key: 'gamma', min: 0, max: 1, scale: 'linear' }] }, 3, 1, 'sgd', kLimit)).toThrow(
      /search: no hyperparameter or network option 'gamma'/,
    );
    const badScale = { ranges: [{ key: 'lr', min: 1e-3, max: 1, scale: 'ln' }] } as unknown as SearchSpec;
    expect(() => drawTrials(badScale, 3, 1, 'sgd', kLimit)).toThrow(/search lr: the scale must be log or linear, got 'ln'/);
  });

  it('matches the recipe written out independently (golden draws for seed 42)', () => {
    const spec = parseSearchSpec(`${kBook},momentum=0.5..0.99`);
    const trials = drawTrials(spec, 3, 42, 'momentum', kLimit);
    // Computed by an independent Python script of the same recipe (integers, then '%.6g').
    expect(trials.map((t) => t.values)).toEqual([
      { lr: 1.32928e-5, l2: 3.9053e-8, momentum: 0.818216 },
      { lr: 0.00671522, l2: 1.86255e-8, momentum: 0.943523 },
      { lr: 0.000523936, l2: 3.51649e-8, momentum: 0.716376 },
    ]);
    for (const [k, t] of trials.entries()) {
      expect(t.values.lr).toBe(sixDigits(10 ** (-6 + recipeU(42, k, 0) * 4)));
      expect(t.values.l2).toBe(sixDigits(10 ** (-8 + recipeU(42, k, 1) * 4)));
      expect(t.values.momentum).toBe(sixDigits(0.5 + recipeU(42, k, 2) * 0.49));
    }
    expect(trials[1]).toEqual({
      number: 2,
      values: { lr: 0.00671522, l2: 1.86255e-8, momentum: 0.943523 },
      racer: { name: 'trial 2', optimizer: 'momentum', hyperparameters: { lr: 0.00671522, momentum: 0.943523 } },
      network: { l2: 1.86255e-8 },
    });
  });

  it('stays in range and is log-uniform over 10,000 draws', () => {
    const spec = parseSearchSpec(`${kBook},momentum=0.5..0.99,dropout=0..0.5`);
    const n = 10_000;
    const logs: number[] = [];
    const decades = [0, 0, 0, 0];
    let momentumSum = 0;
    for (let k = 0; k < n; k++) {
      const v = trialValues(spec, 7, k);
      expect(v.lr >= 1e-6 && v.lr <= 1e-2 && v.l2 >= 1e-8 && v.l2 <= 1e-4).toBe(true);
      expect(v.momentum >= 0.5 && v.momentum <= 0.99 && v.dropout >= 0 && v.dropout <= 0.5).toBe(true);
      logs.push(Math.log10(v.lr));
      decades[Math.min(3, Math.floor(Math.log10(v.lr) + 6))]++;
      momentumSum += v.momentum;
    }
    // log10(lr) ~ U(-6, -2): mean -4, standard error 4/sqrt(12 n) = 0.0115; 4 standard errors allowed.
    const mean = logs.reduce((a, b) => a + b, 0) / n;
    expect(Math.abs(mean + 4)).toBeLessThan(0.05);
    // Each decade holds n/4 = 2500 ± 43 (one standard deviation); 5 allowed.
    for (const count of decades) expect(Math.abs(count - 2500)).toBeLessThan(5 * 43);
    // Linear momentum: mean 0.745, standard error 0.49/sqrt(12 n) = 0.0014.
    expect(Math.abs(momentumSum / n - 0.745)).toBeLessThan(0.006);
  });

  it('is deterministic, keeps earlier trials when more are drawn, and differs between seeds', () => {
    const a = drawTrials(book, 100, 123, 'sgd', kLimit);
    expect(drawTrials(book, 100, 123, 'sgd', kLimit)).toEqual(a);
    expect(drawTrials(book, 10, 123, 'sgd', kLimit)).toEqual(a.slice(0, 10));
    expect(drawTrials(book, kLimit, 123, 'sgd', kLimit).slice(0, 100)).toEqual(a);
    const b = drawTrials(book, 100, 124, 'sgd', kLimit);
    const same = a.filter((t, k) => t.values.lr === b[k].values.lr || t.values.l2 === b[k].values.l2);
    expect(same).toEqual([]);
    expect(new Set(a.map((t) => t.values.lr)).size).toBe(100);
    expect(a.map((t) => t.racer.name).slice(0, 3)).toEqual(['trial 1', 'trial 2', 'trial 3']);
  });

  it('gives each key its own stream: a key index, not the key, picks the numbers', () => {
    const one = drawTrials(parseSearchSpec('lr=1e-6..1e-2:log'), 5, 9, 'sgd', kLimit);
    const two = drawTrials(parseSearchSpec('lr=1e-6..1e-2:log,l2=1e-6..1e-2:log'), 5, 9, 'sgd', kLimit);
    expect(two.map((t) => t.values.lr)).toEqual(one.map((t) => t.values.lr));
    expect(two.every((t) => t.values.lr !== t.values.l2)).toBe(true);
  });
});

describe('narrowedSpec', () => {
  const spec = parseSearchSpec(`${kBook},momentum=0.5..0.99`);
  const scored = [
    { values: { lr: 1e-5, l2: 1e-7, momentum: 0.6 }, score: 0.1 },
    { values: { lr: 9.7e-3, l2: 6.5e-8, momentum: 0.9 }, score: 0.81 },
    { values: { lr: 2.6e-3, l2: 3e-5, momentum: 0.7 }, score: 0.6 },
    { values: { lr: 5e-3, l2: 1e-6, momentum: 0.8 }, score: 0.75 },
    { values: { lr: 3e-2, l2: 1e-6, momentum: 0.8 }, score: Number.NaN },
    { values: { lr: 1e-6, l2: 1e-8, momentum: 0.95 }, score: 0.12 },
  ];

  it('proposes the box around the top trials, scales and order kept', () => {
    expect(narrowedSpec(spec, scored, 3)).toEqual({
      ranges: [
        { key: 'lr', min: 2.6e-3, max: 9.7e-3, scale: 'log' },
        { key: 'l2', min: 6.5e-8, max: 3e-5, scale: 'log' },
        { key: 'momentum', min: 0.7, max: 0.9, scale: 'linear' },
      ],
    });
    // top = 5 of the 5 scored (the diverged one, NaN, is left out).
    expect(formatSearchSpec(narrowedSpec(spec, scored))).toBe('lr=1e-6..9.7e-3:log,l2=1e-8..3e-5:log,momentum=0.6..0.95');
  });

  it('stays within the original range and widens a box of one value', () => {
    const outside = [
      { values: { lr: 0.5, l2: 1e-4, momentum: 0.99 }, score: 0.9 },
      { values: { lr: 0.2, l2: 1e-4, momentum: 0.99 }, score: 0.8 },
    ];
    const narrowed = narrowedSpec(spec, outside, 2);
    // lr: both above 1e-2, clamped to it, then widened by 1% of 4 decades below it.
    expect(narrowed.ranges[0].max).toBe(1e-2);
    expect(narrowed.ranges[0].min).toBeCloseTo(10 ** (-2 - 0.04), 12);
    expect(narrowed.ranges[2]).toEqual({ key: 'momentum', min: 0.99 - 0.0049, max: 0.99, scale: 'linear' });
    expect(formatSearchSpec(parseSearchSpec(formatSearchSpec(narrowed)))).toBe(formatSearchSpec(narrowed));
  });

  it('narrows the trials it drew, then draws inside the new box', () => {
    const trials = drawTrials(spec, 50, 5, 'momentum', kLimit);
    const withScores = trials.map((t) => ({ values: t.values, score: -Math.abs(Math.log10(t.values.lr) + 2.5) }));
    const next = narrowedSpec(spec, withScores);
    for (const [i, r] of next.ranges.entries()) expect(r.min >= spec.ranges[i].min && r.max <= spec.ranges[i].max && r.min < r.max).toBe(true);
    expect(next.ranges[0].min).toBeGreaterThan(1e-3);
    for (const t of drawTrials(next, 20, 6, 'momentum', kLimit)) expect(t.values.lr >= next.ranges[0].min && t.values.lr <= next.ranges[0].max).toBe(true);
  });

  it.each([
    [[], 5, /narrow: needs at least 2 scored trials, got 0/],
    [[{ values: { lr: 1e-3, l2: 1e-6, momentum: 0.9 }, score: 0.5 }], 5, /narrow: needs at least 2 scored trials, got 1/],
    [
      [
        { values: { lr: 1e-3, l2: 1e-6, momentum: 0.9 }, score: 0.5 },
        { values: { lr: 1e-3, l2: 1e-6, momentum: 0.9 }, score: Number.NaN },
      ],
      5,
      /narrow: needs at least 2 scored trials, got 1/,
    ],
    [scored, 1, /narrow: top must be a whole number of at least 2, got 1/],
    [
      [
        { values: { lr: 1e-3, l2: 1e-6 }, score: 0.5 },
        { values: { lr: 1e-3, l2: 1e-6 }, score: 0.4 },
      ],
      5,
      /narrow: a top trial has no value for 'momentum'/,
    ],
  ])('refuses %#', (trials, top, message) => {
    expect(() => narrowedSpec(spec, trials as { values: Record<string, number>; score: number }[], top)).toThrow(message);
  });
});
