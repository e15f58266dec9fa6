/**
 * <optimizer-race>'s engine choice: its `backend` and `force-cpu` read as one preference (force-cpu
 * as cpu, an unknown name as auto with a note that says so), the DeviceController that probes and
 * chooses from it (and settles again when they change after the first render), the badge, and the
 * notice's answers (race on the CPU reference, on WebAssembly SIMD, or on a new GPU device).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { kBackendPreferences, parseBackendPreference, type BackendPreference } from '../../race/backend-choice';
import { kSeedRace } from '../../race/config';
import { backendBadge, type BackendBadge } from './backend-badge';
import { DeviceController, type BackendKind } from './device-controller';
import type { NoticesActions, NoticesView } from './notices';

/** Iterations offered by default on the CPU reference (about a second each for the seed's race). */
export const kCpuIterations = 100;

/** The element's attributes the choice reads (and the race length the CPU offer shortens). */
export interface EngineChoiceHost extends ReactiveControllerHost {
  backend: string;
  forceCpu: boolean;
  iterations: number;
  /** After the first update (a change then asks the probes again). */
  readonly hasUpdated: boolean;
}

export interface EngineChoiceOptions {
  /** Whether a race holds the device (a device destroyed while none does is no news). */
  inUse(): boolean;
  /** Replaces the host's note starting with `prefix` (null: removes it). */
  note(prefix: string, text: string | null): void;
}

export class EngineChoiceController implements ReactiveController {
  readonly device: DeviceController;
  /** `backend` and `forceCpu` as last updated (null before the first update). */
  private seen: { backend: string; forceCpu: boolean } | null = null;

  constructor(
    private readonly host: EngineChoiceHost,
    private readonly options: EngineChoiceOptions,
  ) {
    host.addController(this);
    this.device = new DeviceController(host, {
      preference: () => this.preference,
      askedBy: () => (host.forceCpu ? 'force-cpu' : `backend="${this.preference}"`),
      inUse: () => options.inUse(),
    });
  }

  /** `backend`, with force-cpu read as cpu and an unknown name as auto. */
  get preference(): BackendPreference {
    return this.host.forceCpu ? 'cpu' : (parseBackendPreference(this.host.backend) ?? 'auto');
  }

  hostUpdate(): void {
    const { backend, forceCpu } = this.host;
    if (this.seen?.backend === backend && this.seen.forceCpu === forceCpu) return;
    if (this.seen?.backend !== backend) {
      const ok = parseBackendPreference(backend) !== null;
      this.options.note('backend:', ok ? null : `backend: "${backend}" is not one of ${kBackendPreferences.join(', ')}; using auto.`);
    }
    this.seen = { backend, forceCpu };
    // A new choice may need the wasm probe (asked once per page).
    if (this.host.hasUpdated) void this.device.settle();
  }

  /** The badge: the current race's engine (`engine`, on `threads`), else the one a race would get. */
  badge(engine: BackendKind | null, threads: number): BackendBadge {
    return backendBadge(this.device.choice, this.device.checking, engine, threads);
  }

  /** What the notices say about the engine: WebGPU missing or lost, the offers, a fallback announced. */
  get notice(): Pick<NoticesView, 'device' | 'choice' | 'onCpu' | 'cpuIterations'> {
    return { device: this.device, choice: this.device.choice, onCpu: this.device.onAcceptedCpu, cpuIterations: kCpuIterations };
  }

  /** The notice's offers: the CPU reference (the seed's 2000 iterations become kCpuIterations) or WebAssembly SIMD. */
  readonly offers: Pick<NoticesActions, 'acceptCpu' | 'acceptWasm'> = {
    acceptCpu: () => {
      this.device.acceptCpu();
      if (this.host.iterations === kSeedRace.iterations) this.host.iterations = kCpuIterations;
    },
    acceptWasm: () => this.device.acceptWasm(),
  };
}
