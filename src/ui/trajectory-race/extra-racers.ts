/**
 * The registered optimizers beyond the seed's six (AdamW, Lion, ...): off by default, so the seed's
 * figure stays the seed's; ticking one adds its panel (grid) or its path and legend entry (overlay).
 */
import { html, nothing, svg, type TemplateResult } from 'lit';
import { optimizerSpec } from '../../optim/registry';
import { cssomStyle } from '../cssom-style';
import { markerPath } from '../markers';
import { isSeedRacer, type RacerSetting } from './racer-settings';

/** The racers to draw: the seed's six always, the others once included. */
export const shownRacers = (racers: readonly RacerSetting[]): RacerSetting[] => racers.filter((r) => r.included || isSeedRacer(r.optimizer));

export function renderExtraRacers(
  racers: readonly RacerSetting[],
  include: (setting: RacerSetting, included: boolean) => void,
): TemplateResult | typeof nothing {
  const extras = racers.filter((r) => !isSeedRacer(r.optimizer));
  if (extras.length === 0) return nothing;
  return html`
    <fieldset class="extras" part="extras">
      <legend>More optimizers</legend>
      ${extras.map((setting) => {
        const { label, color, marker } = optimizerSpec(setting.optimizer);
        return html`
          <label class="extra" data-extra=${setting.optimizer} ${cssomStyle({ '--trace': color })}>
            <input type="checkbox" .checked=${setting.included} aria-label="Include ${label}"
              @change=${(e: Event) => include(setting, (e.target as HTMLInputElement).checked)}>
            <svg class="key" viewBox="0 0 12 12" width="12" height="12" aria-hidden="true">${svg`<path class=${marker} d=${markerPath(marker, 6, 6, 3.4)}></path>`}</svg>
            <span>${label}</span>
          </label>`;
      })}
    </fieldset>`;
}
