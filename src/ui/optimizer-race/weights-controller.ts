/**
 * `<optimizer-race>`'s trained weights out (issue 22): a racer's `.safetensors` (src/race/weights.ts,
 * read from whichever engine runs the race), or every racer's at once as one zip of those same
 * files, one per racer (fflate, loaded on the first zip): a zip because each file inside is what
 * PyTorch's `load_file` reads as it is, where one file of all racers would need its names split
 * (that one file is the checkpoint's job). Buttons under the leaderboard, enabled once the race is
 * paused or finished; a failed save shows its message and leaves the race as it was. The writer
 * (src/race/weights.ts with the safetensors encoder) loads on the first save, like fflate.
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { describeDataset, type MnistDataset } from '../../data/dataset';
import { resolveRace, type RaceConfig } from '../../race/config';
import type { RaceEngine } from '../../race/engine';
import { kSafetensorsMaxBytes } from '../../data/safetensors';
import { errorMessage } from '../../util/error-message';
import { download } from './export';
import type { RaceController } from './race-controller';

/** The zip of every racer's file. */
export const kAllWeightsFileName = 'optimizer-race-weights.zip';
/** A downloaded checkpoint. */
export const kCheckpointFileName = 'optimizer-race-checkpoint.safetensors';

export class WeightsController implements ReactiveController {
  /** A save under way (its buttons wait). */
  private saving = false;

  private readonly source: {
    engine(): RaceEngine | null;
    dataset(): MnistDataset | null;
    /** Shows a failure in the element (the race controller's error line). */
    fail(text: string, cause: unknown): void;
    /** The race Start would run now (settings, racers, data), or null while one is missing or invalid. */
    plan(): Promise<{ config: RaceConfig; dataset: MnistDataset } | null>;
    /** A new engine for that race, not started (the previous one dropped). */
    prepare(): Promise<RaceEngine | null>;
  };

  constructor(
    private readonly host: ReactiveControllerHost,
    race: RaceController,
    data: { readonly dataset: MnistDataset | null },
    plan: () => Promise<{ config: RaceConfig; dataset: MnistDataset } | null>,
  ) {
    host.addController(this);
    this.source = {
      engine: () => race.engine,
      dataset: () => data.dataset,
      fail: (text, cause) => race.fail(text, cause),
      plan,
      prepare: () => race.prepare(),
    };
  }

  hostConnected(): void {}

  /** Whether the race's weights can be read now: a race paused or finished. */
  get ready(): boolean {
    const status = this.source.engine()?.status;
    return status === 'paused' || status === 'finished';
  }

  /** Racer `racer`'s file, or (none given) the zip of every racer's; rejects with one line when there is no race, it runs, or the index is wrong. */
  async save(racer?: number): Promise<Uint8Array> {
    return (await this.files(racer)).bytes;
  }

  /** What save(racer) returns, with its file name. */
  private async files(racer?: number): Promise<{ name: string; bytes: Uint8Array }> {
    const engine = this.source.engine();
    if (!engine) throw new Error('no race yet: start one, then pause it or let it finish to save its weights');
    const dataset = this.source.dataset();
    const { raceWeightsFiles } = await import('../../race/weights');
    const files = await raceWeightsFiles(engine, racer, dataset ? { data: describeDataset(dataset) } : {});
    if (racer !== undefined) return files[0];
    const { zipSync } = await import('fflate');
    // Stored, not deflated: float32 weights barely compress, and the files come out as fast as they are read.
    return { name: kAllWeightsFileName, bytes: zipSync(Object.fromEntries(files.map((f) => [f.name, f.bytes])), { level: 0 }) };
  }

  /** The whole race now (paused or finished): every racer's weights, optimizer state and history, the iteration (src/race/checkpoint.ts). */
  async checkpoint(): Promise<Uint8Array> {
    const engine = this.source.engine();
    if (!engine) throw new Error('no race yet: start one, then pause it or let it finish to checkpoint it');
    const dataset = this.source.dataset();
    const { raceCheckpoint } = await import('../../race/checkpoint');
    return raceCheckpoint(engine, dataset ? describeDataset(dataset) : '');
  }

  /**
   * Continues a checkpointed race: its settings and racers must be the element's (the race Start
   * would run, on the same data). Everything is checked before the current race is dropped, so a
   * rejected file changes nothing; then a new race stands paused at the checkpoint's iteration.
   */
  async loadCheckpoint(bytes: Uint8Array, name = 'the checkpoint'): Promise<void> {
    if (this.source.engine()?.status === 'running') throw new Error('the race is running: pause it before loading a checkpoint');
    const { checkpointSnapshot, decodeCheckpoint } = await import('../../race/checkpoint');
    const { info, tensors } = decodeCheckpoint(bytes, name);
    const plan = await this.source.plan();
    if (!plan) throw new Error(`${name}: the element's settings are not ready (data loading, or an input invalid)`);
    const race = resolveRace(plan.config, plan.dataset.trainCount);
    if (JSON.stringify(info.config) !== JSON.stringify(race.config)) {
      throw new Error(`${name}: the checkpoint is of another race; set the element's iterations, batch, seed, network and racers to its own first`);
    }
    const data = describeDataset(plan.dataset);
    if (info.data !== '' && info.data !== data) throw new Error(`${name}: the race trained on ${info.data}, the element has ${data}`);
    const snapshot = checkpointSnapshot(race, info, tensors, name);
    const engine = await this.source.prepare();
    if (!engine) throw new Error(`${name}: the race could not be set up`);
    await engine.resumeFrom({ snapshot, iteration: info.iteration, history: info.history });
  }

  private async act(what: string, action: () => Promise<void>): Promise<void> {
    this.saving = true;
    this.host.requestUpdate();
    try {
      await action();
    } catch (error) {
      this.source.fail(`Could not ${what}: ${errorMessage(error)}`, error);
    } finally {
      this.saving = false;
      this.host.requestUpdate();
    }
  }

  /** Downloads what save(racer) returns, under the racer's file name or the zip's. */
  private download(racer?: number): Promise<void> {
    return this.act('save the weights', async () => {
      const { name, bytes } = await this.files(racer);
      download(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: racer === undefined ? 'application/zip' : 'application/octet-stream' }), name);
    });
  }

  private downloadCheckpoint(): Promise<void> {
    return this.act('checkpoint the race', async () => {
      const bytes = await this.checkpoint();
      download(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }), kCheckpointFileName);
    });
  }

  private picked(input: HTMLInputElement): void {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    void this.act('resume the race', async () => {
      // Refused before it is read: the format's own limit, so a huge file never fills the page's memory.
      if (file.size > kSafetensorsMaxBytes) throw new Error(`${file.name}: the file is ${file.size} bytes, over the limit of ${kSafetensorsMaxBytes} bytes`);
      await this.loadCheckpoint(new Uint8Array(await file.arrayBuffer()), file.name);
    });
  }

  /** The weights row: one button per racer and one for all (a zip), the race's checkpoint, and a checkpoint to resume. */
  render(): TemplateResult {
    const engine = this.source.engine();
    const disabled = !this.ready || this.saving;
    const running = engine?.status === 'running' || this.saving;
    return html`
      <div class="export weights" part="export" role="group" aria-labelledby="weights-label">
        <span class="export-label" id="weights-label" title="PyTorch nn.Sequential names, float32; pause or finish the race first">Weights (.safetensors)</span>
        ${(engine?.racers ?? []).map(
          (r, k) => html`<button type="button" data-weights=${k} ?disabled=${disabled} @click=${() => void this.download(k)}>${r.name}</button>`,
        )}
        ${engine ? html`<button type="button" data-weights="all" ?disabled=${disabled} @click=${() => void this.download()}>All racers (zip)</button>` : nothing}
        <button type="button" data-checkpoint="save" ?disabled=${disabled} @click=${() => void this.downloadCheckpoint()}>Checkpoint</button>
        <label class="button">Resume a checkpoint…
          <input class="visually-hidden" type="file" data-checkpoint="load" accept=".safetensors,application/octet-stream" ?disabled=${running}
            aria-label="Resume a checkpoint (.safetensors)" @change=${(e: Event) => this.picked(e.target as HTMLInputElement)} /></label>
      </div>`;
  }
}
