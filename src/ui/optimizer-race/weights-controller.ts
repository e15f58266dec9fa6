/**
 * `<optimizer-race>`'s weights row (issue 22): a button per racer (its `.safetensors`), one for every
 * racer at once (a zip of those same files, one per racer: each file inside is what PyTorch's
 * `load_file` reads as it is, where one file of all racers would need its names split, and that one
 * file is the checkpoint's job), Checkpoint, and Resume a checkpoint. Enabled once the race is
 * paused or finished; a failed save or load shows its message and leaves the race as it was. The
 * row (./weights-row.ts) loads when first shown, what its buttons do (./weights-actions.ts, with the
 * safetensors reader and writer and fflate) on the first click.
 */
import { html, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { MnistDataset } from '../../data/dataset';
import type { RaceConfig } from '../../race/config';
import { chunkFailureText, loadChunk } from '../../util/load-chunk';
import type { RaceController } from './race-controller';
import { lazyElement, LazyModule } from '../lazy-element';
import type { WeightsSource } from './weights-actions';

const actions = () => loadChunk('the weights code', () => import('./weights-actions'));
const kWeightsRow = new LazyModule('the weights row', ['race-weights-row'], () => import('./weights-row'));

export class WeightsController implements ReactiveController {
  /** A save or load under way (the buttons wait). */
  private busy = false;
  readonly source: WeightsSource;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly race: RaceController,
    data: { readonly dataset: MnistDataset | null },
    plan: () => Promise<{ config: RaceConfig; dataset: MnistDataset } | null>,
  ) {
    host.addController(this);
    this.source = { engine: () => race.engine, dataset: () => data.dataset, plan, prepare: () => race.prepare() };
  }

  hostConnected(): void {}

  /** Racer `racer`'s file, or (none given) the zip of every racer's; rejects with one line when there is no race, it runs, or the index is wrong. */
  async save(racer?: number): Promise<Uint8Array> {
    return (await (await actions()).weightsFile(this.source, racer)).bytes;
  }

  /** The whole race now (paused or finished): every racer's weights, optimizer state and history, the iteration (src/race/checkpoint.ts). */
  async checkpoint(): Promise<Uint8Array> {
    return (await actions()).checkpoint(this.source);
  }

  /** Continues a checkpoint of the element's race (./weights-actions.ts' loadCheckpoint). */
  async loadCheckpoint(bytes: Uint8Array): Promise<void> {
    return (await actions()).loadCheckpoint(this.source, bytes);
  }

  /** Runs one of the row's actions with the module loaded; a failure is shown in the element and changes nothing. */
  async act(what: string, action: (a: Awaited<ReturnType<typeof actions>>) => Promise<void>): Promise<void> {
    this.busy = true;
    this.host.requestUpdate();
    try {
      await action(await actions());
    } catch (error) {
      this.race.fail(chunkFailureText(`Could not ${what}`, error), error);
    } finally {
      this.busy = false;
      this.host.requestUpdate();
    }
  }

  /** The weights row (./weights-row.ts, loaded when first shown). */
  render(): TemplateResult {
    const engine = this.race.engine;
    return html`${lazyElement(
      kWeightsRow,
      () => html`<race-weights-row .controller=${this} .engine=${engine} .status=${engine?.status} ?busy=${this.busy}></race-weights-row>`,
    )}`;
  }
}
