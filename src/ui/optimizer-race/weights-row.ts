/**
 * `<race-weights-row>`: `<optimizer-race>`'s weights row (./weights-controller.ts), a chunk of its
 * own loaded when the results are first shown: a button per racer (its `.safetensors`), one for all
 * (a zip), Checkpoint, and Resume a checkpoint. Rendered into the light DOM, so the element's own
 * styles (the export buttons') apply and its queries find the buttons.
 */
import { html, LitElement, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import type { RaceEngine, RaceStatus } from '../../race/engine';
import { download } from './export';
import type { WeightsController } from './weights-controller';

const blob = (bytes: Uint8Array, type: string): Blob => new Blob([bytes as Uint8Array<ArrayBuffer>], { type });

export class RaceWeightsRow extends LitElement {
  @property({ attribute: false }) controller?: WeightsController;
  @property({ attribute: false }) engine: RaceEngine | null = null;
  /** The engine's status and whether a save or load is under way: set by the host on every render. */
  @property({ attribute: false }) status?: RaceStatus;
  @property({ type: Boolean }) busy = false;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  protected override render(): TemplateResult {
    const { controller: c, engine } = this;
    const disabled = !(this.status === 'paused' || this.status === 'finished') || this.busy;
    const save = (racer?: number) =>
      c?.act('save the weights', async (a) => {
        const { name, bytes } = await a.weightsFile(c.source, racer);
        download(blob(bytes, racer === undefined ? 'application/zip' : 'application/octet-stream'), name);
      });
    const checkpoint = () =>
      c?.act('checkpoint the race', async (a) => download(blob(await a.checkpoint(c.source), 'application/octet-stream'), a.kCheckpointFileName));
    const picked = (input: HTMLInputElement) => {
      const file = input.files?.[0];
      input.value = '';
      if (file) void c?.act('resume the race', (a) => a.loadCheckpointFile(c.source, file));
    };
    return html`
      <div class="export weights" part="export" role="group" aria-labelledby="weights-label">
        <span class="export-label" id="weights-label" title="PyTorch nn.Sequential names, float32; pause or finish the race first">Weights (.safetensors)</span>
        ${(engine?.racers ?? []).map((r, k) => html`<button type="button" data-weights=${k} ?disabled=${disabled} @click=${() => void save(k)}>${r.name}</button>`)}
        ${engine ? html`<button type="button" data-weights="all" ?disabled=${disabled} @click=${() => void save()}>All racers (zip)</button>` : ''}
        <button type="button" data-checkpoint="save" ?disabled=${disabled} @click=${() => void checkpoint()}>Checkpoint</button>
        <label class="button">Resume a checkpoint…
          <input class="visually-hidden" type="file" data-checkpoint="load" accept=".safetensors,application/octet-stream"
            ?disabled=${this.status === 'running' || this.busy} aria-label="Resume a checkpoint (.safetensors)"
            @change=${(e: Event) => picked(e.target as HTMLInputElement)} /></label>
      </div>`;
  }
}

if (!customElements.get('race-weights-row')) customElements.define('race-weights-row', RaceWeightsRow);

declare global {
  interface HTMLElementTagNameMap {
    'race-weights-row': RaceWeightsRow;
  }
}
