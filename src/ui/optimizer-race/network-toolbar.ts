/**
 * The toolbar's second row: the race's network and training-set settings (hidden layers, training
 * images, epochs, validation share, training accuracy), and their messages (shown with the toolbar's). Text fields, so a value
 * is kept as typed (and as a link gave it) until it is fixed.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { kHiddenForms } from '../../race/network-settings';
import { kNetworkFields, type NetworkDraft, type NetworkField } from './network-draft';

export interface NetworkSettingsView {
  draft: NetworkDraft;
  /** The iterations the epochs give, or null. */
  epochIterations: number | null;
  /** The training set's size, undefined while it loads. */
  trainCount: number | undefined;
  problems: Partial<Record<NetworkField, string>>;
  locked: boolean;
}

const kLabels: Record<NetworkField, string> = { hidden: 'Hidden layers', trainLimit: 'Training images', epochs: 'Epochs', validation: 'Validation' };

function placeholder(view: NetworkSettingsView, name: NetworkField): string {
  if (name === 'trainLimit') return view.trainCount === undefined ? 'all' : `all ${view.trainCount}`;
  return name === 'epochs' ? 'off' : name === 'validation' ? 'none' : '';
}

/** What the field does, for assistive tech and as its hover text. */
function hint(view: NetworkSettingsView, name: NetworkField): string {
  if (name === 'hidden') return `The hidden layer sizes: ${kHiddenForms}; the network is 784, these, 10.`;
  if (name === 'trainLimit') return 'Train on the first N training images only (empty: all of them).';
  if (name === 'validation')
    return 'The share of the training images held out (shuffled by the seed) and measured instead of the test set, e.g. 0.2 (empty or 0: none).';
  const { epochIterations } = view;
  return `Passes over the training images; accuracy is measured once per epoch (empty: the race runs its iterations)${epochIterations === null ? '' : `: ${epochIterations} iterations`}.`;
}

function renderField(view: NetworkSettingsView, change: (change: Partial<NetworkDraft>) => void, name: NetworkField): TemplateResult {
  const problem = view.problems[name];
  const describedBy = [`${name}-hint`, ...(problem ? [`${name}-error`] : [])].join(' ');
  return html`
    <label class="field ${name === 'hidden' ? 'hidden-sizes' : 'narrow'}" title=${hint(view, name)}>
      <span>${kLabels[name]}</span>
      <input type="text" data-setting=${name} .value=${view.draft[name]} placeholder=${placeholder(view, name)}
        inputmode=${name === 'hidden' ? nothing : name === 'validation' ? 'decimal' : 'numeric'} spellcheck="false" autocomplete="off"
        aria-invalid=${problem ? 'true' : 'false'} aria-describedby=${describedBy} ?disabled=${view.locked}
        @input=${(e: Event) => change({ [name]: (e.target as HTMLInputElement).value })}>
      <span class="visually-hidden" id="${name}-hint">${hint(view, name)}</span>
    </label>`;
}

/** The fields' messages, shown with the toolbar's others. */
export function renderNetworkProblems(view: Pick<NetworkSettingsView, 'problems'>): TemplateResult[] {
  return kNetworkFields.flatMap((name) => {
    const problem = view.problems[name];
    return problem ? [html`<p class="error" id="${name}-error">${problem}</p>`] : [];
  });
}

export function renderNetworkSettings(view: NetworkSettingsView, change: (change: Partial<NetworkDraft>) => void): TemplateResult {
  return html`
    <div class="settings network-settings">
      ${kNetworkFields.map((name) => renderField(view, change, name))}
      <label class="field check" title="Measure accuracy on the training images too at each evaluation (dashed in the accuracy chart)">
        <input type="checkbox" data-setting="trainAccuracy" .checked=${view.draft.trainAccuracy} ?disabled=${view.locked}
          @change=${(e: Event) => change({ trainAccuracy: (e.target as HTMLInputElement).checked })}>
        <span>Training accuracy</span>
      </label>
    </div>`;
}
