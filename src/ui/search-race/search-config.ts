/**
 * The race a round of <search-race> runs: the `hypersearch` preset (src/race/chapter6-presets.ts)
 * with the round's spec and seed (./search-rounds.ts) and the element's overrides (a smaller
 * search for a test or a slow machine). Pure.
 */
import { parseHidden } from '../../race/network-settings';
import { kHypersearchPreset } from '../../race/chapter6-presets';
import type { RaceConfig } from '../../race/config';
import type { SearchSpec } from '../../optim/sweep';
import { roundSeed } from './search-rounds';

/** The element's overrides of the preset (unset: the preset's). */
export interface SearchOverrides {
  trials?: number;
  epochs?: number;
  trainLimit?: number;
  /** Hidden layers as typed (`100x6`, `20,20`). */
  hiddenLayers?: string;
  seed?: number;
}

const given = <T>(value: T | undefined | null): value is T => value !== undefined && value !== null;

/** The preset's search (its spec, 100 trials, SGD). */
export const kBookSearch = kHypersearchPreset.search;

/** The seed round `round` races. */
export const searchSeed = (o: SearchOverrides, round: number): number => roundSeed(o.seed ?? kHypersearchPreset.seed, round);

/** Round `round`'s race: `spec`, drawn from its seed; throws a bad override's message (resolveRace checks the rest). */
export function searchRoundConfig(spec: SearchSpec, round: number, o: SearchOverrides): RaceConfig {
  const preset = kHypersearchPreset;
  const base = preset.search?.base ?? { optimizer: 'sgd' };
  return {
    ...preset,
    search: { spec, trials: o.trials ?? preset.search?.trials ?? 100, base },
    seed: searchSeed(o, round),
    ...(given(o.epochs) ? { epochs: o.epochs } : {}),
    ...(given(o.trainLimit) ? { trainLimit: o.trainLimit } : {}),
    ...(given(o.hiddenLayers) ? { sizes: [784, ...parseHidden(o.hiddenLayers), 10] } : {}),
  };
}
