/** A weight init's text form and check (src/nn/weight-init.ts), shared by the racers and the init experiment. */
import { describe, expect, it } from 'vitest';
import { parseInit } from '../src/init/config';
import { checkRacerText } from '../src/optim/racer-spec';
import { formatWeightInit, isValidWeightInit, parseWeightInit, weightStd } from '../src/nn/weight-init';

describe('parseWeightInit', () => {
  it("reads 'he', 'xavier' in any case and decimals as parseDecimal does; NaN otherwise", () => {
    expect([' He ', 'XAVIER', '0.01', '1e-2', '.5', '1'].map(parseWeightInit)).toEqual(['he', 'xavier', 0.01, 0.01, 0.5, 1]);
    expect(['', 'lecun', '0x10', '1,5'].map(parseWeightInit).every(Number.isNaN)).toBe(true);
  });

  it('round-trips through formatWeightInit', () => {
    for (const init of ['he', 'xavier', 0.01, 1] as const) expect(parseWeightInit(formatWeightInit(init))).toBe(init);
  });

  it('one message for a bad init, from the racer check and from weightStd', () => {
    expect([0, -1, NaN].some(isValidWeightInit)).toBe(false);
    expect(checkRacerText({ optimizer: 'sgd', values: {}, init: ' 0 ' }).problems.init).toBe('init must be he, xavier or a positive standard deviation, got 0');
    expect(() => weightStd(-1, 10)).toThrow('init must be he, xavier or a positive standard deviation, got -1');
    expect(weightStd('he', 8)).toBe(0.5);
  });

  it("the init experiment takes the seed's four choices, however the number is written", () => {
    expect(['1', '1.0', '0.01', '1e-2', 'He'].map(parseInit)).toEqual([1, 1, 0.01, 0.01, 'he']);
    expect(() => parseInit('0.5')).toThrow("Unknown init '0.5'. Allowed: 1, 0.01, xavier, he");
  });
});
