/** Typed events of <trajectory-race>, so `el.addEventListener('race-finished', e => e.detail.results)` type-checks. */
import type { BackendKind } from '../../gpu/backend-kind';
import type { TrajectoryResult } from '../../race2d/trajectory';

export interface RaceFinishedDetail {
  /** One entry per included racer, as the engine returned it. */
  results: TrajectoryResult[];
  /** Which engine produced the paths: the WGSL kernels or the float64 TypeScript reference. */
  backend: BackendKind;
}

export type RaceFinishedEvent = CustomEvent<RaceFinishedDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'race-finished': RaceFinishedEvent;
  }
}
