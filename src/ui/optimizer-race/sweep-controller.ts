/**
 * <optimizer-race>'s sweep / LR range test / search section: which study the racers still are
 * (StudyController), applying one from the sweep panel (its racers replace the host's; a problem
 * becomes a note), a search's trials drawn again when the race seed changes, whether a race of N
 * racers would fit the GPU it would run on, the study cards (study-view.ts), and the racers card,
 * which shows a study's racers as the study until asked to unfold them (racers-card.ts), and a
 * validated search's "Test the best" (testBestOf of src/race/search-race.ts, after the search).
 */
import type { TemplateResult } from 'lit';
import type { MnistDataset } from '../../data/dataset';
import { kSeedSizes } from '../../nn/layout';
import { deviceFitProblem } from '../../race/device-fit';
import { testBestOf, type TestedTrial } from '../../race/search-race';
import { errorMessage } from '../../util/error-message';
import type { DeviceController } from './device-controller';
import type { RaceController } from './race-controller';
import { trialExports } from './search-export';
import type { RacerDraft } from './racers';
import type { Study } from './study';
import { StudyController } from './study-controller';
import { renderStudy, type StudyView } from './study-view';
import { renderRacersCard, type RacersCardView } from './racers-card';

export interface SweepHost {
  drafts(): readonly RacerDraft[];
  /** The applied study's racers replace the host's. */
  setDrafts(drafts: RacerDraft[]): void;
  /** Replaces the host's note starting with `prefix` (null: removes it). */
  note(prefix: string, text: string | null): void;
  device: DeviceController;
  dataset(): MnistDataset | null;
  batchSize(): number;
  /** The race's layer sizes, or undefined while its hidden sizes are refused (the seed's are checked then). */
  sizes(): readonly number[] | undefined;
  /** The race: its engine (a search's best trials are tested on it), and its failure message (an export or a test failed). */
  race: Pick<RaceController, 'engine' | 'locked' | 'fail'>;
  /** The race seed (a search draws its trials from it). */
  seed(): number;
  /** Something this controller shows changed. */
  requestUpdate(): void;
}

type FitCheck = (racers: number) => string | null;

export class SweepController {
  /** The sweep or LR range test the racers came from, while they still are its racers. */
  private readonly study = new StudyController();
  private fitCheck: { key: unknown[]; fits: FitCheck } | null = null;
  /** "Test the best"'s rows, for the engine they were measured on (a new race drops them). */
  private tested: { engine: unknown; rows: TestedTrial[] } | null = null;
  private testing = false;
  /** A study's racers shown one by one in the editor (asked for; folded again by the next study). */
  unfolded = false;

  constructor(private readonly host: SweepHost) {}

  /** The study the racers still are, or null. */
  get active(): Study | null {
    return this.study.active(this.host.drafts());
  }

  /** The racers are now `study`'s (a preset's, a link's), or no study's. */
  adopt(study: Study | null): void {
    this.study.adopt(study, this.host.seed());
    this.unfolded = false;
  }

  /** Sets a race number (`set`); a new seed (`seed`) draws a search's trials again (other studies do not depend on it). */
  setting(seed: boolean, set: () => void): void {
    const previous = this.active;
    set();
    if (seed && previous?.kind === 'search') this.apply(previous);
  }

  /** Shows (or folds) a study's racers one by one in the editor. */
  unfold(open: boolean): void {
    this.unfolded = open;
    this.host.requestUpdate();
  }

  /** The sweep panel's study replaces the racers (a problem shows as a note). */
  apply(study: Study): void {
    try {
      this.unfolded = false;
      this.host.setDrafts(this.study.draftsFor(study, this.host.seed()));
      this.host.note('The sweep', null);
    } catch (error) {
      this.host.note('The sweep', `The sweep could not be applied: ${errorMessage(error)}`);
    }
  }

  /** On WebGPU with the device and data known: why a race of N racers would not fit (checked as the backend will). */
  fits(): FitCheck | null {
    const limits = this.host.device.gpuLimits;
    const dataset = this.host.dataset();
    if (this.host.device.backend !== 'webgpu' || !limits || !dataset) return null;
    const batchSize = this.host.batchSize();
    const sizes = this.host.sizes() ?? kSeedSizes;
    const key = [limits, dataset, batchSize, sizes];
    // The same function while nothing it reads changed, so the panel does not re-check on every progress report.
    if (this.fitCheck?.key.every((v, i) => v === key[i])) return this.fitCheck.fits;
    const { trainCount, testCount } = dataset;
    const fits = (racers: number) => deviceFitProblem({ sizes, racers, batchSize, trainCount, testCount }, limits);
    this.fitCheck = { key, fits };
    return fits;
  }

  /**
   * "Test the best": a search's best `count` trials by validation accuracy measured on the test set
   * after the search (a race with a validation share; refused while it runs); null when there is
   * no such search or engine, or it failed (the race's message says why).
   */
  async testBest(count = 5): Promise<TestedTrial[] | null> {
    const study = this.active;
    const engine = this.host.race.engine;
    if (study?.kind !== 'search' || !engine || this.host.race.locked || this.testing) return null;
    this.testing = true;
    this.host.requestUpdate();
    try {
      const records = trialExports(study, this.host.seed(), engine.history);
      const rows = await testBestOf(engine, records, Math.min(count, records.length));
      this.tested = { engine, rows };
      return rows;
    } catch (error) {
      this.host.race.fail(`Could not test the best trials: ${errorMessage(error)}`, error);
      return null;
    } finally {
      this.testing = false;
      this.host.requestUpdate();
    }
  }

  /** The study cards and the sweep panel, for the race's history so far. */
  render(view: Omit<StudyView, 'study' | 'fits' | 'seed' | 'tested' | 'testing'>): TemplateResult {
    const engine = this.host.race.engine;
    const tested = engine && this.tested?.engine === engine ? this.tested.rows : null;
    return renderStudy(
      { ...view, study: this.active, fits: this.fits(), seed: this.host.seed(), tested, testing: this.testing },
      {
        apply: (study) => this.apply(study),
        failed: (text, cause) => this.host.race.fail(text, cause),
        testBest: () => void this.testBest(),
      },
    );
  }

  /** The racers card: the editor, or a study's racers as the study until unfolded. */
  renderRacers(view: Pick<RacersCardView, 'problems' | 'locked' | 'iterations'>): TemplateResult {
    const drafts = this.host.drafts();
    return renderRacersCard(
      { ...view, drafts, study: this.active, seed: this.host.seed(), unfolded: this.unfolded, sizes: this.host.sizes() },
      { change: (next) => this.host.setDrafts(next), unfold: (open) => this.unfold(open) },
    );
  }
}
