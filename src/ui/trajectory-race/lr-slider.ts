/**
 * A log-scale learning-rate slider for one racer, beside its typed lr: the range input holds
 * log10(lr) from 1e-4 to 10 in steps of 1/100 decade, so arrow keys move lr by ~2.3 % and Page
 * Up/Down by a larger jump. Each input sets the racer's lr text; the element reruns the race within
 * an animation frame (TrajectoryRaceController.scheduleFrame).
 */
import { html, type TemplateResult } from 'lit';
import { shortNumber } from '../../util/short-number';

export const kLogLrRange = { min: -4, max: 1, step: 0.01 } as const;

/** The slider's position for the typed lr, clamped; null when the text is not a positive number. */
export function sliderPosition(text: string | undefined): number | null {
  const lr = Number(text);
  if (!(lr > 0) || !Number.isFinite(lr)) return null;
  return Math.min(kLogLrRange.max, Math.max(kLogLrRange.min, Math.log10(lr)));
}

/** lr from a slider position, with 3 significant digits so the typed field stays readable. */
export function lrAt(position: number): string {
  return shortNumber(10 ** position, 3);
}

export function renderLrSlider(label: string, text: string | undefined, set: (lr: string) => void): TemplateResult {
  const position = sliderPosition(text);
  return html`
    <label class="lr-slider" title="learning rate, log scale">
      <span aria-hidden="true">log lr</span>
      <input type="range" aria-label="${label} learning rate, log scale" min=${kLogLrRange.min} max=${kLogLrRange.max} step=${kLogLrRange.step}
        .value=${String(position ?? kLogLrRange.min)} aria-valuetext="lr = ${text ?? ''}"
        @input=${(e: Event) => set(lrAt(Number((e.target as HTMLInputElement).value)))}>
    </label>`;
}
