import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { kChapter6FigurePresetIds, kChapter6Presets, type Chapter6FigurePresetId } from '../../race/chapter6-presets';
import { resolvedRacerJson, resolveRace, type RaceConfig, type ResolvedRace } from '../../race/config';
import { errorMessage } from '../../util/error-message';
import { shortNumber } from '../../util/short-number';
import type { RacePlan } from '../optimizer-race/race-controller';
import { themeTokens } from '../theme';
import { chapter6RaceStyles } from './chapter6-race.styles';
import { EmbeddedRaceElement } from './embedded-race-element';
import type { FigureRacer } from './figure-data';

const isPresetId = (id: string): id is Chapter6FigurePresetId => (kChapter6FigurePresetIds as readonly string[]).includes(id);

/** The race engine's reporting, as the figures read it: the racers of a race not started yet have no checkpoints. */
const unstarted = (race: ResolvedRace): FigureRacer[] => race.racers.map((r) => ({ ...resolvedRacerJson(r), accuracy: [] }));

/**
 * One of the book's chapter-6 experiments (`preset`: batchnorm, overfit or dropout; the races of
 * src/race/chapter6-presets.ts) with Start, Pause, Reset and the engine badge, and its figure
 * (<batch-norm-figure> or <overfit-figure>) filling in as the engine reports each epoch. The race
 * runs on the engine the MNIST race would use (WebGPU on a hardware adapter, else WebAssembly
 * SIMD, else the float64 CPU reference; `backend` picks one), through ./embedded-race-controller.ts
 * (<optimizer-race>'s own DeviceController and RaceController; the element owns no GPU buffers). The
 * data is the embedded MNIST subset (2,000 test images), loaded once per page.
 *
 * @fires race-progress - CustomEvent<{iteration, iterations, losses, speed}> after each chunk of iterations.
 * @fires race-finished - CustomEvent<{history, backend}> once per race that ran to its end.
 *
 * @csspart base - the element's outer box
 * @csspart toolbar - Start, Reset, the progress and the engine badge
 * @csspart backend - the engine badge
 * @csspart message - notices and errors
 *
 * @cssproperty --or-accent - buttons, the badge, the figure's first line
 */
export class Chapter6Race extends EmbeddedRaceElement {
  static override styles = [themeTokens, chapter6RaceStyles];

  /** The experiment: 'batchnorm' (figure 6-19), 'overfit' (weight decay, 6-20/6-21) or 'dropout' (6-23). */
  @property({ reflect: true }) preset: string = 'batchnorm';
  /** Overrides the preset's epochs (a shorter race, e.g. for a test); unset: the book's. */
  @property({ type: Number }) epochs?: number;
  /** Overrides the preset's training-set limit; unset: the book's. */
  @property({ type: Number, attribute: 'train-limit' }) trainLimit?: number;

  /** Why the settings cannot race (a bad preset or override), or null. */
  @state() private problem: string | null = null;

  /** Why Start cannot run (bad settings, the data or a race's error), or null. */
  get error(): string | null {
    return this.problem ?? this.controls.data.error ?? this.race.error?.text ?? null;
  }

  /** Drops the race: the figure is empty again, the next Start runs from epoch 0. */
  reset(): void {
    this.race.reset();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('preset') || changed.has('epochs') || changed.has('trainLimit')) {
      // A race of other settings is another race: the current one (and its figure) goes.
      if (this.hasUpdated) this.race.reset();
      this.resolve();
    }
    // After the settings: a race they dropped no longer holds the engine when it settles.
    super.willUpdate(changed);
  }

  private resolve(): void {
    this.resolved = null;
    try {
      if (this.preset === 'hypersearch') throw new Error('preset "hypersearch" is the hyperparameter search: use <search-race> for it');
      if (!isPresetId(this.preset)) throw new Error(`preset "${this.preset}" is not one of ${kChapter6FigurePresetIds.join(', ')}`);
      const preset = kChapter6Presets[this.preset];
      const config: RaceConfig = {
        ...preset,
        ...(this.epochs === undefined || this.epochs === null ? {} : { epochs: this.epochs }),
        ...(this.trainLimit === undefined || this.trainLimit === null ? {} : { trainLimit: this.trainLimit }),
      };
      this.resolved = resolveRace(config);
      this.problem = null;
    } catch (error) {
      this.problem = errorMessage(error);
    }
  }

  /** The race Start runs: the resolved config on the embedded data (null, with the reason shown, when it cannot run). */
  protected override async plan(): Promise<RacePlan | null> {
    // A host's start() right after creating the element: the settings resolve in the first update.
    if (!this.hasUpdated) await this.updateComplete;
    return this.resolved ? this.controls.planOn(this.resolved) : null;
  }

  protected override render(): TemplateResult {
    return html`<div part="base" class="base">
      ${this.controls.renderToolbar({ resolved: this.resolved, settingsReady: this.resolved !== null, canReset: !!this.race.engine, reset: () => this.reset() })}
      ${this.controls.renderNotices(this.problem, 'The experiment stopped; a restart runs it again from epoch 0.')}
      ${this.resolved ? this.renderAbout(this.resolved) : nothing}
      ${this.resolved ? this.renderFigure(this.resolved) : nothing}
    </div>`;
  }

  /** What runs, from the resolved config (so an override shows). */
  private renderAbout(race: ResolvedRace): TemplateResult {
    const { config, racers } = race;
    const epochs = config.epochs ?? race.evaluations.length;
    const first = racers[0];
    const lr = first ? shortNumber(first.hyper.lr, 3) : '';
    return html`<p class="about">
      ${racers.length} networks ${config.sizes.join('-')} (ReLU), ${first?.spec.label ?? ''} with learning rate ${lr}, batches of
      ${config.batchSize} drawn from the first ${race.trainSize.toLocaleString('en')} training images, ${epochs} epochs
      (${config.iterations} iterations), seed ${config.seed}; accuracy measured after each epoch on those training images and
      on the 2,000 test images.
    </p>`;
  }

  private renderFigure(race: ResolvedRace): TemplateResult {
    // A new array each render: the figure draws again as checkpoints arrive (the engine appends to its own arrays).
    const racers: FigureRacer[] = [...(this.race.engine?.history ?? unstarted(race))];
    const epochs = race.config.epochs ?? race.evaluations.length;
    return this.preset === 'batchnorm'
      ? html`<batch-norm-figure .racers=${racers} epochs=${epochs}></batch-norm-figure>`
      : html`<overfit-figure .racers=${racers} epochs=${epochs}></overfit-figure>`;
  }
}
