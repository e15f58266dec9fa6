/**
 * What the search's figures draw (src/ui/search-race/search-figure-data.ts, search-rounds.ts), from
 * hand-made checkpoints: figure 6-24's ranking and titles, the landscape's axes, points and rings,
 * and the narrowed box proposed for the next round.
 */
import { describe, expect, it } from 'vitest';
import { parseSearchSpec } from '../src/optim/sweep';
import { axisFraction, axisTicks, bestPanels, landscape, trialResults, type SearchRacer } from '../src/ui/search-race/search-figure-data';
import { proposeNarrowed, roundSeed } from '../src/ui/search-race/search-rounds';

const spec = parseSearchSpec('lr=1e-6..1e-2:log,l2=1e-8..1e-4:log');

/** A racer whose validation accuracy per epoch is `validation` (training 0.05 above), diverged or not. */
const racer = (validation: number[], diverged: number | null = null): SearchRacer => ({
  accuracy: validation.map((v, epoch) => ({ iteration: epoch * 4 + 1, epoch, validation: v, train: v + 0.05 })),
  diverged,
});

const trials = [1, 2, 3, 4, 5, 6].map((number) => ({ number, values: { lr: 10 ** (-7 + number * 0.8), l2: 1e-6 } }));
const racers = [racer([0.1, 0.2]), racer([0.1, 0.6]), racer([0.3, 0.8]), racer([0.2, 0.4]), racer([0.5], 7), racer([0.1, 0.7])];

describe('trialResults', () => {
  it('pairs each trial with its racer: latest validation and training accuracy, points per epoch', () => {
    const results = trialResults(trials, racers, 1);
    expect(results[2]).toMatchObject({ number: 3, round: 1, validation: 0.8, diverged: false });
    expect(results[2].train).toBeCloseTo(0.85, 12);
    expect(results[2].validationPoints).toEqual([
      { x: 0, y: 0.3 },
      { x: 1, y: 0.8 },
    ]);
    expect(results[4]).toMatchObject({ validation: 0.5, diverged: true });
  });
  it('gives trials without a racer yet no accuracy', () => {
    expect(trialResults(trials, [], 2)[0]).toMatchObject({ number: 1, round: 2, validation: null, train: null, validationPoints: [] });
  });
});

describe('bestPanels', () => {
  it("ranks by validation accuracy, titled as the book's grid, the diverged last", () => {
    const panels = bestPanels(trialResults(trials, racers), 20);
    expect(panels.map((p) => p.title)).toEqual(['Best-1', 'Best-2', 'Best-3', 'Best-4', 'Best-5', 'Best-6']);
    expect(panels.map((p) => p.trial.number)).toEqual([3, 6, 2, 4, 1, 5]);
  });
  it('keeps the best `count`', () => {
    expect(bestPanels(trialResults(trials, racers), 2).map((p) => p.trial.number)).toEqual([3, 6]);
  });
});

describe('axisTicks', () => {
  it('puts decades on a wide log axis, 1-2-5 on a narrow one, 5 steps on a linear one', () => {
    expect(axisTicks(1e-6, 1e-2, 'log')).toEqual([1e-6, 1e-5, 1e-4, 1e-3, 1e-2]);
    expect(axisTicks(1e-3, 1e-2, 'log')).toEqual([1e-3, 2e-3, 5e-3, 1e-2]);
    expect(axisTicks(0.5, 0.9, 'linear')).toEqual([0.5, 0.6, 0.7, 0.8, 0.9]);
  });
  it('falls back to the ends when no round tick falls inside', () => {
    expect(axisTicks(2.6e-3, 4.5e-3, 'log')).toEqual([2.6e-3, 4.5e-3]);
  });
});

describe('axisFraction', () => {
  it('places values on the log scale', () => {
    expect(axisFraction({ min: 1e-6, max: 1e-2, scale: 'log' }, 1e-4)).toBeCloseTo(0.5, 12);
    expect(axisFraction({ min: 0, max: 1, scale: 'linear' }, 0.25)).toBe(0.25);
  });
});

describe('landscape', () => {
  it('puts every trial of every round over the first two keys, axes spanning every round, the top five ringed', () => {
    const narrowed = parseSearchSpec('lr=1e-3..2e-2:log,l2=1e-7..1e-5:log');
    const round2 = trialResults([{ number: 1, values: { lr: 0.015, l2: 2e-6 } }], [racer([0.9])], 2);
    const land = landscape([
      { spec, results: trialResults(trials, racers) },
      { spec: narrowed, results: round2 },
    ]);
    expect(land?.x).toMatchObject({ key: 'lr', label: 'lr', scale: 'log', min: 1e-6, max: 2e-2 });
    expect(land?.y).toMatchObject({ key: 'l2', label: 'weight decay', min: 1e-8, max: 1e-4 });
    expect(land?.points).toHaveLength(7);
    const top = Object.fromEntries((land?.points ?? []).filter((p) => p.top).map((p) => [p.top, `${p.round}:${p.number}`]));
    // The diverged trial 5 is never ringed; round 2's 0.9 is the best.
    expect(top).toEqual({ 1: '2:1', 2: '1:3', 3: '1:6', 4: '1:2', 5: '1:4' });
    expect(land?.points.find((p) => p.round === 1 && p.number === 5)?.diverged).toBe(true);
  });
  it('puts validation accuracy on y in a one-key search, leaving out the unmeasured', () => {
    const one = parseSearchSpec('lr=1e-6..1e-2:log');
    const land = landscape([{ spec: one, results: trialResults(trials.slice(0, 2), [racer([0.4])]) }]);
    expect(land?.y).toMatchObject({ label: 'validation accuracy', min: 0, max: 1 });
    expect(land?.points.map((p) => [p.number, p.y])).toEqual([[1, 0.4]]);
  });
});

describe('the next round', () => {
  it('proposes the box around the top five (the diverged left out)', () => {
    const proposal = proposeNarrowed(spec, trialResults(trials, racers));
    // Top five by validation: trials 3, 6, 2, 4, 1 → lr from trial 1's (6.3e-7, kept inside the range: 1e-6) to trial 6's,
    // l2 all 1e-6 (widened by 1% of its 4 decades each way).
    const lo = 1e-6;
    const hi = 10 ** (-7 + 6 * 0.8);
    expect('text' in proposal).toBe(true);
    const box = parseSearchSpec((proposal as { text: string }).text);
    expect(box.ranges[0].min / lo).toBeCloseTo(1, 12);
    expect(box.ranges[0].max / hi).toBeCloseTo(1, 12);
    expect(box.ranges[1].min / 10 ** -6.04).toBeCloseTo(1, 12);
    expect(box.ranges[1].max / 10 ** -5.96).toBeCloseTo(1, 12);
  });
  it('says why there is no box before two trials are measured', () => {
    expect(proposeNarrowed(spec, trialResults(trials, []))).toEqual({ problem: 'narrow: needs at least 2 scored trials, got 0' });
  });
  it('races round k on seed + k − 1', () => {
    expect([roundSeed(1, 1), roundSeed(1, 2), roundSeed(0xffffffff, 2)]).toEqual([1, 2, 0]);
  });
});
