/**
 * Learning-rate schedules, one per racer: the kinds and their parameters, the text form, the JSON
 * form, the validation, and the scheduled rate itself. The engines compute it on the CPU in
 * float64 and write it into the per-step uniform in place of `lr` (no extra dispatch); the float64
 * references get the same value, so both agree.
 *
 * With lr the racer's learning rate, t the racer's own 1-based optimizer step and total the race's
 * length (the MNIST race's iterations, the 2D race's steps):
 *
 *   constant                 lr
 *   step(factor, every)      lr · factor^floor((t − 1) / every)
 *                            factor in (0, 1], every a whole number ≥ 1
 *   cosine(floor)            floor + (lr − floor) · (1 + cos(π · (t − 1) / max(1, total − 1))) / 2
 *                            floor in [0, lr]
 *   warmup(steps, floor)     t ≤ steps: lr · t / steps
 *                            after: cosine from lr to floor over the remaining total − steps steps,
 *                            at t' = t − steps: floor + (lr − floor) · (1 + cos(π · (t' − 1) / max(1, total − steps − 1))) / 2
 *                            steps a whole number ≥ 1, floor in [0, lr]
 *   range(min, max)          min · (max / min)^((t − 1) / max(1, total − 1)): the LR range test
 *                            (Smith 2015; fastai's and Lightning's "LR finder"), exponential from min
 *                            at t = 1 to max at t = total, whatever the racer's lr; 0 < min < max
 *
 * Text form (colon-separated, no commas, so it sits inside the CLI's `adam:lr=0.01,schedule=...`
 * and the URL's `adam,lr:0.01,sc:...`): `constant`, `step:0.5:100`, `cosine:1e-5`,
 * `warmup:100:1e-5`, `range:1e-6:10`. JSON form: `{"kind": "step", "factor": 0.5, "every": 100}`; a constant
 * schedule is left out of the exports.
 */
import { parseDecimal } from '../util/decimal';
import { errorMessage } from '../util/error-message';
import { shortNumber } from '../util/short-number';

export type Schedule =
  | { kind: 'constant' }
  | { kind: 'step'; factor: number; every: number }
  | { kind: 'cosine'; floor: number }
  | { kind: 'warmup'; steps: number; floor: number }
  | { kind: 'range'; min: number; max: number };

export type ScheduleKind = Schedule['kind'];

export const kScheduleKinds: readonly ScheduleKind[] = ['constant', 'step', 'cosine', 'warmup', 'range'];

export const kConstantSchedule: Schedule = Object.freeze({ kind: 'constant' });

/** Each kind's parameters, in text-form order. */
export const kScheduleParameters: Readonly<Record<ScheduleKind, readonly string[]>> = {
  constant: [],
  step: ['factor', 'every'],
  cosine: ['floor'],
  warmup: ['steps', 'floor'],
  range: ['min', 'max'],
};

/** The text form of each kind, for messages and help. */
export const kScheduleForms = 'constant, step:FACTOR:EVERY, cosine:FLOOR, warmup:STEPS:FLOOR or range:MIN:MAX';

export const isScheduleKind = (value: string): value is ScheduleKind => (kScheduleKinds as readonly string[]).includes(value);

export const isConstant = (schedule: Schedule | undefined): boolean => schedule === undefined || schedule.kind === 'constant';

/**
 * Parses the text form (`step:0.5:100`); empty text is constant. Structural mistakes (an unknown
 * kind, the wrong number of parameters, a parameter that is not a number) throw a message that
 * shows the forms; the values' ranges are checked by scheduleProblem.
 */
export function parseSchedule(text: string): Schedule {
  const trimmed = text.trim();
  if (trimmed === '') return kConstantSchedule;
  const [kindText, ...params] = trimmed.split(':');
  const kind = kindText.trim().toLowerCase();
  if (!isScheduleKind(kind)) throw new Error(`schedule must be ${kScheduleForms}, got '${trimmed}'`);
  const names = kScheduleParameters[kind];
  if (params.length !== names.length) {
    const form = [kind, ...names.map((n) => n.toUpperCase())].join(':');
    throw new Error(`schedule ${kind} takes ${names.length === 0 ? 'no parameters' : form}, got '${trimmed}'`);
  }
  const values = params.map((p, i) => {
    const value = parseDecimal(p);
    if (!Number.isFinite(value)) throw new Error(`schedule ${kind}: ${names[i]} must be a number, got '${p.trim()}'`);
    return value;
  });
  switch (kind) {
    case 'constant':
      return kConstantSchedule;
    case 'step':
      return { kind, factor: values[0], every: values[1] };
    case 'cosine':
      return { kind, floor: values[0] };
    case 'warmup':
      return { kind, steps: values[0], floor: values[1] };
    case 'range':
      return { kind, min: values[0], max: values[1] };
  }
}

/** The text form; parseSchedule reads it back to an equal schedule. */
export function formatSchedule(schedule: Schedule | undefined): string {
  const s = schedule ?? kConstantSchedule;
  switch (s.kind) {
    case 'constant':
      return 'constant';
    case 'step':
      return `step:${s.factor}:${s.every}`;
    case 'cosine':
      return `cosine:${s.floor}`;
    case 'warmup':
      return `warmup:${s.steps}:${s.floor}`;
    case 'range':
      return `range:${s.min}:${s.max}`;
  }
}

const wholeAtLeastOne = (n: number): boolean => Number.isInteger(n) && n >= 1;

/** What is wrong with a schedule's values for this learning rate (undefined: fine). */
export function scheduleProblem(schedule: Schedule, lr: number): string | undefined {
  switch (schedule.kind) {
    case 'constant':
      return undefined;
    case 'step':
      if (!(schedule.factor > 0 && schedule.factor <= 1)) return `schedule step: factor must be in (0, 1], got ${schedule.factor}`;
      if (!wholeAtLeastOne(schedule.every)) return `schedule step: every must be a whole number ≥ 1, got ${schedule.every}`;
      return undefined;
    case 'warmup':
      if (!wholeAtLeastOne(schedule.steps)) return `schedule warmup: steps must be a whole number ≥ 1, got ${schedule.steps}`;
      return floorProblem('warmup', schedule.floor, lr);
    case 'cosine':
      return floorProblem('cosine', schedule.floor, lr);
    case 'range':
      if (!(Number.isFinite(schedule.min) && schedule.min > 0)) return `schedule range: min must be a positive number, got ${schedule.min}`;
      if (!(Number.isFinite(schedule.max) && schedule.max > schedule.min))
        return `schedule range: max must be above min = ${schedule.min}, got ${schedule.max}`;
      return undefined;
  }
}

function floorProblem(kind: string, floor: number, lr: number): string | undefined {
  if (!(floor >= 0 && floor <= lr)) return `schedule ${kind}: floor must be in [0, lr] = [0, ${lr}], got ${floor}`;
  return undefined;
}

/** Parses and checks the text form in one go: the schedule, or the message saying what is wrong. */
export function checkScheduleText(text: string, lr: number): { schedule: Schedule; problem?: string } {
  try {
    const schedule = parseSchedule(text);
    const problem = Number.isFinite(lr) ? scheduleProblem(schedule, lr) : undefined;
    return problem ? { schedule, problem } : { schedule };
  } catch (error) {
    return { schedule: kConstantSchedule, problem: errorMessage(error) };
  }
}

/** The JSON form as the exports write it: the schedule object, or undefined for constant. */
export function scheduleJson(schedule: Schedule | undefined): Schedule | undefined {
  if (schedule === undefined || schedule.kind === 'constant') return undefined;
  return { ...schedule };
}

/**
 * A schedule from untrusted JSON (`{"kind": "step", "factor": 0.5, "every": 100}`, or its text
 * form as a string): the shape is checked here; the ranges later, by scheduleProblem.
 */
export function scheduleFromJson(value: unknown, where: string): Schedule {
  if (typeof value === 'string') {
    try {
      return parseSchedule(value);
    } catch (error) {
      throw new Error(`${where}: ${errorMessage(error)}`);
    }
  }
  const shape = `schedule must be {"kind": "constant" | "step" | "cosine" | "warmup" | "range", ...its parameters} or text (${kScheduleForms})`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${where}: ${shape}`);
  const v = value as Record<string, unknown>;
  const kind = typeof v.kind === 'string' ? v.kind.trim().toLowerCase() : '';
  if (!isScheduleKind(kind)) throw new Error(`${where}: ${shape}, got kind ${JSON.stringify(v.kind)}`);
  const numbers: Record<string, number> = {};
  for (const name of kScheduleParameters[kind]) {
    const x = v[name];
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new Error(`${where}: schedule ${kind} needs a number "${name}", got ${JSON.stringify(x)}`);
    numbers[name] = x;
  }
  return parseSchedule([kind, ...kScheduleParameters[kind].map((n) => String(numbers[n]))].join(':'));
}

/** The cosine half-wave from lr (at t = 1) down to floor (at t = total). */
function cosine(lr: number, floor: number, t: number, total: number): number {
  return floor + ((lr - floor) * (1 + Math.cos((Math.PI * (t - 1)) / Math.max(1, total - 1)))) / 2;
}

/** The LR range test's rate at step t: exponential from min (t = 1) to max (t = total). */
export function rangeLr(min: number, max: number, t: number, total: number): number {
  return min * (max / min) ** ((t - 1) / Math.max(1, total - 1));
}

/** The learning rate at the racer's 1-based step t of a race `total` steps long, in float64. */
export function scheduledLr(lr: number, schedule: Schedule | undefined, t: number, total: number): number {
  const s = schedule ?? kConstantSchedule;
  switch (s.kind) {
    case 'constant':
      return lr;
    case 'step':
      return lr * s.factor ** Math.floor((t - 1) / s.every);
    case 'cosine':
      return cosine(lr, s.floor, t, total);
    case 'warmup':
      return t <= s.steps ? (lr * t) / s.steps : cosine(lr, s.floor, t - s.steps, total - s.steps);
    case 'range':
      return rangeLr(s.min, s.max, t, total);
  }
}

/**
 * The hyperparameters with `lr` scheduled for step t (what the step uniform and the reference get).
 * An optimizer without an lr, or a constant schedule, gets `h` itself.
 */
export function scheduledHyperparameters<H extends Readonly<Record<string, number>>>(h: H, schedule: Schedule | undefined, t: number, total: number): H {
  if (isConstant(schedule) || typeof h.lr !== 'number') return h;
  return { ...h, lr: scheduledLr(h.lr, schedule, t, total) };
}

/** `count` evenly spaced samples [t, lr_t] over steps 1..total (the sparkline). */
export function scheduleSamples(lr: number, schedule: Schedule | undefined, total: number, count = 80): [number, number][] {
  const n = Math.max(1, Math.min(count, total));
  return Array.from({ length: n }, (_, i) => {
    const t = n === 1 ? 1 : 1 + Math.round(((total - 1) * i) / (n - 1));
    return [t, scheduledLr(lr, schedule, t, total)];
  });
}

const short = (x: number): string => shortNumber(x, 3);

/** One line for a schedule over a race: "lr 0.01 → 1e-5, cosine" (the sparkline's text alternative). */
export function describeSchedule(lr: number, schedule: Schedule | undefined, total: number): string {
  const s = schedule ?? kConstantSchedule;
  const end = scheduledLr(lr, s, Math.max(1, total), Math.max(1, total));
  switch (s.kind) {
    case 'constant':
      return `lr ${short(lr)}, constant`;
    case 'step':
      return `lr ${short(lr)} → ${short(end)}, step ×${s.factor} every ${s.every}`;
    case 'cosine':
      return `lr ${short(lr)} → ${short(end)}, cosine`;
    case 'warmup':
      return `lr ${short(scheduledLr(lr, s, 1, total))} ↗ ${short(lr)} → ${short(end)}, warmup ${s.steps} then cosine`;
    case 'range':
      return `lr ${short(s.min)} ↗ ${short(s.max)}, range test (exponential)`;
  }
}
