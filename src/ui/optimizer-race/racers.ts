/**
 * The racers as the editor holds them (numbers kept as typed, so an invalid entry stays visible),
 * the presets, default colours and markers, and the check that turns drafts into RacerConfigs.
 */
import type { HyperKey } from '../../optim/hyperparameters';
import { isOptimizerId, kOptimizerIds, optimizerSpec, resolveHyperparameters, type OptimizerId } from '../../optim/registry';
import { kInitRace, kSeedRace, type HiddenActivation, type RacerConfig, type WeightInit } from '../../race/config';
import { kOptimizerColors, kOptimizerMarkers } from '../theme';

/** A RacerConfig plus the colour its curves are drawn in (`racers` attribute / property). */
export interface RacerSpec extends RacerConfig {
  /** CSS hex colour "#rrggbb"; default: the optimizer's colour, or the next unused one. */
  color?: string;
}

export type PresetId = 'seed' | 'init';
/** 'custom' once the racers differ from every preset. */
export type PresetChoice = PresetId | 'custom';

export const kPresets: Readonly<Record<PresetId, { label: string; racers: readonly RacerConfig[]; yMax: number }>> = {
  seed: { label: 'Seed: six optimizers', racers: kSeedRace.racers, yMax: 1 },
  init: { label: 'Weight init: std=0.01 / Xavier / He with SGD', racers: kInitRace.racers, yMax: 2.5 },
};

export const kActivationIds: readonly HiddenActivation[] = ['relu', 'sigmoid', 'tanh'];
// The marker shapes live in src/ui/markers.ts; the old names stay for this module's users.
import { kMarkerShapes as kMarkers, type MarkerShape as Marker } from '../markers';
export { kMarkers, type Marker };

/** The six optimizer colours first, then a few more for larger races (colour-blind-safe tones). */
export const kPalette: readonly string[] = [
  ...kOptimizerIds.map((id) => kOptimizerColors[id]),
  '#8c6d46', '#1f9bb5', '#6b7a8f', '#b8a01f', '#c0392b', '#5b8c3a',
];

export interface RacerDraft {
  /** Stable identity (rendering, focus); not part of the race. */
  key: number;
  /** As typed; empty: the optimizer's label. */
  name: string;
  color: string;
  optimizer: OptimizerId;
  /** Each hyperparameter input's text. */
  values: Partial<Record<HyperKey, string>>;
  /** 'he', 'xavier', or a standard deviation as typed. */
  init: string;
  activation: HiddenActivation;
}

let nextKey = 1;

export const hyperDefaults = (optimizer: OptimizerId): Partial<Record<HyperKey, string>> =>
  Object.fromEntries(optimizerSpec(optimizer).hyperparameters.map((h) => [h.key, String(h.default)]));

/** The first palette colour no earlier racer uses, preferring the optimizer's own. */
export function defaultColor(optimizer: OptimizerId, taken: readonly string[]): string {
  const own = kOptimizerColors[optimizer];
  if (!taken.includes(own)) return own;
  return kPalette.find((c) => !taken.includes(c)) ?? own;
}

export function newDraft(optimizer: OptimizerId, taken: readonly string[], name = ''): RacerDraft {
  return { key: nextKey++, name, color: defaultColor(optimizer, taken), optimizer, values: hyperDefaults(optimizer), init: 'he', activation: 'relu' };
}

const kHexColor = /^#[0-9a-f]{6}$/i;

/** Drafts from configs (the `racers` property, a preset, the URL). Throws a clear message for a bad entry. */
export function draftsFromSpecs(specs: readonly RacerSpec[]): RacerDraft[] {
  if (!Array.isArray(specs)) throw new Error('racers must be an array of {optimizer, hyperparameters?, init?, activation?, name?, color?}');
  const taken: string[] = [];
  return specs.map((spec, i) => {
    if (typeof spec !== 'object' || spec === null || typeof spec.optimizer !== 'string') {
      throw new Error(`racer ${i + 1}: needs an "optimizer" (one of ${kOptimizerIds.join(', ')})`);
    }
    const id = spec.optimizer.trim().toLowerCase();
    if (!isOptimizerId(id)) throw new Error(`racer ${i + 1}: unknown optimizer '${spec.optimizer}' (one of ${kOptimizerIds.join(', ')})`);
    if (spec.color !== undefined && !kHexColor.test(spec.color)) throw new Error(`racer ${i + 1}: color must look like #rrggbb, got ${String(spec.color)}`);
    const draft = newDraft(id, taken, spec.name === undefined ? '' : String(spec.name));
    if (spec.color) draft.color = spec.color.toLowerCase();
    taken.push(draft.color);
    for (const [key, value] of Object.entries(spec.hyperparameters ?? {})) draft.values[key as HyperKey] = String(value);
    if (spec.init !== undefined) draft.init = String(spec.init);
    if (spec.activation !== undefined) draft.activation = spec.activation;
    return draft;
  });
}

export function presetDrafts(preset: PresetId): RacerDraft[] {
  return draftsFromSpecs(kPresets[preset].racers);
}

/** Per draft, what is wrong with each field (resolveHyperparameters' and the engine's messages). */
export interface DraftProblems {
  hyper: Partial<Record<HyperKey, string>>;
  init?: string;
  activation?: string;
  color?: string;
}

export interface DraftCheck {
  /** The racers to race, or null while any field is invalid. */
  racers: RacerSpec[] | null;
  problems: Map<number, DraftProblems>;
}

const parseNumber = (text: string | undefined): number => (text === undefined || text.trim() === '' ? NaN : Number(text));

export function parseInit(text: string): WeightInit {
  const t = text.trim().toLowerCase();
  return t === 'he' || t === 'xavier' ? t : parseNumber(t);
}

/** The draft as a RacerSpec; numbers that do not parse become NaN (the check names them). */
export function specFromDraft(d: RacerDraft): RacerSpec {
  const spec = optimizerSpec(d.optimizer);
  const hyperparameters = Object.fromEntries(spec.hyperparameters.map((h) => [h.key, parseNumber(d.values[h.key])]));
  const name = d.name.trim();
  return { ...(name ? { name } : {}), optimizer: d.optimizer, hyperparameters, init: parseInit(d.init), activation: d.activation, color: d.color };
}

export function checkDrafts(drafts: readonly RacerDraft[]): DraftCheck {
  const problems = new Map<number, DraftProblems>();
  const racers = drafts.map((d) => {
    const racer = specFromDraft(d);
    const spec = optimizerSpec(d.optimizer);
    const found: DraftProblems = { hyper: {} };
    for (const h of spec.hyperparameters) {
      try {
        resolveHyperparameters(spec, { [h.key]: racer.hyperparameters?.[h.key] });
      } catch (error) {
        found.hyper[h.key] = error instanceof Error ? error.message : String(error);
      }
    }
    const init = racer.init;
    if (typeof init === 'number' && !(Number.isFinite(init) && init > 0)) {
      found.init = `init must be he, xavier or a positive standard deviation, got ${d.init.trim() || 'nothing'}`;
    }
    if (!kActivationIds.includes(d.activation)) found.activation = `activation must be relu, sigmoid or tanh, got ${String(d.activation)}`;
    if (!kHexColor.test(d.color)) found.color = `colour must look like #rrggbb, got ${d.color}`;
    if (Object.keys(found.hyper).length || found.init || found.activation || found.color) problems.set(d.key, found);
    return racer;
  });
  return { racers: problems.size === 0 && drafts.length > 0 ? racers : null, problems };
}

/** Markers: each racer its optimizer's (the seed's), or the next unused one when two racers share it. */
export function markersFor(optimizers: readonly OptimizerId[]): Marker[] {
  const used: Marker[] = [];
  return optimizers.map((id) => {
    const own = kOptimizerMarkers[id];
    const marker = !used.includes(own) ? own : kMarkers.find((m) => !used.includes(m)) ?? own;
    used.push(marker);
    return marker;
  });
}

/** The preset these drafts equal (names, optimizers, hyperparameters, init, activation), else 'custom'. */
export function matchingPreset(drafts: readonly RacerDraft[]): PresetChoice {
  const same = (preset: PresetId): boolean => {
    const wanted = presetDrafts(preset);
    return wanted.length === drafts.length && wanted.every((w, i) => {
      const a = specFromDraft(w);
      const b = specFromDraft(drafts[i]);
      return JSON.stringify({ ...a, color: 0 }) === JSON.stringify({ ...b, color: 0 });
    });
  };
  return same('seed') ? 'seed' : same('init') ? 'init' : 'custom';
}
