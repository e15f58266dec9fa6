/**
 * A racer card's network row (chapter 6): batch norm on or off, the dropout ratio and the L2 λ, as
 * typed (the racer-spec module's RacerText strings), and their messages.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { parseSwitch, type RacerProblems } from '../../optim/racer-spec';
import type { RacerDraft } from './racers';

/** The card's hooks: its racer's label, ids and update. */
export interface NetworkRowContext {
  label: string;
  id(what: string): string;
  update(change: Partial<RacerDraft>): void;
}

const kOptions = [
  { key: 'dropout', label: 'dropout', words: 'dropout ratio', title: 'Dropout ratio after each hidden activation, in [0, 1) (0: none)', max: '0.99' },
  {
    key: 'l2',
    label: 'L2 λ',
    words: 'L2 weight decay λ',
    title: "The book's weight decay: ½λ‖W‖² in the loss, λW in the weights' gradients (0: none)",
    max: undefined,
  },
] as const;

export function renderNetworkRow(ctx: NetworkRowContext, d: RacerDraft, problems: RacerProblems | undefined): TemplateResult {
  const described = (key: 'bn' | 'dropout' | 'l2') => (problems?.[key] ? ctx.id(key) : nothing);
  return html`
    <div class="racer-fields network" role="group" aria-label="${ctx.label} network">
      <label class="mini bn" title="Batch normalization after each hidden affine layer (γ, β trained by this racer's optimizer)">
        <span>BN</span>
        <input type="checkbox" data-field="bn" .checked=${parseSwitch(d.bn ?? '') === true}
          aria-label="${ctx.label} batch normalization" aria-invalid=${problems?.bn ? 'true' : 'false'} aria-describedby=${described('bn')}
          @change=${(e: Event) => ctx.update({ bn: (e.target as HTMLInputElement).checked ? 'on' : '' })}>
      </label>
      ${kOptions.map(
        (o) => html`
        <label class="mini" title=${o.title}>
          <span>${o.label}</span>
          <input type="number" step="any" min="0" max=${o.max ?? nothing} data-field=${o.key} .value=${d[o.key] ?? ''} placeholder="0"
            aria-label="${ctx.label} ${o.words}" aria-invalid=${problems?.[o.key] ? 'true' : 'false'} aria-describedby=${described(o.key)}
            @input=${(e: Event) => {
              // Number inputs report '' while a value is half-typed ("1e", "-"): keep the text until it parses.
              const input = e.target as HTMLInputElement;
              if (!input.validity.badInput) ctx.update({ [o.key]: input.value });
            }}>
        </label>`,
      )}
    </div>`;
}

/** The row's messages, below the card's other messages. */
export function renderNetworkProblems(ctx: NetworkRowContext, problems: RacerProblems | undefined): TemplateResult[] {
  return (['bn', 'dropout', 'l2'] as const).flatMap((key) => {
    const problem = problems?.[key];
    return problem ? [html`<p class="error" id=${ctx.id(key)} role="alert">${problem}</p>`] : [];
  });
}
