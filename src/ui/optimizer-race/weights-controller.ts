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
import type { RaceEngine } from '../../race/engine';
import { errorMessage } from '../../util/error-message';
import { download } from './export';

/** The zip of every racer's file. */
export const kAllWeightsFileName = 'optimizer-race-weights.zip';

export interface WeightsHost {
  /** The current race's engine, or null before one starts. */
  engine(): RaceEngine | null;
  dataset(): MnistDataset | null;
  /** Shows a failure in the element (the race controller's error line). */
  fail(text: string, cause: unknown): void;
}

export class WeightsController implements ReactiveController {
  /** A save under way (its buttons wait). */
  private saving = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly source: WeightsHost,
  ) {
    host.addController(this);
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

  /** Downloads what save(racer) returns, under the racer's file name or the zip's. */
  private async download(racer?: number): Promise<void> {
    this.saving = true;
    this.host.requestUpdate();
    try {
      const { name, bytes } = await this.files(racer);
      download(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: racer === undefined ? 'application/zip' : 'application/octet-stream' }), name);
    } catch (error) {
      this.source.fail(`Could not save the weights: ${errorMessage(error)}`, error);
    } finally {
      this.saving = false;
      this.host.requestUpdate();
    }
  }

  /** The weights row: one button per racer and one for all (a zip). */
  render(): TemplateResult | typeof nothing {
    const engine = this.source.engine();
    if (!engine) return nothing;
    const disabled = !this.ready || this.saving;
    return html`
      <div class="export weights" part="export" role="group" aria-labelledby="weights-label">
        <span class="export-label" id="weights-label" title="PyTorch nn.Sequential names, float32; pause or finish the race first">Weights (.safetensors)</span>
        ${engine.racers.map(
          (r, k) => html`<button type="button" data-weights=${k} ?disabled=${disabled} @click=${() => void this.download(k)}>${r.name}</button>`,
        )}
        <button type="button" data-weights="all" ?disabled=${disabled} @click=${() => void this.download()}>All racers (zip)</button>
      </div>`;
  }
}
