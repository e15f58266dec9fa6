/**
 * The race's configuration in the URL hash, so that a link reproduces the race:
 *
 *   #race=it:2000,b:128,s:1,e:100,p:seed
 *   #race=it:300,b:64,s:7,e:50,p:custom/sgd,lr:0.1/adam,n:My%20Adam,c:1f9bb5,i:xavier,a:tanh
 *
 * The first segment holds iterations (it), batch size (b), seed (s), evaluation interval (e) and
 * preset (p). Each further `/` segment is one racer: its optimizer, then only what differs from
 * the defaults: hyperparameters by key, n (name, URI-encoded), c (colour without '#'), i (init),
 * a (activation), sc (learning-rate schedule, e.g. step%3A0.5%3A100). No racer segments: the preset's racers.
 * Racers that came from a sweep or an LR range test are stored as that study in the head instead
 * (`p:custom,sw:lr=0.0001..1:8@sgd+adam`, `p:custom,lf:0.000001..10@sgd+adam`: ./study.ts), so a
 * sweep of 128 racers stays a short link. Numbers are kept as typed, so an
 * invalid value arrives in the editor and is explained there; anything structurally wrong
 * rejects the whole hash with a message (the element then shows a note and uses the defaults).
 * Other `key=value` parts of the hash (another instance's, with another hash-key) are kept.
 */
import { formatRacerSegment, parseNumber, parseRacerSegment } from '../../optim/racer-spec';
import { kRaceLimits } from '../../race/limits';
import {
  defaultColor,
  draftFromText,
  draftsFromSpecs,
  isPresetId,
  kPresetIds,
  kPresets,
  presetDrafts,
  type PresetChoice,
  type PresetId,
  type RacerDraft,
} from './racers';
import { formatStudyField, kStudyFieldKeys, parseStudyField, studyRacers, type Study } from './study';

export interface RaceSettings {
  iterations: number;
  batchSize: number;
  seed: number;
  evalEvery: number;
  preset: PresetChoice;
  racers: RacerDraft[];
  /** The sweep or LR range test the racers came from (and still are), or null: stored instead of the racers. */
  study?: Study | null;
}

/** Longer hashes are refused: nobody types them, and parsing them costs time. */
const kMaxLength = 4000;
const kMaxRacers = kRaceLimits.racers.max;

function encodeRacers(settings: RaceSettings): string[] {
  if (settings.preset !== 'custom' && sameAsPreset(settings.racers, presetDrafts(settings.preset))) return [];
  if (settings.study) return [];
  const taken: string[] = [];
  return settings.racers.map((d) => {
    const segment = formatRacerSegment(d, defaultColor(d.optimizer, taken));
    taken.push(d.color);
    return segment;
  });
}

/** Same racers, colours included (colours default by position, so equal drafts encode to nothing). */
function sameAsPreset(racers: readonly RacerDraft[], preset: readonly RacerDraft[]): boolean {
  const strip = ({ key: _key, ...rest }: RacerDraft) => JSON.stringify({ ...rest, name: rest.name.trim(), init: rest.init.trim().toLowerCase() });
  return racers.length === preset.length && racers.every((r, i) => strip(r) === strip(preset[i]));
}

/** The value of the hash part (without `key=`). */
export function encodeSettings(settings: RaceSettings): string {
  const study = settings.preset === 'custom' && settings.study ? `,${formatStudyField(settings.study)}` : '';
  const head = `it:${num(settings.iterations)},b:${num(settings.batchSize)},s:${num(settings.seed)},e:${num(settings.evalEvery)},p:${settings.preset}${study}`;
  return [head, ...encodeRacers(settings)].join('/');
}

const num = (n: number): string => (Number.isFinite(n) ? String(n) : '');

function decodeNumber(text: string, what: string): number {
  const value = parseNumber(text);
  if (text !== '' && !Number.isFinite(value)) throw new Error(`${what} '${text}' is not a number`);
  return value;
}

function decodeRacer(segment: string, index: number, taken: string[]): RacerDraft {
  const draft = draftFromText(parseRacerSegment(segment, index), taken);
  taken.push(draft.color);
  return draft;
}

/** Parses the value of the hash part; throws a message saying what is wrong. */
export function decodeSettings(value: string): RaceSettings {
  if (value.length > kMaxLength) throw new Error(`it is ${value.length} characters long (at most ${kMaxLength})`);
  const [head, ...racerSegments] = value.split('/');
  const settings: Partial<Omit<RaceSettings, 'racers'>> = {};
  let study: Study | null = null;
  for (const field of head.split(',')) {
    const colon = field.indexOf(':');
    const key = colon < 0 ? field : field.slice(0, colon);
    const text = colon < 0 ? '' : field.slice(colon + 1);
    if (colon < 0) throw new Error(`'${field}' is not key:value`);
    if (key === 'it') settings.iterations = decodeNumber(text, 'iterations');
    else if (key === 'b') settings.batchSize = decodeNumber(text, 'batch size');
    else if (key === 's') settings.seed = decodeNumber(text, 'seed');
    else if (key === 'e') settings.evalEvery = decodeNumber(text, 'evaluation interval');
    else if (key === 'p') {
      if (text !== 'custom' && !isPresetId(text)) throw new Error(`unknown preset '${text}' (${kPresetIds.join(', ')} or custom)`);
      settings.preset = text;
    } else if (key === 'sw' || key === 'lf') study = parseStudyField(key, text);
    else throw new Error(`unknown setting '${key}' (${['it', 'b', 's', 'e', 'p', ...kStudyFieldKeys].join(', ')})`);
  }
  const { iterations, batchSize, seed, evalEvery, preset } = settings;
  if (iterations === undefined || batchSize === undefined || seed === undefined || evalEvery === undefined || preset === undefined) {
    throw new Error('it needs it, b, s, e and p');
  }
  if (racerSegments.length > kMaxRacers) throw new Error(`${racerSegments.length} racers (at most ${kMaxRacers})`);
  if (study && racerSegments.length) throw new Error('a sweep (sw) or LR range test (lf) stands for the racers: give it or racers, not both');
  if (racerSegments.length === 0 && preset === 'custom' && !study) throw new Error('a custom race needs its racers (or a sweep, sw:)');
  const taken: string[] = [];
  let racers: RacerDraft[];
  if (racerSegments.length) racers = racerSegments.map((s, i) => decodeRacer(s, i, taken));
  else if (study) racers = draftsFromSpecs(studyRacers(study));
  else {
    racers = presetDrafts(preset as PresetId);
    study = kPresets[preset as PresetId].study ?? null;
  }
  return { iterations, batchSize, seed, evalEvery, preset, racers, study };
}

export { readHashPart, writeHashPart } from '../hash-state';
