/**
 * The race's configuration in the URL hash, so that a link reproduces the race:
 *
 *   #race=it:2000,b:128,s:1,e:100,p:seed
 *   #race=it:300,b:64,s:7,e:50,p:custom/sgd,lr:0.1/adam,n:My%20Adam,c:1f9bb5,i:xavier,a:tanh
 *
 * The first segment holds iterations (it), batch size (b), seed (s), evaluation interval (e) and
 * preset (p), and where they differ from the seed's, the network settings (./network-draft.ts):
 * hidden sizes (h, URI-encoded: `h:100x5`, `h:100%2C50`), training images (tl), epochs (ep),
 * training accuracy (ta:on) and the validation share (va:0.2). Each further `/` segment is one racer: its optimizer, then only what differs from
 * the defaults: hyperparameters by key, n (name, URI-encoded), c (colour without '#'), i (init),
 * a (activation), sc (learning-rate schedule, e.g. step%3A0.5%3A100). No racer segments: the preset's racers.
 * Racers that came from a sweep or an LR range test are stored as that study in the head instead
 * (`p:custom,sw:lr=0.0001..1:8@sgd+adam`, `p:custom,lf:0.000001..10@sgd+adam`: ./study.ts), so a
 * sweep of 128 racers stays a short link; a random search likewise, as its spec, trials and optimizer
 * (`p:custom,sr:lr=1e-6..1e-2:log;l2=1e-8..1e-4:log*100@sgd`), its trials drawn from the head's seed. Numbers are kept as typed, so an
 * invalid value arrives in the editor and is explained there (a `ta` that is not on or off is
 * left off, with a note saying so: `note`); anything structurally wrong
 * rejects the whole hash with a message (the element then shows a note and uses the defaults).
 * Other `key=value` parts of the hash (another instance's, with another hash-key) are kept.
 */
import { parseNumber, parseSwitch } from '../../optim/racer-spec';
import { formatRacerSegment, parseRacerSegment } from '../../optim/racer-url-segment';
import { kDefaultNetwork, type NetworkDraft } from './network-draft';
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
  /** Hidden sizes, training limit, epochs and training accuracy (absent: the seed's). */
  network?: NetworkDraft;
  /** Decoding: what was left out of the link and why (the rest applies), or absent. */
  note?: string;
}

/** The head's network fields: only those that differ from the seed's. */
function encodeNetwork(network: NetworkDraft = kDefaultNetwork): string {
  const fields: string[] = [];
  const hidden = network.hidden.trim();
  if (hidden !== kDefaultNetwork.hidden) fields.push(`h:${encodeURIComponent(hidden)}`);
  if (network.trainLimit.trim() !== '') fields.push(`tl:${encodeURIComponent(network.trainLimit.trim())}`);
  if (network.epochs.trim() !== '') fields.push(`ep:${encodeURIComponent(network.epochs.trim())}`);
  if (network.trainAccuracy) fields.push('ta:on');
  if (network.validation.trim() !== '') fields.push(`va:${encodeURIComponent(network.validation.trim())}`);
  return fields.map((f) => `,${f}`).join('');
}

function decodeText(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new Error(`${what} '${text}' is not properly encoded`);
  }
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
  // A network option left at its default compares equal however it is written ('', 'off', '0').
  const option = (text: string | undefined): string => (parseNumber(text) === 0 || parseSwitch(text ?? '') === false ? '' : (text ?? '').trim());
  const strip = ({ key: _key, bn, dropout, l2, ...rest }: RacerDraft) =>
    JSON.stringify({ ...rest, name: rest.name.trim(), init: rest.init.trim().toLowerCase(), bn: option(bn), dropout: option(dropout), l2: option(l2) });
  return racers.length === preset.length && racers.every((r, i) => strip(r) === strip(preset[i]));
}

/** The value of the hash part (without `key=`). */
export function encodeSettings(settings: RaceSettings): string {
  const study = settings.preset === 'custom' && settings.study ? `,${formatStudyField(settings.study)}` : '';
  const network = encodeNetwork(settings.network);
  const head = `it:${num(settings.iterations)},b:${num(settings.batchSize)},s:${num(settings.seed)},e:${num(settings.evalEvery)}${network},p:${settings.preset}${study}`;
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
  const network = { ...kDefaultNetwork };
  let note: string | undefined;
  for (const field of head.split(',')) {
    const colon = field.indexOf(':');
    const key = colon < 0 ? field : field.slice(0, colon);
    const text = colon < 0 ? '' : field.slice(colon + 1);
    if (colon < 0) throw new Error(`'${field}' is not key:value`);
    if (key === 'it') settings.iterations = decodeNumber(text, 'iterations');
    else if (key === 'b') settings.batchSize = decodeNumber(text, 'batch size');
    else if (key === 's') settings.seed = decodeNumber(text, 'seed');
    else if (key === 'e') settings.evalEvery = decodeNumber(text, 'evaluation interval');
    // Kept as typed: the toolbar explains a bad value and Start waits for it.
    else if (key === 'h') network.hidden = decodeText(text, 'hidden layers');
    else if (key === 'tl') network.trainLimit = decodeText(text, 'training images');
    else if (key === 'ep') network.epochs = decodeText(text, 'epochs');
    else if (key === 'va') network.validation = decodeText(text, 'validation share');
    else if (key === 'ta') {
      const on = parseSwitch(decodeText(text, 'training accuracy'));
      if (on === null) note = `The link's training accuracy 'ta:${text}' is not on or off; it is left off.`;
      network.trainAccuracy = on ?? false;
    } else if (key === 'p') {
      if (text !== 'custom' && !isPresetId(text)) throw new Error(`unknown preset '${text}' (${kPresetIds.join(', ')} or custom)`);
      settings.preset = text;
    } else if ((kStudyFieldKeys as readonly string[]).includes(key)) study = parseStudyField(key as (typeof kStudyFieldKeys)[number], text);
    else throw new Error(`unknown setting '${key}' (${['it', 'b', 's', 'e', 'h', 'tl', 'ep', 'ta', 'va', 'p', ...kStudyFieldKeys].join(', ')})`);
  }
  const { iterations, batchSize, seed, evalEvery, preset } = settings;
  if (iterations === undefined || batchSize === undefined || seed === undefined || evalEvery === undefined || preset === undefined) {
    throw new Error('it needs it, b, s, e and p');
  }
  if (racerSegments.length > kMaxRacers) throw new Error(`${racerSegments.length} racers (at most ${kMaxRacers})`);
  if (study && racerSegments.length) throw new Error('a sweep (sw) or LR range test (lf) stands for the racers: give it or racers, not both');
  if (racerSegments.length === 0 && preset === 'custom' && !study) throw new Error('a custom race needs its racers (or a study: sw:, lf: or sr:)');
  const taken: string[] = [];
  let racers: RacerDraft[];
  if (racerSegments.length) racers = racerSegments.map((s, i) => decodeRacer(s, i, taken));
  else if (study) racers = draftsFromSpecs(studyRacers(study, seed));
  else {
    racers = presetDrafts(preset as PresetId);
    study = kPresets[preset as PresetId].study ?? null;
  }
  return { iterations, batchSize, seed, evalEvery, preset, racers, study, network, ...(note ? { note } : {}) };
}

export { readHashPart, writeHashPart } from '../hash-state';
