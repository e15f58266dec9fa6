/**
 * RaceEngine's weights in and resume (setStartWeights, resumeFrom) and the backends' restore: their
 * checks and the numbers they write, apart from engine.ts and gpu-backend.ts so that they load only
 * when first used (the page's first load stays within its size limit).
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

/** Throws unless `snapshot` has the sizes of a race of `racers` racers with P params and S statistics each. */
export function checkSnapshot(snapshot: RaceSnapshot, racers: number, P: number, S: number): void {
  const sizes = [snapshot.params.length, snapshot.stats.length, ...snapshot.state.map((s) => s.length), snapshot.steps.length];
  const wanted = [racers * P, racers * S, racers * P, racers * P, racers];
  if (snapshot.state.length !== 2 || sizes.some((n, k) => n !== wanted[k])) {
    throw new Error(`a snapshot of ${racers} racers holds ${wanted.join(', ')} numbers (params, stats, state, state, steps), got ${sizes.join(', ')}`);
  }
}
