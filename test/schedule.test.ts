/**
 * Learning-rate schedules (src/optim/schedule.ts): golden values from the formulas written out
 * here, the text and JSON forms, the validation, and the racer model's CLI, URL and JSON forms.
 */
import { describe, expect, it } from 'vitest';
import { racerFromArgument } from '../src/cli/args';
import { checkRacerText, defaultValues, problemList, racerText } from '../src/optim/racer-spec';
import { racerJson, racerSpecFromJson } from '../src/optim/racer-json';
import { formatRacerArgument, parseRacerArgument } from '../src/optim/racer-cli-argument';
import { formatRacerSegment, parseRacerSegment } from '../src/optim/racer-url-segment';
import {
  checkScheduleText,
  describeSchedule,
  formatSchedule,
  parseSchedule,
  scheduledHyperparameters,
  scheduledLr,
  scheduleFromJson,
  scheduleProblem,
  scheduleSamples,
  type Schedule,
} from '../src/optim/schedule';
import { checkRaceSettings, kSeedRace, resolvedRacerJson, resolveRace } from '../src/race/config';

describe('scheduledLr', () => {
  it('constant is lr at every step', () => {
    for (const t of [1, 2, 50, 100]) expect(scheduledLr(0.01, { kind: 'constant' }, t, 100)).toBe(0.01);
    expect(scheduledLr(0.01, undefined, 7, 100)).toBe(0.01);
  });

  it('step multiplies by factor every `every` steps', () => {
    const s: Schedule = { kind: 'step', factor: 0.5, every: 2 };
    // lr·factor^floor((t−1)/every): t = 1, 2 → 0.1; 3, 4 → 0.05; 5 → 0.025
    expect([1, 2, 3, 4, 5].map((t) => scheduledLr(0.1, s, t, 10))).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
    expect(scheduledLr(0.01, { kind: 'step', factor: 0.1, every: 100 }, 201, 1000)).toBeCloseTo(0.01 * 0.01, 15);
    expect(scheduledLr(0.01, { kind: 'step', factor: 1, every: 1 }, 999, 1000)).toBe(0.01);
  });

  it('cosine goes from lr at t = 1 to floor at t = total, half-way at the middle', () => {
    const lr = 0.01;
    const floor = 1e-5;
    const total = 101;
    const s: Schedule = { kind: 'cosine', floor };
    const golden = (t: number) => floor + ((lr - floor) * (1 + Math.cos((Math.PI * (t - 1)) / (total - 1)))) / 2;
    expect(scheduledLr(lr, s, 1, total)).toBe(lr);
    expect(scheduledLr(lr, s, total, total)).toBeCloseTo(floor, 15);
    expect(scheduledLr(lr, s, 51, total)).toBeCloseTo((lr + floor) / 2, 15);
    // cos(π/4) = √2/2 at t − 1 = 25 of 100
    expect(scheduledLr(lr, s, 26, total)).toBeCloseTo(floor + ((lr - floor) * (1 + Math.SQRT1_2)) / 2, 15);
    for (const t of [2, 17, 99]) expect(scheduledLr(lr, s, t, total)).toBe(golden(t));
    // A one-step race: max(1, total − 1) keeps it at lr.
    expect(scheduledLr(lr, s, 1, 1)).toBe(lr);
  });

  it('warmup rises linearly to lr over `steps`, then follows the cosine over the rest', () => {
    const lr = 0.2;
    const floor = 0.02;
    const total = 14;
    const s: Schedule = { kind: 'warmup', steps: 4, floor };
    // t ≤ 4: lr·t/4
    expect([1, 2, 3, 4].map((t) => scheduledLr(lr, s, t, total))).toEqual([0.05, 0.1, 0.15000000000000002, 0.2]);
    // t > 4: t' = t − 4, cosine over total − 4 = 10 steps: floor + (lr − floor)(1 + cos(π(t' − 1)/9))/2
    const after = (t: number) => floor + ((lr - floor) * (1 + Math.cos((Math.PI * (t - 4 - 1)) / 9))) / 2;
    expect(scheduledLr(lr, s, 5, total)).toBe(lr);
    expect(scheduledLr(lr, s, total, total)).toBeCloseTo(floor, 15);
    for (const t of [6, 9, 13]) expect(scheduledLr(lr, s, t, total)).toBe(after(t));
    // Warmup as long as the race: only the ramp.
    expect(scheduledLr(lr, { kind: 'warmup', steps: 14, floor: 0 }, 7, 14)).toBe(0.1);
  });

  it('replaces only lr in the hyperparameters', () => {
    const h = { lr: 0.1, beta1: 0.9 };
    expect(scheduledHyperparameters(h, { kind: 'step', factor: 0.5, every: 1 }, 2, 10)).toEqual({ lr: 0.05, beta1: 0.9 });
    expect(scheduledHyperparameters(h, { kind: 'constant' }, 2, 10)).toBe(h);
    const noLr = { rho: 0.95 };
    expect(scheduledHyperparameters(noLr, { kind: 'cosine', floor: 0 }, 2, 10)).toBe(noLr);
  });

  it('samples the race for the sparkline and describes it in one line', () => {
    const samples = scheduleSamples(0.01, { kind: 'cosine', floor: 1e-5 }, 1000, 80);
    expect(samples).toHaveLength(80);
    expect(samples[0]).toEqual([1, 0.01]);
    expect(samples[79][0]).toBe(1000);
    expect(scheduleSamples(0.01, undefined, 3)).toEqual([
      [1, 0.01],
      [2, 0.01],
      [3, 0.01],
    ]);
    expect(describeSchedule(0.01, { kind: 'cosine', floor: 1e-5 }, 1000)).toBe('lr 0.01 → 0.00001, cosine');
    expect(describeSchedule(0.01, { kind: 'step', factor: 0.5, every: 100 }, 300)).toBe('lr 0.01 → 0.0025, step ×0.5 every 100');
    expect(describeSchedule(0.01, undefined, 300)).toBe('lr 0.01, constant');
    expect(describeSchedule(0.01, { kind: 'warmup', steps: 10, floor: 0 }, 300)).toBe('lr 0.001 ↗ 0.01 → 0, warmup 10 then cosine');
  });
});

describe('the text form', () => {
  it('parses each kind and prints it back', () => {
    const cases: [string, Schedule][] = [
      ['constant', { kind: 'constant' }],
      ['step:0.5:100', { kind: 'step', factor: 0.5, every: 100 }],
      ['cosine:1e-5', { kind: 'cosine', floor: 1e-5 }],
      ['warmup:100:1e-5', { kind: 'warmup', steps: 100, floor: 1e-5 }],
    ];
    for (const [text, schedule] of cases) {
      expect(parseSchedule(text)).toEqual(schedule);
      expect(parseSchedule(formatSchedule(schedule))).toEqual(schedule);
    }
    expect(parseSchedule('')).toEqual({ kind: 'constant' });
    expect(parseSchedule(' Cosine:0 ')).toEqual({ kind: 'cosine', floor: 0 });
    expect(formatSchedule({ kind: 'cosine', floor: 1e-5 })).toBe('cosine:0.00001');
  });

  it('says what is wrong, with the forms', () => {
    expect(() => parseSchedule('linear')).toThrow(
      "schedule must be constant, step:FACTOR:EVERY, cosine:FLOOR, warmup:STEPS:FLOOR or range:MIN:MAX, got 'linear'",
    );
    expect(() => parseSchedule('step:0.5')).toThrow("schedule step takes step:FACTOR:EVERY, got 'step:0.5'");
    expect(() => parseSchedule('constant:1')).toThrow("schedule constant takes no parameters, got 'constant:1'");
    expect(() => parseSchedule('cosine:low')).toThrow("schedule cosine: floor must be a number, got 'low'");
  });

  it('checks the ranges against the learning rate', () => {
    expect(scheduleProblem({ kind: 'step', factor: 0, every: 1 }, 0.1)).toBe('schedule step: factor must be in (0, 1], got 0');
    expect(scheduleProblem({ kind: 'step', factor: 1.5, every: 1 }, 0.1)).toBe('schedule step: factor must be in (0, 1], got 1.5');
    expect(scheduleProblem({ kind: 'step', factor: 0.5, every: 2.5 }, 0.1)).toBe('schedule step: every must be a whole number ≥ 1, got 2.5');
    expect(scheduleProblem({ kind: 'step', factor: 0.5, every: 0 }, 0.1)).toMatch(/every must be a whole number ≥ 1, got 0/);
    expect(scheduleProblem({ kind: 'cosine', floor: 0.2 }, 0.1)).toBe('schedule cosine: floor must be in [0, lr] = [0, 0.1], got 0.2');
    expect(scheduleProblem({ kind: 'cosine', floor: -1 }, 0.1)).toMatch(/floor must be in \[0, lr\]/);
    expect(scheduleProblem({ kind: 'warmup', steps: 0, floor: 0 }, 0.1)).toBe('schedule warmup: steps must be a whole number ≥ 1, got 0');
    expect(scheduleProblem({ kind: 'warmup', steps: 10, floor: 0.1 }, 0.1)).toBeUndefined();
    expect(checkScheduleText('step:2:10', 0.1)).toEqual({
      schedule: { kind: 'step', factor: 2, every: 10 },
      problem: 'schedule step: factor must be in (0, 1], got 2',
    });
    expect(checkScheduleText('cosine', 0.1).problem).toMatch(/takes cosine:FLOOR/);
  });

  it('reads the JSON form (or text) and rejects a bad shape', () => {
    expect(scheduleFromJson({ kind: 'step', factor: 0.5, every: 100 }, 'racer 1')).toEqual({ kind: 'step', factor: 0.5, every: 100 });
    expect(scheduleFromJson('warmup:5:0', 'racer 1')).toEqual({ kind: 'warmup', steps: 5, floor: 0 });
    expect(() => scheduleFromJson({ kind: 'step', factor: 0.5 }, 'racer 2')).toThrow('racer 2: schedule step needs a number "every", got undefined');
    expect(() => scheduleFromJson({ kind: 'exp' }, 'racer 1')).toThrow(/racer 1: schedule must be \{"kind"/);
    expect(() => scheduleFromJson(3, 'racer 1')).toThrow(/racer 1: schedule must be/);
  });
});

describe('a schedule in the racer model', () => {
  it('the CLI form: schedule=KIND:...', () => {
    const typed = parseRacerArgument('adam:lr=0.01,schedule=step:0.5:100', ['schedule']);
    expect(typed).toEqual({ optimizer: 'adam', values: { lr: '0.01' }, schedule: 'step:0.5:100' });
    const { racer, problems } = checkRacerText(typed);
    expect(problemList(problems)).toEqual([]);
    expect(racer.schedule).toEqual({ kind: 'step', factor: 0.5, every: 100 });
    expect(formatRacerArgument(racer)).toBe('adam:lr=0.01,schedule=step:0.5:100');
    expect(checkRacerText(parseRacerArgument(formatRacerArgument(racer), ['schedule'])).racer).toEqual(racer);
    expect(racerFromArgument('sgd:schedule=cosine:1e-5', ['schedule'])).toEqual({
      optimizer: 'sgd',
      hyperparameters: {},
      schedule: { kind: 'cosine', floor: 1e-5 },
    });
    // Not a field this command takes.
    expect(() => parseRacerArgument('sgd:schedule=constant')).toThrow("SGD has no hyperparameter 'schedule'. Allowed: lr");
  });

  it('explains a bad schedule in the schedule field', () => {
    const { problems } = checkRacerText({ optimizer: 'sgd', values: { lr: '0.01' }, schedule: 'cosine:0.5' });
    expect(problems.schedule).toBe('schedule cosine: floor must be in [0, lr] = [0, 0.01], got 0.5');
    expect(problemList(problems)).toEqual([problems.schedule]);
    expect(checkRacerText({ optimizer: 'sgd', values: {}, schedule: 'exp:2' }).problems.schedule).toMatch(/^schedule must be constant/);
    expect(() => racerFromArgument('sgd:lr=0.1,schedule=step:2:10', ['schedule'])).toThrow('schedule step: factor must be in (0, 1], got 2');
    // A constant schedule is the default and is left out.
    expect(checkRacerText({ optimizer: 'sgd', values: {}, schedule: 'constant' }).racer.schedule).toBeUndefined();
  });

  it('the URL form: sc:KIND%3A...', () => {
    const typed = parseRacerSegment('adam,lr:0.01,sc:step%3A0.5%3A100', 0);
    expect(typed.schedule).toBe('step:0.5:100');
    expect(checkRacerText(typed).racer.schedule).toEqual({ kind: 'step', factor: 0.5, every: 100 });
    // The URL form is written from a draft (every hyperparameter filled in).
    const segment = formatRacerSegment({ ...typed, values: { ...defaultValues('adam'), ...typed.values } }, '#d6589f');
    expect(segment).toBe('adam,lr:0.01,sc:step%3A0.5%3A100');
    expect(parseRacerSegment(segment, 0)).toEqual(typed);
    // Unencoded colons read the same; constant is not written.
    expect(parseRacerSegment('sgd,sc:cosine:1e-5', 0).schedule).toBe('cosine:1e-5');
    expect(formatRacerSegment({ optimizer: 'sgd', values: defaultValues('sgd'), schedule: 'constant' }, '#e05a47')).toBe('sgd');
    // A bad value arrives as typed and is explained by the check.
    expect(checkRacerText(parseRacerSegment('sgd,sc:step%3A0%3A1', 0)).problems.schedule).toMatch(/factor must be in \(0, 1\]/);
  });

  it('the JSON form: {"kind", ...} in the exports, left out for constant', () => {
    const spec = racerSpecFromJson({ optimizer: 'sgd', hyperparameters: { lr: 0.1 }, schedule: { kind: 'warmup', steps: 10, floor: 0.001 } }, 0);
    expect(spec.schedule).toEqual({ kind: 'warmup', steps: 10, floor: 0.001 });
    expect(racerJson(spec).schedule).toEqual({ kind: 'warmup', steps: 10, floor: 0.001 });
    expect(JSON.parse(JSON.stringify(racerJson(spec)))).toEqual({ ...racerJson(spec) });
    expect(racerText(spec).schedule).toBe('warmup:10:0.001');
    expect(checkRacerText(racerText(spec)).racer).toEqual({ ...spec, init: 'he', activation: 'relu' });
    expect('schedule' in racerJson({ optimizer: 'sgd' })).toBe(false);
    expect('schedule' in racerJson({ optimizer: 'sgd', schedule: { kind: 'constant' } })).toBe(false);
    expect(() => racerSpecFromJson({ optimizer: 'sgd', schedule: { kind: 'step' } }, 1)).toThrow('racer 2: schedule step needs a number "factor"');
  });

  it('resolveRace carries it, checkRaceSettings reports it', () => {
    const config = { ...kSeedRace, racers: [{ optimizer: 'sgd', schedule: { kind: 'step', factor: 0.5, every: 2 } as Schedule }, { optimizer: 'adam' }] };
    const race = resolveRace(config);
    expect(race.racers[0].schedule).toEqual({ kind: 'step', factor: 0.5, every: 2 });
    expect(race.racers[1].schedule).toEqual({ kind: 'constant' });
    expect(resolvedRacerJson(race.racers[0]).schedule).toEqual({ kind: 'step', factor: 0.5, every: 2 });
    expect('schedule' in resolvedRacerJson(race.racers[1])).toBe(false);
    const bad = { ...kSeedRace, racers: [{ optimizer: 'sgd', schedule: { kind: 'cosine', floor: 1 } as Schedule }] };
    expect(checkRaceSettings(bad).racers).toBe('schedule cosine: floor must be in [0, lr] = [0, 0.01], got 1');
    expect(() => resolveRace(bad)).toThrow('schedule cosine: floor must be in [0, lr]');
  });
});
