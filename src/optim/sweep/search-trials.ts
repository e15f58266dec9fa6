/**
 * A search's trials, drawn from the race seed, and the book's next step ("narrow the ranges and
 * search again").
 *
 * The recipe, the same in every engine, on the CLI and on the page (no engine draws anything):
 *   h = pcg(i + pcg(k + pcg(kSearchStream + pcg(seed))))   all mod 2^32, pcg = src/nn/batch.ts's pcgHash
 *   u = h / 2^32                                            in [0, 1)
 *   log:    value = 10^(log10(min) + u·(log10(max) − log10(min)))
 *   linear: value = min + u·(max − min)
 * for trial k (0-based; the racer is "trial k+1") and the range at index i of the spec, then
 * rounded to 6 significant digits unless that leaves [min, max] (Math.pow and Math.log10 need not
 * be correctly rounded, so two JavaScript engines may differ in the last bit; 6 digits also read
 * well). Trial k depends only on (seed, k, i): more trials keep the earlier ones.
 */
import { pcgHash } from '../../nn/batch';
import { checkHyperparameter, describeRange, type HyperKey } from '../hyperparameters';
import type { RacerSpec } from '../racer-spec';
import { optimizerSpec, type OptimizerId } from '../registry';
import { roundSignificant } from '../../util/short-number';
import { isNetworkOptionKey, kNetworkOptions, type NetworkOptions } from '../network-options';
import { searchSpecProblem, searchTrialsProblem, type SearchRange, type SearchSpec } from './search-spec';

/** Keeps a search's numbers apart from the minibatch hash of the same seed (ASCII "SRCH"). */
export const kSearchStream = 0x53524348;

/** Significant digits a drawn value keeps. */
export const kTrialDigits = 6;

const kMaxSeed = 0xffffffff;

/** u in [0, 1) of trial `trial` (0-based) and range index `index`, from the race seed. */
export function searchUniform(seed: number, trial: number, index: number): number {
  const h = pcgHash((index + pcgHash((trial + pcgHash((kSearchStream + pcgHash(seed)) >>> 0)) >>> 0)) >>> 0);
  return h / 2 ** 32;
}

/** The value at `u` of a range on its scale, tidied to kTrialDigits unless that leaves the range. */
export function rangeValue(range: SearchRange, u: number): number {
  const { min, max } = range;
  const value = range.scale === 'log' ? 10 ** (Math.log10(min) + u * (Math.log10(max) - Math.log10(min))) : min + u * (max - min);
  const short = roundSignificant(value, kTrialDigits);
  return short >= min && short <= max ? short : value;
}

/** Trial `trial`'s (0-based) value of every range, by key, in the spec's order. No checks: see drawTrials. */
export function trialValues(spec: SearchSpec, seed: number, trial: number): Record<HyperKey, number> {
  return Object.fromEntries(spec.ranges.map((range, i) => [range.key, rangeValue(range, searchUniform(seed, trial, i))]));
}

export interface SearchTrial {
  /** 1-based: the racer is named "trial <number>". */
  number: number;
  /** Every drawn value by key, in the spec's order (the exports, the landscape). */
  values: Record<HyperKey, number>;
  /** The optimizer with the drawn registry keys; its other hyperparameters at their defaults. */
  racer: RacerSpec;
  /** The drawn network options (`l2`, `dropout`); those not searched are left out. */
  network: NetworkOptions;
}

/**
 * `trials` racers of `optimizer` with values drawn from `seed` (a whole number from 0 to 2^32−1).
 * `racerLimit`: the race's racer limit (kRaceLimits.racers.max). Throws the spec's, the trials'
 * or the optimizer's message.
 */
export function drawTrials(spec: SearchSpec, trials: number, seed: number, optimizer: OptimizerId, racerLimit: number): SearchTrial[] {
  const problem = searchSpecProblem(spec) ?? searchTrialsProblem(trials, racerLimit);
  if (problem) throw new Error(problem);
  if (!(Number.isInteger(seed) && seed >= 0 && seed <= kMaxSeed)) throw new Error(`search: the seed must be a whole number from 0 to ${kMaxSeed}, got ${seed}`);
  const optimizerDef = optimizerSpec(optimizer);
  for (const range of spec.ranges) {
    if (isNetworkOptionKey(range.key)) continue;
    const h = optimizerDef.hyperparameters.find((x) => x.key === range.key);
    const keys = optimizerDef.hyperparameters.map((x) => x.key).join(', ');
    if (!h)
      throw new Error(
        `search ${range.key}: ${optimizerDef.label} has no hyperparameter '${range.key}' (its keys: ${keys}; network options: ${kNetworkOptions.map((o) => o.key).join(', ')})`,
      );
    for (const value of [range.min, range.max]) {
      if (checkHyperparameter(h, value))
        throw new Error(`search ${range.key}: ${optimizerDef.label}'s ${range.key} must be in ${describeRange(h)}, got ${value}`);
    }
  }
  return Array.from({ length: trials }, (_, k) => {
    const values = trialValues(spec, seed, k);
    const hyperparameters: Record<HyperKey, number> = {};
    const network: NetworkOptions = {};
    for (const [key, value] of Object.entries(values)) {
      if (isNetworkOptionKey(key)) network[key] = value;
      else hyperparameters[key] = value;
    }
    return { number: k + 1, values, racer: { name: `trial ${k + 1}`, optimizer: optimizerDef.id, hyperparameters }, network };
  });
}

/** A trial's drawn values and its score (validation accuracy: higher is better; not finite: diverged). */
export interface ScoredTrial {
  values: Readonly<Record<HyperKey, number>>;
  score: number;
}

/** How far a range that shrank to one value is widened each way, as a share of the original span (in its scale). */
const kDegenerateMargin = 0.01;

/** One range narrowed to [lo, hi], kept inside the original; widened when the top trials agree on one value. */
function narrowRange(range: SearchRange, lo: number, hi: number): SearchRange {
  const clamp = (x: number) => Math.min(range.max, Math.max(range.min, x));
  let min = clamp(lo);
  let max = clamp(hi);
  if (min >= max) {
    const log = range.scale === 'log';
    const to = (x: number) => (log ? Math.log10(x) : x);
    const from = (x: number) => (log ? 10 ** x : x);
    const margin = kDegenerateMargin * (to(range.max) - to(range.min));
    min = clamp(from(to(min) - margin));
    max = clamp(from(to(max) + margin));
  }
  return { ...range, min, max };
}

/**
 * The book's next step: for every key, the box around the `top` best scored trials (their least
 * and greatest value; the same box in either scale), inside the original range, same scales and
 * order. Trials whose score is not finite (diverged, not yet scored) are left out; fewer than 2
 * scored trials throw. Ties keep the trials' order.
 */
export function narrowedSpec(spec: SearchSpec, trialsWithScores: readonly ScoredTrial[], top = 5): SearchSpec {
  const problem = searchSpecProblem(spec);
  if (problem) throw new Error(problem);
  if (!(Number.isInteger(top) && top >= 2)) throw new Error(`narrow: top must be a whole number of at least 2, got ${top}`);
  const scored = trialsWithScores.filter((t) => Number.isFinite(t.score));
  if (scored.length < 2) throw new Error(`narrow: needs at least 2 scored trials, got ${scored.length}`);
  const best = [...scored].sort((a, b) => b.score - a.score).slice(0, top);
  return {
    ranges: spec.ranges.map((range) => {
      const values = best.map((t) => t.values[range.key]);
      if (!values.every((v) => Number.isFinite(v))) throw new Error(`narrow: a top trial has no value for '${range.key}'`);
      return narrowRange(range, Math.min(...values), Math.max(...values));
    }),
  };
}
