/**
 * The 3D view beside the contour view in <trajectory-race> (its "3D view" toggle): a
 * <surface-view> of the function in the current view box, with every racing path in its
 * registry colour and marker, revealed to the same step as the contour plots.
 */
import { css, html, type TemplateResult } from 'lit';
import { checkStyles } from '../shared-styles';
import { optimizerSpec } from '../../optim/registry';
import type { Function2D } from '../../race2d/functions';
import { shownRacers } from './extra-racers';
import type { RacePlotsHost } from './race-plots';
import type { SurfacePath } from './surface-view/surface-scene';
import { lazyElement, lazyElementStyles, LazyModule } from '../lazy-element';

/** <surface-view> and its renderers: a chunk of their own, loaded when the 3D view is first shown. */
const kSurfaceView = new LazyModule('the 3D view', ['surface-view'], () => import('./surface-view/surface-view'));

/** The paths of the last results and racers: the same array while neither changed, so <surface-view> lifts them once. */
let cached: { results: unknown; racers: unknown; paths: SurfacePath[] } | null = null;

function surfacePaths(host: RacePlotsHost): SurfacePath[] {
  const results = host.results();
  const racers = host.racers();
  if (cached?.results === results && cached.racers === racers) return cached.paths;
  const paths = shownRacers(racers).flatMap((setting) => {
    const result = setting.included ? host.result(setting.optimizer) : undefined;
    if (!result) return [];
    const { color, marker } = optimizerSpec(setting.optimizer);
    return [{ id: setting.optimizer, color, marker, path: result.path }];
  });
  cached = { results, racers, paths };
  return paths;
}

export function renderSurfacePanel(host: RacePlotsHost, fn: Function2D): TemplateResult {
  return html`
    <section class="surface-panel" aria-label="3D view">
      ${lazyElement(kSurfaceView, () => html`<surface-view .fn=${fn} .paths=${surfacePaths(host)} .step=${host.revealed()}></surface-view>`)}
    </section>`;
}

/** Overlay view: the 3D view in a column beside the plot and legend; grid view: above the panels, centred. */
export const surfacePanelStyles = css`
  ${checkStyles}
  ${lazyElementStyles}
  .views.with-surface {
    display: grid;
    gap: var(--or-space-6);
    align-items: start;
  }
  .views.with-surface.overlay-view {
    grid-template-columns: minmax(0, 3fr) minmax(280px, 2fr);
  }
  .views.with-surface.grid-view .surface-panel {
    order: -1;
    width: min(100%, 640px);
    justify-self: center;
  }
  .surface-panel {
    padding: var(--or-space-5);
    background: var(--or-surface);
    border: 1px solid var(--or-border);
    border-radius: var(--or-radius);
  }
  @container (max-width: 980px) {
    .views.with-surface.overlay-view {
      grid-template-columns: minmax(0, 1fr);
    }
  }
`;
