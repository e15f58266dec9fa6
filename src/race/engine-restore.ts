/**
 * RaceEngine's weights in and resume (setStartWeights, resumeFrom): their checks and the numbers
 * they write, apart from engine.ts so that they load only when first used (the page's first load
 * stays within its size limit).
 */
import { networkLayout } from '../nn/layout';
import type { RacerBlocks } from '../nn/state-dict';
import type { RaceSnapshot } from './backend';
import type { ResolvedRace } from './config';
import type { RacerHistory } from './engine';

const blockSizes = (race: ResolvedRace) => networkLayout(race.config.sizes, { batchNorm: race.batchNorm });

/** Throws unless racer `r` exists and `blocks` (when given) have its network's sizes. */
export function checkStartWeights(race: ResolvedRace, r: number, blocks: RacerBlocks | null): void {
  const count = race.racers.length;
  if (!(Number.isInteger(r) && r >= 0 && r < count)) throw new RangeError(`racer ${r} is not a racer of this race (0 to ${count - 1})`);
  const { paramsPerRacer: P, statsPerRacer: S } = blockSizes(race);
  if (blocks && (blocks.params.length !== P || blocks.stats.length !== S)) {
    throw new Error(`racer ${r}'s network holds ${P} params and ${S} statistics, the weights ${blocks.params.length} and ${blocks.stats.length}`);
  }
}

/** The loaded racers' blocks written over a snapshot of freshly initialised racers. */
export function withStartWeights(race: ResolvedRace, snapshot: RaceSnapshot, start: ReadonlyMap<number, RacerBlocks>): RaceSnapshot {
  const { paramsPerRacer: P, statsPerRacer: S } = blockSizes(race);
  for (const [r, blocks] of start) {
    snapshot.params.set(blocks.params, r * P);
    snapshot.stats.set(blocks.stats, r * S);
  }
  return snapshot;
}

/** Throws unless a checkpoint at `iteration` with `history` fits the race. */
export function checkResume(race: ResolvedRace, iteration: number, history: readonly RacerHistory[]): void {
  const { iterations } = race.config;
  if (!(Number.isInteger(iteration) && iteration >= 0 && iteration <= iterations)) {
    throw new Error(`the checkpoint is at iteration ${iteration}, the race runs ${iterations}`);
  }
  if (history.length !== race.racers.length || history.some((h) => h.losses.length !== iteration)) {
    throw new Error(`the checkpoint's history does not hold ${iteration} losses for each of ${race.racers.length} racers`);
  }
}

/** The checkpoint's history appended to the engine's own records, in place (views hold their arrays). */
export function appendHistory(own: RacerHistory[], history: readonly RacerHistory[]): void {
  history.forEach((h, r) => {
    own[r].losses.push(...h.losses);
    own[r].accuracy.push(...h.accuracy.map((a) => ({ ...a })));
    own[r].diverged = h.diverged;
    own[r].predictions = [...h.predictions];
  });
}
