/**
 * A study: racers that came from a sweep (`lr=1e-4..1:8` over some optimizers), from the LR range
 * test (one racer per optimizer, lr growing from MIN to MAX over the race) or from a random search
 * (section 6.5: `trials` racers of one optimizer, values drawn from the race seed). What the sweep panel
 * applies, the presets name, the URL stores instead of up to 128 racers, and what decides which of
 * the sensitivity and LR finder charts the element shows. The parsing, the values and the racers
 * themselves come from src/optim/sweep/ (the CLI's), the colours from ../racer-shades.ts.
 */
import { optimizerSpec, type OptimizerId } from '../../optim/registry';
import type { RacerSpec } from '../../optim/racer-spec';
import {
  drawTrials,
  expandSweep,
  formatSearchSpec,
  formatSearchSpecUrl,
  formatSweep,
  lrFinderRacers,
  parseLrRange,
  parseSearchSpecUrl,
  parseSweep,
  searchTrialsProblem,
  type SearchSpec,
  type Sweep,
} from '../../optim/sweep';
import { checkRacerCount, kRaceLimits } from '../../race/limits';
import { racerShade } from '../racer-shades';

export type Study =
  | { kind: 'sweep'; sweep: Sweep; optimizers: OptimizerId[] }
  | { kind: 'lr-finder'; min: number; max: number; optimizers: OptimizerId[] }
  | { kind: 'search'; spec: SearchSpec; trials: number; optimizers: [OptimizerId] };

/** A search's trials as racers ("trial k"), its drawn network options (`l2`, `dropout`) on each. */
function searchRacers(study: Extract<Study, { kind: 'search' }>, seed: number | undefined): RacerSpec[] {
  if (seed === undefined) throw new Error('a search draws its trials from the race seed, which is not known here');
  return drawTrials(study.spec, study.trials, seed, study.optimizers[0], kRaceLimits.racers.max).map((t) => ({ ...t.racer, ...t.network }));
}

/**
 * The study's racers, coloured by the shade rule (one hue per optimizer, lighter for larger
 * values; a search's by trial number). `seed`: the race seed, which a search draws its trials
 * from (the other studies ignore it). Throws the sweep module's message, or the racer limit's when
 * there are too many.
 */
export function studyRacers(study: Study, seed?: number): RacerSpec[] {
  if (study.kind === 'search') {
    const racers = searchRacers(study, seed);
    const color = optimizerSpec(study.optimizers[0]).color;
    return racers.map((r, i) => ({ ...r, color: racerShade(color, i, racers.length) }));
  }
  const racers = study.kind === 'sweep' ? expandSweep(study.sweep, study.optimizers) : lrFinderRacers(study.optimizers, study.min, study.max);
  const problem = checkRacerCount(racers.length);
  if (problem) throw new Error(`${problem} (${study.optimizers.length} optimizers × ${racers.length / study.optimizers.length} values)`);
  const total = new Map<OptimizerId, number>();
  for (const r of racers) total.set(r.optimizer, (total.get(r.optimizer) ?? 0) + 1);
  const seen = new Map<OptimizerId, number>();
  return racers.map((r) => {
    const index = seen.get(r.optimizer) ?? 0;
    seen.set(r.optimizer, index + 1);
    return { ...r, color: racerShade(optimizerSpec(r.optimizer).color, index, total.get(r.optimizer) ?? 1) };
  });
}

/** Words for a study ("sweep lr=0.0001..1:8 over SGD, Adam"). */
export function describeStudy(study: Study): string {
  const over = study.optimizers.map((id) => optimizerSpec(id).label).join(', ');
  if (study.kind === 'search') return `search ${formatSearchSpec(study.spec)}, ${study.trials} trials of ${over}`;
  return study.kind === 'sweep' ? `sweep ${formatSweep(study.sweep)} over ${over}` : `LR range test ${study.min}..${study.max} over ${over}`;
}

/**
 * The URL head field of a study: `sw:lr=0.0001..1:8@sgd+adam`, `lf:0.000001..10@sgd+adam`, or a
 * search's spec (its URL form), trials and optimizer: `sr:lr=1e-6..1e-2:log;l2=1e-8..1e-4:log*100@sgd`
 * (its trials are drawn from the head's seed `s`).
 */
export function formatStudyField(study: Study): string {
  const ids = study.optimizers.join('+');
  if (study.kind === 'search') return `sr:${formatSearchSpecUrl(study.spec)}*${study.trials}@${ids}`;
  return study.kind === 'sweep' ? `sw:${formatSweep(study.sweep)}@${ids}` : `lf:${study.min}..${study.max}@${ids}`;
}

/** The URL keys of a study field. */
export const kStudyFieldKeys = ['sw', 'lf', 'sr'] as const;

function parseOptimizers(text: string): OptimizerId[] {
  const ids = text.split('+').map((id) => optimizerSpec(id.trim().toLowerCase()).id);
  if (ids.length === 0 || new Set(ids).size !== ids.length) throw new Error(`optimizers '${text}' must be distinct ids joined by +`);
  return ids;
}

/** A study from its URL field (`key` sw or lf, `value` after the colon); throws what is wrong. */
export function parseStudyField(key: (typeof kStudyFieldKeys)[number], value: string): Study {
  const at = value.lastIndexOf('@');
  if (at < 0) throw new Error(`${key}:${value} needs @optimizer+optimizer`);
  const optimizers = parseOptimizers(value.slice(at + 1));
  const body = value.slice(0, at);
  if (key === 'sr') return parseSearchField(body, optimizers);
  if (key === 'sw') return { kind: 'sweep', sweep: parseSweep(body, kRaceLimits.racers.max), optimizers };
  const [min, max] = parseLrRange(body);
  return { kind: 'lr-finder', min, max, optimizers };
}

/** A search's `SPEC*TRIALS` (the optimizers: exactly one). */
function parseSearchField(body: string, optimizers: OptimizerId[]): Study {
  const star = body.lastIndexOf('*');
  if (star < 0) throw new Error(`sr:${body} needs *TRIALS (e.g. sr:lr=1e-6..1e-2:log*100@sgd)`);
  if (optimizers.length !== 1) throw new Error(`a search races one optimizer, got ${optimizers.join('+')}`);
  const trialsText = body.slice(star + 1);
  const trials = Number(trialsText);
  const problem = searchTrialsProblem(trialsText.trim() === '' ? Number.NaN : trials, kRaceLimits.racers.max);
  if (problem) throw new Error(problem);
  return { kind: 'search', spec: parseSearchSpecUrl(body.slice(0, star)), trials, optimizers: [optimizers[0]] };
}

/** The seed's six optimizers, the optimizers a new sweep starts with. */
const kSeedIds: OptimizerId[] = ['sgd', 'momentum', 'adagrad', 'adam', 'rmsprop', 'nesterov'];

/** The sweep preset: the seed's six optimizers × 8 learning rates from 1e-4 to 1 (48 racers). */
export const kSweepPresetStudy: Study = { kind: 'sweep', sweep: { key: 'lr', min: 1e-4, max: 1, count: 8 }, optimizers: kSeedIds };

/** The LR range test preset: the seed's six, lr from 1e-6 to 10 over the race (fastai's default span). */
export const kLrRangePresetStudy: Study = { kind: 'lr-finder', min: 1e-6, max: 10, optimizers: kSeedIds };

/** Two studies are the same (the racers they expand to are). */
export const sameStudy = (a: Study | null, b: Study | null): boolean => JSON.stringify(a) === JSON.stringify(b);
