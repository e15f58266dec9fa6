/** Every limit table lives in src/race/limits.ts and says a whole number's problem one way. */
import { describe, expect, it } from 'vitest';
import { kSeedInitExperiment, resolveInitConfig } from '../src/init/config';
import { kAdamStepsLimits, kInitLimits, kRaceLimits, wholeNumberProblem } from '../src/race/limits';

describe('the limit tables', () => {
  it('one message for a whole number out of range, whichever table', () => {
    expect(wholeNumberProblem(kRaceLimits.steps, 0)).toBe('steps must be a whole number from 1 to 10000, got 0');
    expect(wholeNumberProblem(kAdamStepsLimits.steps, 21)).toBe('steps must be a whole number from 1 to 20, got 21');
    expect(wholeNumberProblem(kInitLimits.nodes, 2.5)).toBe('nodes must be a whole number from 1 to 1000, got 2.5');
    expect(wholeNumberProblem(kInitLimits.layers, 10)).toBeNull();
  });

  it('the init experiment checks its sizes and settings against its table', () => {
    expect(() => resolveInitConfig({ ...kSeedInitExperiment, layers: kInitLimits.layers.max + 1 })).toThrow(
      'layers must be a whole number from 1 to 10, got 11',
    );
    expect(() => resolveInitConfig({ ...kSeedInitExperiment, seed: -1 })).toThrow('seed must be a whole number from 0 to 4294967295, got -1');
    expect(() => resolveInitConfig({ ...kSeedInitExperiment, settings: [] })).toThrow('an experiment needs from 1 to 64 settings, got 0');
    expect(() => resolveInitConfig({ ...kSeedInitExperiment, settings: [{ init: 2, activation: 'relu' }] })).toThrow(
      'a numeric init is a standard deviation in (0, 1], got 2',
    );
  });
});
