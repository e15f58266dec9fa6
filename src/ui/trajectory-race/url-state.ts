/**
 * The 2D race's configuration in the URL hash (src/ui/hash-state.ts), so that a link reproduces it:
 *
 *   #race2d=f:seed,n:30,s:-7%2C2
 *   #race2d=f:x%5E2%20%2B%203*y%5E2,n:50,s:-4%2C3,vb:-5%2C5%2C-5%2C5,v:overlay,r:sgd.adam.lion/sgd,lr:0.5
 *
 * The first segment holds the function (f: a name or a typed f(x, y)), steps (n), start (s, "x,y"),
 * view box (vb, "xmin,xmax,ymin,ymax"; absent: the function's own), view (v, absent: grid) and
 * the racers in the race (r, absent: the seed's six). Each further `/` segment is a racer whose
 * hyperparameters differ from the seed's, in the MNIST race's racer form (src/optim/racer-url-segment.ts).
 * Every value is URI-encoded, so a typed function's `, / & = :` cannot break the form. Values are
 * kept as typed: a bad function or number arrives in its field and is explained there; anything
 * structurally wrong rejects the whole hash with a message.
 */
import { parseNumber, racerText } from '../../optim/racer-spec';
import { formatRacerSegment, parseRacerSegment } from '../../optim/racer-url-segment';
import { isOptimizerId, type OptimizerId } from '../../optim/registry';
import { kRaceLimits } from '../../race/limits';
import { isFunctionId } from '../../race2d/functions';
import { normalizeExpression } from '../../race2d/expression';
import { seedRacerSettings, type RacerSetting } from './racer-settings';

export type RaceView = 'grid' | 'overlay';

export interface TrajectorySettings {
  function: string;
  steps: number;
  start: string;
  /** Undefined: the function's own view. */
  viewBox?: string;
  view: RaceView;
  racers: RacerSetting[];
}

export const kTrajectoryHashKey = 'race2d';
const kMaxLength = 4000;

const enc = encodeURIComponent;
const sameValues = (a: RacerSetting['values'], b: RacerSetting['values']): boolean =>
  Object.keys({ ...a, ...b }).every((k) => (a[k as keyof typeof a] ?? '').trim() === (b[k as keyof typeof b] ?? '').trim());

export function encodeTrajectorySettings(settings: TrajectorySettings): string {
  const fn = isFunctionId(settings.function) ? settings.function : normalizeExpression(settings.function);
  const head = [`f:${enc(fn)}`, `n:${Number.isFinite(settings.steps) ? settings.steps : ''}`, `s:${enc(settings.start)}`];
  if (settings.viewBox !== undefined) head.push(`vb:${enc(settings.viewBox)}`);
  if (settings.view !== 'grid') head.push(`v:${settings.view}`);
  const seed = seedRacerSettings();
  const included = settings.racers.filter((r) => r.included).map((r) => r.optimizer);
  if (
    included.join('.') !==
    seed
      .filter((r) => r.included)
      .map((r) => r.optimizer)
      .join('.')
  )
    head.push(`r:${included.join('.')}`);
  const changed = settings.racers.filter((r) => !sameValues(r.values, seed.find((s) => s.optimizer === r.optimizer)?.values ?? {}));
  return [head.join(','), ...changed.map((r) => formatRacerSegment({ optimizer: r.optimizer, values: r.values }, ''))].join('/');
}

function decodePart(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new Error(`${what} '${text}' is not properly encoded`);
  }
}

/** Parses the value of the hash part; throws a message saying what is wrong. */
export function decodeTrajectorySettings(value: string): TrajectorySettings {
  if (value.length > kMaxLength) throw new Error(`it is ${value.length} characters long (at most ${kMaxLength})`);
  const [head, ...segments] = value.split('/');
  const fields = new Map<string, string>();
  for (const field of head.split(',')) {
    const colon = field.indexOf(':');
    if (colon < 0) throw new Error(`'${field}' is not key:value`);
    const key = field.slice(0, colon);
    if (!['f', 'n', 's', 'vb', 'v', 'r'].includes(key)) throw new Error(`unknown setting '${key}'`);
    if (fields.has(key)) throw new Error(`'${key}' is given twice`);
    fields.set(key, decodePart(field.slice(colon + 1), key));
  }
  const fn = fields.get('f');
  const stepsText = fields.get('n');
  const start = fields.get('s');
  if (fn === undefined || stepsText === undefined || start === undefined) throw new Error('it needs f, n and s');
  const steps = parseNumber(stepsText);
  if (stepsText !== '' && !Number.isFinite(steps)) throw new Error(`steps '${stepsText}' is not a number`);
  const view = fields.get('v') ?? 'grid';
  if (view !== 'grid' && view !== 'overlay') throw new Error(`view '${view}' is not grid or overlay`);

  const racers = seedRacerSettings();
  const includedText = fields.get('r');
  if (includedText !== undefined) {
    const ids = includedText === '' ? [] : includedText.split('.');
    for (const id of ids) if (!isOptimizerId(id)) throw new Error(`unknown optimizer '${id}' in r`);
    for (const r of racers) r.included = ids.includes(r.optimizer);
  }
  if (segments.length > kRaceLimits.racers.max) throw new Error(`${segments.length} racers (at most ${kRaceLimits.racers.max})`);
  const seen = new Set<OptimizerId>();
  segments.forEach((segment, i) => {
    const text = parseRacerSegment(segment, i);
    if (seen.has(text.optimizer)) throw new Error(`racer ${i + 1}: ${text.optimizer} is given twice`);
    seen.add(text.optimizer);
    const setting = racers.find((r) => r.optimizer === text.optimizer);
    if (setting) setting.values = { ...racerText({ optimizer: text.optimizer }).values, ...text.values };
  });
  return { function: fn, steps, start, ...(fields.has('vb') ? { viewBox: fields.get('vb') } : {}), view, racers };
}
