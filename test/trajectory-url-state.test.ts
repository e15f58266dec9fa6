/** The 2D race's URL hash form: round trips (typed text with the form's own separators in it) and structural errors. */
import { describe, expect, it } from 'vitest';
import { seedRacerSettings } from '../src/ui/trajectory-race/racer-settings';
import { decodeTrajectorySettings, encodeTrajectorySettings, type TrajectorySettings } from '../src/ui/trajectory-race/url-state';

const seed = (): TrajectorySettings => ({ function: 'seed', steps: 30, start: '-7,2', view: 'grid', racers: seedRacerSettings() });

describe('the 2D race in the URL hash', () => {
  it("writes the seed's race briefly", () => {
    expect(encodeTrajectorySettings(seed())).toBe('f:seed,n:30,s:-7%2C2');
    expect(decodeTrajectorySettings('f:seed,n:30,s:-7%2C2')).toEqual(seed());
  });

  it.for([
    'x^2 + 3*y^2 + sin(x)',
    'min(x, y) / (1 + x^2)',
    // Not valid functions, but kept as typed so the field can explain them: the form must survive them.
    'a,b/c&d=e:f%g#h',
    '%E0%A4%A',
    'alert(\'x\') ; __proto__ [1,2] "str"',
    'é ünïcode ∑',
  ])('round-trips the function %j', (text) => {
    const settings = { ...seed(), function: text };
    const value = encodeTrajectorySettings(settings);
    expect(value).not.toMatch(/[&#\s]/);
    expect(value.split('/')).toHaveLength(1);
    expect(decodeTrajectorySettings(value).function).toBe(text.trim().replace(/\s+/g, ' '));
  });

  it('round-trips the view box, view, steps as typed, included racers and changed hyperparameters', () => {
    const racers = seedRacerSettings().map((r) =>
      r.optimizer === 'adam' ? { ...r, values: { ...r.values, lr: '0.05', beta2: '0.9' } } : r.optimizer === 'lion' ? { ...r, included: true } : r,
    );
    racers.find((r) => r.optimizer === 'sgd')!.included = false;
    const settings: TrajectorySettings = { function: 'himmelblau', steps: NaN, start: '1,', viewBox: '-6,6,-6,6', view: 'overlay', racers };
    const value = encodeTrajectorySettings(settings);
    expect(value).toBe('f:himmelblau,n:,s:1%2C,vb:-6%2C6%2C-6%2C6,v:overlay,r:momentum.adagrad.adam.rmsprop.nesterov.lion/adam,lr:0.05,beta2:0.9');
    expect(decodeTrajectorySettings(value)).toEqual(settings);
  });

  it.for([
    ['f:seed,n:30', /needs f, n and s/],
    ['f:seed,n:30,s:0%2C0,zz:1', /unknown setting 'zz'/],
    ['f:seed,f:xy,n:30,s:0%2C0', /'f' is given twice/],
    ['f:seed,n:many,s:0%2C0', /steps 'many' is not a number/],
    ['f:%E0%A4%A,n:30,s:0%2C0', /f '%E0%A4%A' is not properly encoded/],
    ['f:seed,n:30,s:0%2C0,v:3d', /view '3d' is not grid or overlay/],
    ['f:seed,n:30,s:0%2C0,r:sgd.rocket', /unknown optimizer 'rocket' in r/],
    ['f:seed,n:30,s:0%2C0/rocket', /racer 1: unknown optimizer 'rocket'/],
    ['f:seed,n:30,s:0%2C0/adam,lr:1/adam,lr:2', /racer 2: adam is given twice/],
    ['f:seed,n:30,s:0%2C0/adam,gamma:1', /racer 1: unknown setting 'gamma'/],
    ['seed', /'seed' is not key:value/],
    [`f:${'x'.repeat(5000)},n:1,s:0%2C0`, /characters long \(at most 4000\)/],
  ] as const)('rejects %j', ([value, message]) => {
    expect(() => decodeTrajectorySettings(value)).toThrow(message);
  });
});
