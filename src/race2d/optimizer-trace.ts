/**
 * What each racer's optimizer held at every update of a 2D race: the gradient it was given and its
 * state vectors after the update, named by the registry's `state` (src/optim/registry.ts). On the
 * GPU it is the record-state kernel's copy of the optimizer kernels' own buffers, read back once
 * with the path; on the CPU it is the float64 reference's state.
 */
import type { Point } from './functions';

export interface OptimizerTrace {
  /** g[t - 1]: the gradient update t used (at path[t - 1]). */
  g: Point[];
  /** state[name][t - 1]: the state vector `name` after update t, one entry per registry state name. */
  state: Record<string, Point[]>;
}

/** Floats per racer per trace row: g, stateA, stateB. */
export const kTraceFloats = 6;

/** Racer r's trace from the kernel's flat rows (row s = update s + 1, see shaders/race2d/record-state.wgsl). */
export function traceFromRows(flat: ArrayLike<number>, racers: number, r: number, steps: number, stateNames: readonly string[]): OptimizerTrace {
  const at = (s: number, k: number): Point => {
    const o = (s * racers + r) * kTraceFloats + k;
    return [flat[o], flat[o + 1]];
  };
  const rows = Array.from({ length: steps }, (_, s) => s);
  return {
    g: rows.map((s) => at(s, 0)),
    state: Object.fromEntries(stateNames.map((name, k) => [name, rows.map((s) => at(s, 2 + 2 * k))])),
  };
}

/** Collects the reference's trace as it runs: call `record` after each update. */
export class TraceRecorder {
  readonly trace: OptimizerTrace;

  constructor(private readonly stateNames: readonly string[]) {
    this.trace = { g: [], state: Object.fromEntries(stateNames.map((n) => [n, []])) };
  }

  record(g: Point, state: readonly Float64Array[]): void {
    this.trace.g.push([g[0], g[1]]);
    this.stateNames.forEach((name, k) => this.trace.state[name].push([state[k][0], state[k][1]]));
  }
}
