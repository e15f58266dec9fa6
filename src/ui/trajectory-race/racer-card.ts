/** The parts of one racer's card (a grid panel or an overlay legend entry): its toggle, status line and inputs. */
import { html, nothing, type TemplateResult } from 'lit';
import { optimizerSpec, type OptimizerId } from '../../optim/registry';
import type { Function2D } from '../../race2d/functions';
import type { TrajectoryResult } from '../../race2d/trajectory';
import { renderLrSlider } from './lr-slider';
import { pathStatus } from './path-geometry';
import type { RacerSetting } from './racer-settings';
import { stateAt, statePanel, type StateSnapshot } from './state-drawing';
import type { RaceCheck } from './validation';
import { shortNumber } from '../../util/short-number';

const formatValue = (v: number): string => (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5) ? v.toExponential(2) : shortNumber(v, 3));

/** What a card reads from and writes to the element. */
export interface RacerCardHost {
  result(optimizer: OptimizerId): TrajectoryResult | undefined;
  running(): boolean;
  /** The step shown, null: the whole path. */
  revealed(): number | null;
  check(): RaceCheck;
  updateRacer(optimizer: OptimizerId, change: Partial<RacerSetting>): void;
  /** A dragged lr slider: rerun within a frame. */
  slide(setting: RacerSetting, lr: string): void;
}

/** The optimizer state at the step shown, in the step-by-step mode (null otherwise). */
export function snapshotOf(host: RacerCardHost, setting: RacerSetting): StateSnapshot | null {
  const result = setting.included ? host.result(setting.optimizer) : undefined;
  const revealed = host.revealed();
  return result && revealed !== null ? stateAt(result, revealed) : null;
}

/** Number inputs report '' while a value is half-typed ("1e", "-"); keep the state until it parses. */
export function numberInput(e: Event, set: (value: string) => void): void {
  const input = e.target as HTMLInputElement;
  if (input.validity.badInput) return;
  set(input.value);
}

export function renderIncludeToggle(host: RacerCardHost, setting: RacerSetting, key: unknown, keyWidth = 12): TemplateResult {
  const spec = optimizerSpec(setting.optimizer);
  return html`
    <label class="racer-name">
      <input type="checkbox" .checked=${setting.included} aria-label="Include ${spec.label}"
        @change=${(e: Event) => host.updateRacer(setting.optimizer, { included: (e.target as HTMLInputElement).checked })}>
      <svg class="key" viewBox="0 0 ${keyWidth} 12" width=${keyWidth} height="12" aria-hidden="true">${key}</svg>
      <span>${spec.label}</span>
    </label>`;
}

export function renderStatus(host: RacerCardHost, fn: Function2D, setting: RacerSetting): TemplateResult {
  const result = host.result(setting.optimizer);
  if (!setting.included) return html`<span class="status muted">not racing</span>`;
  if (!result) return html`<span class="status muted">${host.running() ? 'racing…' : ''}</span>`;
  const status = pathStatus(result, fn.view);
  const shown = Math.min(host.revealed() ?? Infinity, result.path.length - 1);
  if (status.divergedAt !== null && shown >= status.divergedAt) {
    const why = status.leftPlot ? 'left the plot and did not come back' : 'its numbers overflowed (NaN or beyond 1e6)';
    const text = status.leftPlot && status.divergedAt === 0 ? 'starts outside the plot' : `diverged at step ${status.divergedAt}`;
    return html`<span class="status diverged" title="${text}: ${why}">${text}</span>`;
  }
  const [x, y] = result.path[shown];
  return html`<span class="status" title="f at step ${shown}, at (${formatValue(x)}, ${formatValue(y)})">f = ${formatValue(fn.f(x, y))}</span>`;
}

export function renderHyperparameters(host: RacerCardHost, setting: RacerSetting): TemplateResult {
  const spec = optimizerSpec(setting.optimizer);
  const errors = host.check().racers.get(setting.optimizer)?.errors ?? {};
  // One grid row of the panel: the inputs, then (in step mode) the state's numbers.
  return html`
    <div class="racer-controls">
    <div class="hypers">
      ${spec.hyperparameters.map((h) => {
        const error = errors[h.key];
        const id = `${setting.optimizer}-${h.key}-error`;
        return html`
          <label class="hyper" title=${h.label}>
            <span>${h.symbol ?? h.key}</span>
            <input type="number" step="any" min=${h.min} max=${Number.isFinite(h.max) ? h.max : nothing}
              data-key=${h.key} .value=${setting.values[h.key] ?? ''} aria-label="${spec.label} ${h.label}"
              aria-invalid=${error ? 'true' : 'false'} aria-describedby=${error ? id : nothing}
              @input=${(e: Event) => numberInput(e, (v) => host.updateRacer(setting.optimizer, { values: { ...setting.values, [h.key]: v } }))}>
          </label>
          ${h.key === 'lr' ? renderLrSlider(spec.label, setting.values.lr, (lr) => host.slide(setting, lr)) : nothing}
          ${error ? html`<p class="error" id=${id}>${error}</p>` : nothing}`;
      })}
    </div>
    ${statePanel(spec.label, snapshotOf(host, setting))}
    </div>`;
}
