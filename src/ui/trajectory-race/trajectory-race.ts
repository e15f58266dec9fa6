/** Registers <trajectory-race>. Import this module (not the .component) to use the tag. */
import { TrajectoryRace } from './trajectory-race.component';

export { TrajectoryRace } from './trajectory-race.component';
export type { RaceView } from './trajectory-race.component';
export type { RaceFinishedDetail, RaceFinishedEvent } from './events';

if (!customElements.get('trajectory-race')) customElements.define('trajectory-race', TrajectoryRace);

declare global {
  interface HTMLElementTagNameMap {
    'trajectory-race': TrajectoryRace;
  }
}
