/**
 * The race's configuration in the URL hash, so that a link reproduces the race:
 *
 *   #race=it:2000,b:128,s:1,e:100,p:seed
 *   #race=it:300,b:64,s:7,e:50,p:custom/sgd,lr:0.1/adam,n:My%20Adam,c:1f9bb5,i:xavier,a:tanh
 *
 * The first segment holds iterations (it), batch size (b), seed (s), evaluation interval (e) and
 * preset (p). Each further `/` segment is one racer: its optimizer, then only what differs from
 * the defaults: hyperparameters by key, n (name, URI-encoded), c (colour without '#'), i (init),
 * a (activation). No racer segments: the preset's racers. Numbers are kept as typed, so an
 * invalid value arrives in the editor and is explained there; anything structurally wrong
 * rejects the whole hash with a message (the element then shows a note and uses the defaults).
 * Other `key=value` parts of the hash (another instance's, with another hash-key) are kept.
 */
import { kHyperKeys, type HyperKey } from '../../optim/hyperparameters';
import { isOptimizerId, optimizerSpec } from '../../optim/registry';
import {
  defaultColor, hyperDefaults, kActivationIds, kPresets, newDraft, presetDrafts,
  type PresetChoice, type PresetId, type RacerDraft,
} from './racers';

export interface RaceSettings {
  iterations: number;
  batchSize: number;
  seed: number;
  evalEvery: number;
  preset: PresetChoice;
  racers: RacerDraft[];
}

/** Longer hashes are refused: nobody types them, and parsing them costs time. */
const kMaxLength = 4000;
const kMaxRacers = 64;

const isPreset = (p: string): p is PresetId => p in kPresets;

function encodeRacers(settings: RaceSettings): string[] {
  if (settings.preset !== 'custom' && sameAsPreset(settings.racers, presetDrafts(settings.preset))) return [];
  const taken: string[] = [];
  return settings.racers.map((d) => {
    const parts: string[] = [d.optimizer];
    const defaults = hyperDefaults(d.optimizer);
    for (const h of optimizerSpec(d.optimizer).hyperparameters) {
      const text = (d.values[h.key] ?? '').trim();
      if (text !== defaults[h.key]) parts.push(`${h.key}:${encodeURIComponent(text)}`);
    }
    if (d.name.trim()) parts.push(`n:${encodeURIComponent(d.name.trim())}`);
    if (d.color !== defaultColor(d.optimizer, taken)) parts.push(`c:${d.color.replace(/^#/, '')}`);
    taken.push(d.color);
    if (d.init.trim().toLowerCase() !== 'he') parts.push(`i:${encodeURIComponent(d.init.trim())}`);
    if (d.activation !== 'relu') parts.push(`a:${d.activation}`);
    return parts.join(',');
  });
}

/** Same racers, colours included (colours default by position, so equal drafts encode to nothing). */
function sameAsPreset(racers: readonly RacerDraft[], preset: readonly RacerDraft[]): boolean {
  const strip = ({ key: _key, ...rest }: RacerDraft) => JSON.stringify({ ...rest, name: rest.name.trim(), init: rest.init.trim().toLowerCase() });
  return racers.length === preset.length && racers.every((r, i) => strip(r) === strip(preset[i]));
}

/** The value of the hash part (without `key=`). */
export function encodeSettings(settings: RaceSettings): string {
  const head = `it:${num(settings.iterations)},b:${num(settings.batchSize)},s:${num(settings.seed)},e:${num(settings.evalEvery)},p:${settings.preset}`;
  return [head, ...encodeRacers(settings)].join('/');
}

const num = (n: number): string => (Number.isFinite(n) ? String(n) : '');

function decodeNumber(text: string, what: string): number {
  const value = text === '' ? NaN : Number(text);
  if (text !== '' && !Number.isFinite(value)) throw new Error(`${what} '${text}' is not a number`);
  return value;
}

function decodeURIPart(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new Error(`${what} '${text}' is not properly encoded`);
  }
}

function decodeRacer(segment: string, index: number, taken: string[]): RacerDraft {
  const [optimizerText, ...fields] = segment.split(',');
  const optimizer = optimizerText.trim().toLowerCase();
  if (!isOptimizerId(optimizer)) throw new Error(`racer ${index + 1}: unknown optimizer '${optimizerText}'`);
  const draft = newDraft(optimizer, taken);
  const allowed = optimizerSpec(optimizer).hyperparameters.map((h) => h.key);
  let color: string | undefined;
  for (const field of fields) {
    const colon = field.indexOf(':');
    if (colon < 0) throw new Error(`racer ${index + 1}: '${field}' is not key:value`);
    const key = field.slice(0, colon);
    const value = decodeURIPart(field.slice(colon + 1), `racer ${index + 1}: ${key}`);
    if ((kHyperKeys as readonly string[]).includes(key)) {
      if (!allowed.includes(key as HyperKey)) throw new Error(`racer ${index + 1}: ${optimizerSpec(optimizer).label} has no ${key}`);
      draft.values[key as HyperKey] = value;
    } else if (key === 'n') {
      draft.name = value.slice(0, 80);
    } else if (key === 'c') {
      if (!/^[0-9a-f]{6}$/i.test(value)) throw new Error(`racer ${index + 1}: colour '${value}' is not 6 hex digits`);
      color = `#${value.toLowerCase()}`;
    } else if (key === 'i') {
      draft.init = value;
    } else if (key === 'a') {
      const activation = kActivationIds.find((a) => a === value);
      if (!activation) throw new Error(`racer ${index + 1}: activation '${value}' is not relu, sigmoid or tanh`);
      draft.activation = activation;
    } else {
      throw new Error(`racer ${index + 1}: unknown setting '${key}'`);
    }
  }
  if (color) draft.color = color;
  taken.push(draft.color);
  return draft;
}

/** Parses the value of the hash part; throws a message saying what is wrong. */
export function decodeSettings(value: string): RaceSettings {
  if (value.length > kMaxLength) throw new Error(`it is ${value.length} characters long (at most ${kMaxLength})`);
  const [head, ...racerSegments] = value.split('/');
  const settings: Partial<Omit<RaceSettings, 'racers'>> = {};
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
      if (text !== 'custom' && !isPreset(text)) throw new Error(`unknown preset '${text}' (seed, init or custom)`);
      settings.preset = text;
    } else throw new Error(`unknown setting '${key}'`);
  }
  const { iterations, batchSize, seed, evalEvery, preset } = settings;
  if (iterations === undefined || batchSize === undefined || seed === undefined || evalEvery === undefined || preset === undefined) {
    throw new Error('it needs it, b, s, e and p');
  }
  if (racerSegments.length > kMaxRacers) throw new Error(`${racerSegments.length} racers (at most ${kMaxRacers})`);
  if (racerSegments.length === 0 && preset === 'custom') throw new Error('a custom race needs its racers');
  const taken: string[] = [];
  const racers = racerSegments.length ? racerSegments.map((s, i) => decodeRacer(s, i, taken)) : presetDrafts(preset as PresetId);
  return { iterations, batchSize, seed, evalEvery, preset, racers };
}

/** Our part of a hash ('#a=1&race=...'), or null when the hash has none. */
export function readHashPart(hash: string, key: string): string | null {
  for (const part of hash.replace(/^#/, '').split('&')) {
    if (part.startsWith(`${key}=`)) return part.slice(key.length + 1);
  }
  return null;
}

/** The hash with our part set; other instances' `key=value` parts are kept, a plain anchor is dropped. */
export function writeHashPart(hash: string, key: string, value: string): string {
  const others = hash.replace(/^#/, '').split('&').filter((p) => p.includes('=') && !p.startsWith(`${key}=`));
  return `#${[...others, `${key}=${value}`].join('&')}`;
}
