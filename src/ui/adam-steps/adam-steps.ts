/** Registers <adam-steps>. Import this file to use the element. */
import { AdamSteps } from './adam-steps.component';

export { AdamSteps };
export type { AdamStepRow } from './adam-steps.component';
export type { StepsComputedDetail, StepsComputedEvent } from './adam-steps.events';
export type { AdamStepsConfig, AdamStepValues, Vec2 } from '../../race2d/adam-steps';

if (!customElements.get('adam-steps')) customElements.define('adam-steps', AdamSteps);

declare global {
  interface HTMLElementTagNameMap {
    'adam-steps': AdamSteps;
  }
}
