/** The chapter-6 settings' parsers and checks (src/race/network-settings.ts): one message each. */
import { describe, expect, it } from 'vitest';
import { kNetworkLimits } from '../src/race/limits';
import {
  batchNormBatchProblem,
  dropoutProblem,
  epochSchedule,
  epochsProblem,
  formatHidden,
  l2Problem,
  parseHidden,
  parseRatio,
  trainLimitProblem,
} from '../src/race/network-settings';

describe('hidden layer sizes', () => {
  it('reads UNITSxLAYERS and comma lists, and writes them back', () => {
    expect(parseHidden('100x5')).toEqual([100, 100, 100, 100, 100]);
    expect(parseHidden(' 100 X 6 ')).toEqual(Array(6).fill(100));
    expect(parseHidden('100,50,100')).toEqual([100, 50, 100]);
    expect(parseHidden('100, 50 ,100')).toEqual([100, 50, 100]);
    expect(parseHidden('64')).toEqual([64]);
    expect(formatHidden([100, 100, 100, 100, 100])).toBe('100x5');
    expect(formatHidden([100, 50, 100])).toBe('100,50,100');
    expect(formatHidden([64])).toBe('64');
    for (const text of ['100x5', '100,50,100', '64', '7x10']) expect(formatHidden(parseHidden(text))).toBe(text);
  });

  it('says what is wrong with malformed text, a size or a layer count', () => {
    const forms = 'hidden layers must be UNITSxLAYERS (100x5) or sizes separated by commas (100,50,100)';
    expect(() => parseHidden('')).toThrow(`${forms}, got ''`);
    expect(() => parseHidden('100x')).toThrow(`${forms}, got '100x'`);
    expect(() => parseHidden('100,,50')).toThrow(`${forms}, got '100,,50'`);
    expect(() => parseHidden('1e2x5')).toThrow(`${forms}, got '1e2x5'`);
    expect(() => parseHidden('100.5,50')).toThrow(`${forms}, got '100.5,50'`);
    expect(() => parseHidden('-100x5')).toThrow(`${forms}, got '-100x5'`);
    expect(() => parseHidden('100x0')).toThrow('hidden layers must be a whole number from 1 to 10, got 0');
    expect(() => parseHidden('100x11')).toThrow('hidden layers must be a whole number from 1 to 10, got 11');
    expect(() => parseHidden(Array(11).fill(5).join(','))).toThrow('hidden layers must be a whole number from 1 to 10, got 11');
    expect(() => parseHidden('0x3')).toThrow('units in a hidden layer must be a whole number from 1 to 1000, got 0');
    expect(() => parseHidden('100,1001')).toThrow('units in a hidden layer must be a whole number from 1 to 1000, got 1001');
    expect(kNetworkLimits.hiddenLayers.max).toBe(10);
  });
});

describe('the per-racer options', () => {
  it('a dropout ratio is in [0, 1)', () => {
    expect(dropoutProblem(0)).toBeNull();
    expect(dropoutProblem(0.2)).toBeNull();
    expect(dropoutProblem(0.999)).toBeNull();
    expect(dropoutProblem(1)).toBe('dropout (dropout ratio) must be a finite number in [0, 1), got 1');
    expect(dropoutProblem(-0.1)).toBe('dropout (dropout ratio) must be a finite number in [0, 1), got -0.1');
    expect(dropoutProblem(parseRatio('abc'))).toBe('dropout (dropout ratio) must be a finite number in [0, 1), got NaN');
  });

  it('λ of l2 is a number 0 or more', () => {
    expect(l2Problem(0)).toBeNull();
    expect(l2Problem(0.1)).toBeNull();
    expect(l2Problem(-0.1)).toBe('l2 (L2 weight decay λ) must be a finite number in [0, ∞), got -0.1');
    expect(l2Problem(Number.POSITIVE_INFINITY)).toBe('l2 (L2 weight decay λ) must be a finite number in [0, ∞), got Infinity');
    expect(l2Problem(parseRatio(''))).toBe('l2 (L2 weight decay λ) must be a finite number in [0, ∞), got NaN');
  });

  it('batch norm refuses a batch of one, with the reason', () => {
    expect(batchNormBatchProblem(true, 1)).toBe(
      'batch norm needs a batch size of 2 or more: over one image every feature has variance 0, so it outputs β whatever the input and nothing before it learns',
    );
    expect(batchNormBatchProblem(true, 2)).toBeNull();
    expect(batchNormBatchProblem(false, 1)).toBeNull();
  });
});

describe('the training limit and epochs', () => {
  it('a training limit is from 1 to the set size', () => {
    expect(trainLimitProblem(1000, 10000)).toBeNull();
    expect(trainLimitProblem(10000, 10000)).toBeNull();
    expect(trainLimitProblem(0, 10000)).toBe('training limit must be a whole number from 1 to 10000, got 0 (the training set holds 10000 images)');
    expect(trainLimitProblem(10001, 10000)).toBe('training limit must be a whole number from 1 to 10000, got 10001 (the training set holds 10000 images)');
    expect(trainLimitProblem(2.5, 10000)).toBe('training limit must be a whole number from 1 to 10000, got 2.5 (the training set holds 10000 images)');
  });

  it("iterations and evaluation points are the book trainer's when an epoch is whole", () => {
    // batch_norm_test: 1,000 images, batch 100, 20 epochs; overfit: 300, 100, 201 (and 301 for dropout).
    const bn = epochSchedule(20, 1000, 100);
    expect(bn.iterationsPerEpoch).toBe(10);
    expect(bn.iterations).toBe(200);
    expect(bn.evaluatedAfter).toEqual(Array.from({ length: 20 }, (_, k) => 10 * k + 1));
    expect(epochSchedule(201, 300, 100).iterations).toBe(603);
    expect(epochSchedule(301, 300, 100).evaluatedAfter.at(-1)).toBe(901);
    // A set smaller than a batch: one iteration per epoch (max(N / batch, 1)).
    expect(epochSchedule(5, 50, 100)).toEqual({ iterationsPerEpoch: 1, iterations: 5, evaluatedAfter: [1, 2, 3, 4, 5] });
  });

  it('a fractional epoch: floor(epochs · N / batch) iterations, one record per epoch at floor(k · N / batch)', () => {
    const s = epochSchedule(3, 1000, 300);
    expect(s.iterationsPerEpoch).toBeCloseTo(10 / 3, 15);
    expect(s.iterations).toBe(10);
    expect(s.evaluatedAfter).toEqual([1, 4, 7]);
    // Every record falls inside the run, and they are distinct.
    const t = epochSchedule(7, 1600, 1000);
    expect(t.iterations).toBe(11);
    expect(t.evaluatedAfter).toEqual([1, 2, 4, 5, 7, 9, 10]);
  });

  it('refuses epochs that are not whole, or that pass the iteration limit, saying how many fit', () => {
    expect(epochsProblem(20, 1000, 100)).toBeNull();
    expect(epochsProblem(0, 1000, 100)).toBe('epochs must be a whole number from 1 to 1000000, got 0');
    expect(epochsProblem(1.5, 1000, 100)).toBe('epochs must be a whole number from 1 to 1000000, got 1.5');
    expect(epochsProblem(333333, 300, 100)).toBeNull();
    expect(epochsProblem(333334, 300, 100)).toBe('333334 epochs of 3 iterations are 1000002 iterations, more than the limit of 1000000: at most 333333 epochs');
    expect(epochsProblem(300000, 1000, 300)).toBeNull();
    expect(epochsProblem(300001, 1000, 300)).toBe(
      '300001 epochs of 3.33333 iterations are 1000003 iterations, more than the limit of 1000000: at most 300000 epochs',
    );
    expect(() => epochSchedule(3, 0, 100)).toThrow('the training set must hold at least one image, got 0');
    expect(() => epochSchedule(3, 100, 0)).toThrow('batch size must be a whole number from 1 to 4096, got 0');
  });
});
