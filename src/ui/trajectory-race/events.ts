/** Typed events of <trajectory-race>, so `el.addEventListener('race-finished', e => e.detail.results)` type-checks. */
import type { TrajectoryResult } from '../../race2d/trajectory';

/** Which engine produced the paths: the WGSL kernels or the float64 TypeScript reference. */
export type RaceBackend = 'webgpu' | 'cpu';

export interface RaceFinishedDetail {
  /** One entry per included racer, as the engine returned it. */
  results: TrajectoryResult[];
  backend: RaceBackend;
}

export type RaceFinishedEvent = CustomEvent<RaceFinishedDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'race-finished': RaceFinishedEvent;
  }
}
