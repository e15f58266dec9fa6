/**
 * A racer card's "Load weights…" (issue 22, weights in): a `.safetensors` file read into the racer,
 * which then starts from it instead of its init (the racer's `initWeights`, a blob: URL of the file's
 * bytes, the same path as the `racers` attribute's `"init": {"weights": URL}`). The file is checked
 * when chosen (src/race/start-weights.ts' checkWeightsFile, loaded then): a rejected one leaves the
 * racer's init as it was and its reason shows on the card.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { parseNumber, parseSwitch } from '../../optim/racer-spec';
import { chunkFailureText, loadChunk } from '../../util/load-chunk';
import type { RacerDraft } from './racers';

export interface WeightsFieldContext {
  label: string;
  id(what: string): string;
  /** The race's layer sizes, when the settings are valid (the shapes are then checked at once). */
  sizes: readonly number[] | undefined;
  /** The last rejected file's message for this racer, if any. */
  error: string | undefined;
  update(change: Partial<RacerDraft>): void;
  setError(error: string | undefined): void;
}

/** The racer's new `initWeights` for `file`, or a thrown line saying why the file is refused. */
export async function readWeightsChoice(file: File, d: RacerDraft, sizes: readonly number[] | undefined): Promise<string> {
  const { checkWeightsFile, checkWeightsSize } = await loadChunk('the weights reader', () => import('../../race/start-weights'));
  checkWeightsSize(file.size, file.name);
  const bytes = new Uint8Array(await file.arrayBuffer());
  const dropout = parseNumber(d.dropout ?? '');
  checkWeightsFile(bytes, file.name, sizes, { bn: parseSwitch(d.bn ?? '') === true, dropout: Number.isFinite(dropout) ? Math.max(dropout, 0) : 0 });
  return URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/octet-stream' }));
}

async function choose(ctx: WeightsFieldContext, d: RacerDraft, input: HTMLInputElement): Promise<void> {
  const file = input.files?.[0];
  input.value = '';
  if (!file) return;
  try {
    const url = await readWeightsChoice(file, d, ctx.sizes);
    if (d.initWeights?.startsWith('blob:')) URL.revokeObjectURL(d.initWeights);
    ctx.setError(undefined);
    ctx.update({ initWeights: url, initWeightsName: file.name });
  } catch (error) {
    ctx.setError(chunkFailureText('Could not load weights', error));
  }
}

export function renderWeightsField(ctx: WeightsFieldContext, d: RacerDraft): TemplateResult {
  const from = d.initWeights === undefined ? null : (d.initWeightsName ?? d.initWeights);
  return html`
    <div class="racer-fields weights" role="group" aria-label="${ctx.label} start weights">
      <label class="button">Load weights…
        <input class="visually-hidden" type="file" accept=".safetensors,application/octet-stream" data-field="weights-file" aria-label="${ctx.label}: load weights (.safetensors)"
          aria-invalid=${ctx.error ? 'true' : 'false'} aria-describedby=${ctx.error ? ctx.id('weights') : nothing}
          @change=${(e: Event) => void choose(ctx, d, e.target as HTMLInputElement)}>
      </label>
      ${
        from === null
          ? nothing
          : html`<span class="hint" data-field="weights-from">starts from ${from}</span>
            <button type="button" class="link" data-action="clear-weights" aria-label="${ctx.label}: start from its init again"
              @click=${() => {
                if (d.initWeights?.startsWith('blob:')) URL.revokeObjectURL(d.initWeights);
                ctx.update({ initWeights: undefined, initWeightsName: undefined });
              }}>Use init</button>`
      }
    </div>
    ${ctx.error ? html`<p class="error" id=${ctx.id('weights')} role="alert">${ctx.error}</p>` : nothing}`;
}
