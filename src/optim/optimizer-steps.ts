/**
 * What the optimizer dispatches of one race read: each racer's step record per slot (StepRecords),
 * and the racers grouped by optimizer, so ONE dispatch per optimizer present serves all of its
 * racers (workgroup y = the racer's place in its group). A small uniform per (slot, optimizer) says
 * where the slot's records and the group's racer list start. Diverged racers leave their group's
 * list (setActive), so they cost nothing and need no dispatch of their own.
 */
import { UniformRing } from '../gpu/uniform-ring';
import type { OptimizerId, OptimizerSpec, ResolvedHyperparameters } from './registry';
import { StepRecords } from './step-records';

/** OptimDispatch (shaders/optim/common.wgsl): first record of the slot, first entry of the group's list. */
export const kDispatchBytes = 8;

/** The racers of one optimizer: their indices occupy list[first, first + racers.length). */
export interface OptimizerGroup {
  id: OptimizerId;
  first: number;
  racers: readonly number[];
}

export class OptimizerSteps {
  readonly records: StepRecords;
  readonly groups: readonly OptimizerGroup[];
  /** R u32 racer indices, grouped by optimizer, the active racers of each group first. */
  readonly racerList: GPUBuffer;
  readonly dispatches: UniformRing;
  private readonly list: Uint32Array<ArrayBuffer>;
  /** Active racers per group: the dispatch's workgroups in y. */
  private readonly activeCounts: number[];

  constructor(
    private readonly device: GPUDevice,
    /** Each racer's optimizer, in racer order. */
    optimizers: readonly OptimizerId[],
    readonly slots: number,
    label = 'Optimizer',
  ) {
    const R = optimizers.length;
    this.records = new StepRecords(device, slots, R, `${label}.stepRecords`);
    const ids = [...new Set(optimizers)];
    let first = 0;
    this.groups = ids.map((id) => {
      const racers = optimizers.flatMap((o, r) => (o === id ? [r] : []));
      const group = { id, first, racers };
      first += racers.length;
      return group;
    });
    this.list = new Uint32Array(R);
    this.activeCounts = this.groups.map((g) => g.racers.length);
    this.racerList = device.createBuffer({ label: `${label}.racerList`, size: 4 * R, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
    this.dispatches = new UniformRing(device, slots * this.groups.length, kDispatchBytes, `${label}.dispatches`);
    for (let s = 0; s < slots; s++) {
      this.groups.forEach((g, j) => {
        this.dispatches.setU32(s * this.groups.length + j, 0, s * R);
        this.dispatches.setU32(s * this.groups.length + j, 1, g.first);
      });
    }
    this.dispatches.flush();
    this.setActive(
      optimizers.map(() => true),
      true,
    );
  }

  /** Writes the step of `racer` at `slot` (1-based step t) in CPU memory; flush() uploads. */
  set(slot: number, racer: number, spec: OptimizerSpec, h: ResolvedHyperparameters, t: number, offset: number, count: number): void {
    this.records.set(slot, racer, { offset, count, fields: spec.stepFields, scalars: spec.step(h, t) });
  }

  /** Which racers step from now on; uploads the lists only when they change (queue order keeps chunks in flight right). */
  setActive(active: readonly boolean[], force = false): void {
    let changed = force;
    this.groups.forEach((g, j) => {
      const on = g.racers.filter((r) => active[r]);
      const order = [...on, ...g.racers.filter((r) => !active[r])];
      order.forEach((r, k) => {
        if (this.list[g.first + k] !== r) changed = true;
        this.list[g.first + k] = r;
      });
      if (this.activeCounts[j] !== on.length) changed = true;
      this.activeCounts[j] = on.length;
    });
    if (changed) this.device.queue.writeBuffer(this.racerList, 0, this.list);
  }

  /** Racers of group j that step. */
  activeCount(group: number): number {
    return this.activeCounts[group];
  }

  /** Dynamic offset of the OptimDispatch uniform of (slot, group). */
  dispatchOffset(slot: number, group: number): number {
    return this.dispatches.offset(slot * this.groups.length + group);
  }

  /** Uploads the records of slots [first, first + n). */
  flush(first = 0, n = this.slots - first): void {
    this.records.flush(first, n);
  }

  destroy(): void {
    this.records.destroy();
    this.racerList.destroy();
    this.dispatches.destroy();
  }
}
