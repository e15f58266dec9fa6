/** The backend badge's words: which engine runs (or would run) the race, and why. */
import { kBackendLabels, type BackendChoice } from '../../race/backend-choice';
import type { BackendKind } from './device-controller';

export interface BackendBadge {
  /** The engine, or 'none' while undecided or blocked (the badge's class). */
  kind: BackendKind | 'none';
  label: string;
  /** Why this engine, '' when there is nothing to say. */
  reason: string;
}

/**
 * `engine`: the current race's backend (it may differ from the choice once settings change);
 * `threads`: what that engine computes on.
 */
export function backendBadge(choice: BackendChoice, checking: boolean, engine: BackendKind | null, threads: number): BackendBadge {
  if (engine === null && checking) return { kind: 'none', label: 'checking WebGPU…', reason: '' };
  const kind = engine ?? choice.kind;
  if (kind === null) return { kind: 'none', label: 'no WebGPU', reason: '' };
  const label = kind === 'wasm' && engine === 'wasm' && threads > 1 ? `${kBackendLabels.wasm}, ${threads} threads` : kBackendLabels[kind];
  return { kind, label, reason: choice.kind === kind ? choice.reason : '' };
}
