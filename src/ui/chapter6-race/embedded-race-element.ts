/**
 * What <chapter6-race> and <search-race> share as elements: the `backend` and `force-cpu`
 * attributes, the race on the embedded MNIST subset (./embedded-race-controller.ts) and the public
 * API over it. A subclass resolves its settings into `resolved`, plans the race Start runs, and draws.
 */
import { LitElement, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import type { BackendKind } from '../../gpu/backend-kind';
import type { BackendPreference } from '../../race/backend-choice';
import type { RaceConfig, ResolvedRace } from '../../race/config';
import type { RaceEngine, RaceStatus } from '../../race/engine';
import type { RacePlan } from '../optimizer-race/race-controller';
import { EmbeddedRaceController } from './embedded-race-controller';

export abstract class EmbeddedRaceElement extends LitElement {
  /** The engine: auto (the MNIST race's choice), webgpu, wasm or cpu. */
  @property() backend = 'auto';
  /** Race on the float64 CPU reference (as backend="cpu"). */
  @property({ type: Boolean, attribute: 'force-cpu' }) forceCpu = false;

  /** The race of the settings now, or null while they are invalid. */
  protected resolved: ResolvedRace | null = null;
  protected readonly controls = new EmbeddedRaceController(this, { plan: () => this.plan() });
  protected readonly race = this.controls.race;

  /** `backend`, with force-cpu read as cpu and an unknown name as auto. */
  get preference(): BackendPreference {
    return this.controls.preference;
  }

  /** The race's config (the current round's, in a search), or null while the settings are invalid. */
  get config(): RaceConfig | null {
    return this.resolved?.config ?? null;
  }

  get status(): RaceStatus {
    return this.race.status;
  }

  /** The current race's engine (its history, its backend), or null before Start and after Reset. */
  get engine(): RaceEngine | null {
    return this.race.engine;
  }

  /** The engine that runs the current race, or null. */
  get backendKind(): BackendKind | null {
    return this.controls.backendKind;
  }

  /** Starts the race (resumes a paused one); resolves when it stops. */
  start(): Promise<void> {
    return this.race.start();
  }

  pause(): void {
    this.race.pause();
  }

  resume(): Promise<void> {
    return this.race.resume();
  }

  /** The race Start runs (the controller's planOn), or null with the reason shown. */
  protected abstract plan(): Promise<RacePlan | null>;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (this.hasUpdated && (changed.has('backend') || changed.has('forceCpu'))) void this.controls.device.settle();
  }
}
