/**
 * Typed events of <optimizer-race>: `el.addEventListener('race-progress', (e) => e.detail.losses)`
 * type-checks anywhere; `race-finished` type-checks on an OptimizerRace (the name is shared with
 * <trajectory-race>, whose detail differs, so the global map keeps that one).
 */
import type { BackendKind } from '../../gpu/backend-kind';
import type { RacerHistory } from '../../race/engine';
import type { RacerDraft } from './racers';

export interface RaceProgressDetail {
  /** Iterations completed. */
  iteration: number;
  iterations: number;
  /** Each racer's loss at the last completed iteration (NaN once it diverged). */
  losses: number[];
  /** Iterations per second, all racers together. */
  speed: number;
}

export interface MnistRaceFinishedDetail {
  /** Per racer: name, optimizer, hyperparameters, init, activation, losses, accuracy checkpoints, diverged. */
  history: RacerHistory[];
  backend: BackendKind;
}

/** <racer-editor>'s `racers-change`: the racers after the user's edit (add, remove, change a field). */
export interface RacersChangeDetail {
  drafts: RacerDraft[];
}

export type RaceProgressEvent = CustomEvent<RaceProgressDetail>;
export type RacersChangeEvent = CustomEvent<RacersChangeDetail>;
export type MnistRaceFinishedEvent = CustomEvent<MnistRaceFinishedDetail>;

/** Events an OptimizerRace fires (its addEventListener overloads use this map). */
export interface OptimizerRaceEventMap extends Omit<HTMLElementEventMap, 'race-finished'> {
  'race-progress': RaceProgressEvent;
  'race-finished': MnistRaceFinishedEvent;
}

declare global {
  interface GlobalEventHandlersEventMap {
    'race-progress': RaceProgressEvent;
    'racers-change': RacersChangeEvent;
  }
}
