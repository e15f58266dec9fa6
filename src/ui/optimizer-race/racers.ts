/**
 * The racers as the editor holds them (numbers kept as typed, so an invalid entry stays visible),
 * the presets, default colours and markers, and the check that turns drafts into RacerConfigs.
 */
import type { HyperKey } from '../../optim/hyperparameters';
import { checkRacerText, defaultValues, problemList, racerText, type RacerProblems, type RacerSpec, type RacerText } from '../../optim/racer-spec';
import { racerSpecFromJson } from '../../optim/racer-json';
import { optimizers, optimizerSpec, type OptimizerId } from '../../optim/registry';
import { isMarkerShape, kMarkerShapes, type MarkerShape } from '../markers';
import { kHiddenActivations } from '../../nn/layout';
import { kInitRace, kModernRace, kSeedRace, type HiddenActivation, type RacerConfig } from '../../race/config';
import { kLrRangePresetStudy, kSweepPresetStudy, studyRacers, type Study } from './study';

/** A racer of the `racers` attribute / property: the shared racer model (src/optim/racer-spec.ts). */
export type { RacerSpec };

export type PresetId = 'seed' | 'init' | 'modern' | 'sweep' | 'lr-range';
/** 'custom' once the racers differ from every preset. */
export type PresetChoice = PresetId | 'custom';

export const kPresets: Readonly<Record<PresetId, { label: string; racers: readonly RacerConfig[]; yMax: number; study?: Study }>> = {
  seed: { label: 'Seed: six optimizers', racers: kSeedRace.racers, yMax: 1 },
  init: { label: 'Weight init: std=0.01 / Xavier / He with SGD', racers: kInitRace.racers, yMax: 2.5 },
  modern: { label: 'Modern optimizers: Adam, AdamW, Lion, AdaDelta, Adamax vs SGD', racers: kModernRace.racers, yMax: 1 },
  sweep: { label: 'Sweep: six optimizers × 8 learning rates (1e-4 to 1)', racers: studyRacers(kSweepPresetStudy), yMax: 2.5, study: kSweepPresetStudy },
  'lr-range': { label: 'LR range test: six optimizers, lr 1e-6 → 10', racers: studyRacers(kLrRangePresetStudy), yMax: 2.5, study: kLrRangePresetStudy },
};

export const kPresetIds = Object.keys(kPresets) as PresetId[];

export function isPresetId(value: string): value is PresetId {
  return (kPresetIds as string[]).includes(value);
}

export const kActivationIds: readonly HiddenActivation[] = kHiddenActivations;

/** The six optimizer colours first, then a few more for larger races (colour-blind-safe tones). */
export const kPalette: readonly string[] = [...optimizers().map((o) => o.color), '#8c6d46', '#1f9bb5', '#6b7a8f', '#b8a01f', '#c0392b', '#5b8c3a'];

/** A racer in the editor: the shared text form (numbers kept as typed), with every field filled in. */
export interface RacerDraft extends RacerText {
  /** Stable identity (rendering, focus); not part of the race. */
  key: number;
  /** As typed; empty: the optimizer's label. */
  name: string;
  color: string;
  /** 'he', 'xavier', or a standard deviation as typed. */
  init: string;
  activation: HiddenActivation;
  /** The learning-rate schedule's text form as typed; empty: constant. */
  schedule: string;
  /** The name of the file `initWeights` was read from in the editor (shown on the card). */
  initWeightsName?: string;
}

let nextKey = 1;

export const hyperDefaults = (optimizer: OptimizerId): Partial<Record<HyperKey, string>> => defaultValues(optimizer);

/** The first palette colour no earlier racer uses, preferring the optimizer's own. */
export function defaultColor(optimizer: OptimizerId, taken: readonly string[]): string {
  const own = optimizerSpec(optimizer).color;
  if (!taken.includes(own)) return own;
  return kPalette.find((c) => !taken.includes(c)) ?? own;
}

export function newDraft(optimizer: OptimizerId, taken: readonly string[], name = ''): RacerDraft {
  return {
    key: nextKey++,
    name,
    color: defaultColor(optimizer, taken),
    optimizer,
    values: hyperDefaults(optimizer),
    init: 'he',
    activation: 'relu',
    schedule: '',
  };
}

/** A draft from a racer's text form (URL segment, CLI argument): fields left out take the defaults. */
export function draftFromText(text: RacerText, taken: readonly string[]): RacerDraft {
  const draft = newDraft(text.optimizer, taken, text.name ?? '');
  Object.assign(draft.values, text.values);
  if (text.color !== undefined) draft.color = text.color.toLowerCase();
  if (text.init !== undefined) draft.init = text.init;
  if (text.initWeights !== undefined) draft.initWeights = text.initWeights;
  if (text.activation !== undefined) draft.activation = text.activation as HiddenActivation;
  if (text.schedule !== undefined) draft.schedule = text.schedule;
  for (const key of ['bn', 'dropout', 'l2'] as const) if (text[key] !== undefined) draft[key] = text[key];
  return draft;
}

/** The weights files the editor read (a draft's blob: URL → the file's name), for the JSON export to name them. */
export function weightsFileNames(drafts: readonly RacerDraft[]): Map<string, string> {
  return new Map(drafts.flatMap((d) => (d.initWeights?.startsWith('blob:') && d.initWeightsName ? [[d.initWeights, d.initWeightsName] as const] : [])));
}

/** Drafts from configs (the `racers` property, a preset). Throws a clear message for a bad entry. */
export function draftsFromSpecs(specs: readonly RacerSpec[]): RacerDraft[] {
  if (!Array.isArray(specs)) throw new Error('racers must be an array of {optimizer, hyperparameters?, init?, activation?, name?, color?}');
  const taken: string[] = [];
  return specs.map((value, i) => {
    const draft = draftFromText(racerText(racerSpecFromJson(value, i)), taken);
    taken.push(draft.color);
    return draft;
  });
}

export function presetDrafts(preset: PresetId): RacerDraft[] {
  return draftsFromSpecs(kPresets[preset].racers);
}

/** Per draft, what is wrong with each field (the racer-spec module's messages). */
export type DraftProblems = RacerProblems;

export interface DraftCheck {
  /** The racers to race, or null while any field is invalid. */
  racers: RacerSpec[] | null;
  problems: Map<number, DraftProblems>;
}

/** The draft as a RacerSpec; numbers that do not parse become NaN (the check names them). */
export function specFromDraft(d: RacerDraft): RacerSpec {
  return checkRacerText(d).racer;
}

export function checkDrafts(drafts: readonly RacerDraft[]): DraftCheck {
  const problems = new Map<number, DraftProblems>();
  const racers = drafts.map((d) => {
    const { racer, problems: found } = checkRacerText(d);
    if (problemList(found).length) problems.set(d.key, found);
    return racer;
  });
  return { racers: problems.size === 0 && drafts.length > 0 ? racers : null, problems };
}

/**
 * Markers: each racer its optimizer's (the seed's), or the next unused shape when two racers share
 * it (or a registered optimizer names a shape there is none of).
 */
export function markersFor(optimizers: readonly OptimizerId[]): MarkerShape[] {
  const used: MarkerShape[] = [];
  return optimizers.map((id) => {
    const own = optimizerSpec(id).marker;
    const marker = isMarkerShape(own) && !used.includes(own) ? own : (kMarkerShapes.find((m) => !used.includes(m)) ?? 'circle');
    used.push(marker);
    return marker;
  });
}

/** Markers of a grouped race (a sweep): every racer its optimizer's own, so a family shares one. */
export function groupedMarkers(optimizers: readonly OptimizerId[]): MarkerShape[] {
  return optimizers.map((id) => {
    const own = optimizerSpec(id).marker;
    return isMarkerShape(own) ? own : 'circle';
  });
}

/** The preset these drafts equal (names, optimizers, hyperparameters, init, activation), else 'custom'. */
export function matchingPreset(drafts: readonly RacerDraft[]): PresetChoice {
  const same = (preset: PresetId): boolean => {
    const wanted = presetDrafts(preset);
    return (
      wanted.length === drafts.length &&
      wanted.every((w, i) => {
        const a = specFromDraft(w);
        const b = specFromDraft(drafts[i]);
        return JSON.stringify({ ...a, color: 0 }) === JSON.stringify({ ...b, color: 0 });
      })
    );
  };
  return kPresetIds.find(same) ?? 'custom';
}
