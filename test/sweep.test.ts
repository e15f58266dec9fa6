/**
 * Sweeps (src/optim/sweep/grid.ts) and the LR range test's schedule: values written out by hand
 * (10^(-4 + 4i/7) for lr=1e-4..1:8), the messages, the expansion into racers.
 */
import { describe, expect, it } from 'vitest';
import { checkRacerText, racerText } from '../src/optim/racer-spec';
import { formatRacerArgument, parseRacerArgument } from '../src/optim/racer-cli-argument';
import { formatSchedule, parseSchedule, scheduledLr, scheduleProblem } from '../src/optim/schedule';
import { expandSweep, formatSweep, lrFinderRacers, parseLrRange, parseSweep, sweepValues } from '../src/optim/sweep';

describe('parseSweep and sweepValues', () => {
  it('log-spaces lr with both ends included, 4 significant digits inside', () => {
    const sweep = parseSweep('lr=1e-4..1:8', 64);
    expect(sweep).toEqual({ key: 'lr', min: 1e-4, max: 1, count: 8 });
    expect(sweepValues(sweep)).toEqual([0.0001, 0.0003728, 0.001389, 0.005179, 0.01931, 0.07197, 0.2683, 1]);
    expect(sweepValues(parseSweep('lr=1e-3..10:5', 64))).toEqual([0.001, 0.01, 0.1, 1, 10]);
  });

  it('spaces any other key linearly', () => {
    expect(sweepValues(parseSweep(' momentum = 0.5..0.9 : 5 ', 64))).toEqual([0.5, 0.6, 0.7, 0.8, 0.9]);
    expect(sweepValues(parseSweep('beta2=0.9..0.999:3', 64))).toEqual([0.9, 0.9495, 0.999]);
  });

  it.each([
    ['lr', /a sweep is KEY=MIN\.\.MAX:COUNT/],
    ['lr=1e-4..1', /a sweep is KEY=MIN\.\.MAX:COUNT/],
    ['lr=1e-4-1:8', /sweep lr must be MIN\.\.MAX/],
    ['lr=x..1:8', /sweep lr: MIN must be a number, got 'x'/],
    ['lr=1e-4..1:many', /sweep lr: COUNT must be a whole number, got 'many'/],
    ['gamma=0.1..1:4', /no optimizer has a hyperparameter 'gamma'; sweepable keys: lr, momentum/],
    ['lr=0..1:8', /sweep lr: MIN must be in lr's range \(0, ∞\), got 0/],
    ['momentum=0.5..1:6', /sweep momentum: MAX must be in momentum's range \[0, 1\), got 1/],
    ['lr=1..1e-4:8', /sweep lr: MAX must be above MIN = 1, got 0.0001/],
    ['lr=1e-4..1:1', /sweep lr: COUNT must be a whole number from 2 to 64, got 1/],
    ['lr=1e-4..1:65', /COUNT must be a whole number from 2 to 64, got 65/],
  ])('%s is refused: %s', (text, message) => {
    expect(() => parseSweep(text, 64)).toThrow(message);
  });

  it('reads its own text form back', () => {
    const sweep = parseSweep('momentum=0.5..0.99:6', 64);
    expect(parseSweep(formatSweep(sweep), 64)).toEqual(sweep);
  });
});

describe('expandSweep', () => {
  it('gives one ordinary racer per optimizer and value, the key set, named by it', () => {
    const racers = expandSweep(parseSweep('lr=1e-3..1e-1:3', 64), ['sgd', 'adam']);
    expect(racers).toEqual([
      { name: 'SGD lr=0.001', optimizer: 'sgd', hyperparameters: { lr: 0.001 } },
      { name: 'SGD lr=0.01', optimizer: 'sgd', hyperparameters: { lr: 0.01 } },
      { name: 'SGD lr=0.1', optimizer: 'sgd', hyperparameters: { lr: 0.1 } },
      { name: 'Adam lr=0.001', optimizer: 'adam', hyperparameters: { lr: 0.001 } },
      { name: 'Adam lr=0.01', optimizer: 'adam', hyperparameters: { lr: 0.01 } },
      { name: 'Adam lr=0.1', optimizer: 'adam', hyperparameters: { lr: 0.1 } },
    ]);
    // Ordinary racers: the racer model's CLI form carries them, other hyperparameters at defaults.
    expect(formatRacerArgument(racers[4])).toBe('adam:lr=0.01,name=Adam lr=0.01');
    expect(racerText(racers[4]).values).toEqual({ lr: '0.01', beta1: '0.9', beta2: '0.999' });
  });

  it('refuses an optimizer without the key, naming its keys', () => {
    expect(() => expandSweep(parseSweep('momentum=0.5..0.9:3', 64), ['momentum', 'adam'])).toThrow(
      "Adam has no hyperparameter 'momentum' to sweep (its keys: lr, beta1, beta2)",
    );
    expect(() => expandSweep(parseSweep('lr=1e-3..1:3', 64), [])).toThrow('a sweep needs at least one optimizer');
  });
});

describe('the LR range test', () => {
  it('grows lr exponentially from min at step 1 to max at the last step', () => {
    const s = parseSchedule('range:1e-3:1e-1');
    expect(s).toEqual({ kind: 'range', min: 1e-3, max: 0.1 });
    expect(formatSchedule(s)).toBe('range:0.001:0.1');
    // min · (max/min)^((t−1)/(total−1)) with total 3: 1e-3, 1e-2, 1e-1, whatever the racer's lr.
    expect([1, 2, 3].map((t) => scheduledLr(5, s, t, 3))).toEqual([0.001, expect.closeTo(0.01, 15), expect.closeTo(0.1, 15)]);
    expect(scheduledLr(5, s, 1, 1)).toBe(0.001);
    expect(scheduleProblem({ kind: 'range', min: 0, max: 1 }, 1)).toMatch(/min must be a positive number, got 0/);
    expect(scheduleProblem({ kind: 'range', min: 1, max: 1 }, 1)).toMatch(/max must be above min = 1, got 1/);
  });

  it('has the racer text form of every schedule', () => {
    const typed = parseRacerArgument('adam:lr=10,schedule=range:1e-6:10', ['schedule']);
    const { racer, problems } = checkRacerText(typed);
    expect(problems).toEqual({ hyper: {} });
    expect(racer.schedule).toEqual({ kind: 'range', min: 1e-6, max: 10 });
  });

  it('makes one racer per optimizer with the range schedule', () => {
    expect(parseLrRange('1e-6..10')).toEqual([1e-6, 10]);
    expect(() => parseLrRange('0..10')).toThrow('LR range: MIN must be a learning rate above 0, got 0');
    expect(() => parseLrRange('1..0.1')).toThrow('LR range: MAX must be above MIN = 1, got 0.1');
    expect(lrFinderRacers(['sgd'], 1e-6, 10)).toEqual([
      { name: 'SGD LR range', optimizer: 'sgd', hyperparameters: { lr: 10 }, schedule: { kind: 'range', min: 1e-6, max: 10 } },
    ]);
  });
});
