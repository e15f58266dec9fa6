/** Registers <optimizer-race>. Import this module (not the .component) to use the tag. */
import { OptimizerRace } from './optimizer-race.component';

export { OptimizerRace, kCpuIterations } from './optimizer-race.component';
export type {
  MnistRaceFinishedDetail,
  MnistRaceFinishedEvent,
  OptimizerRaceEventMap,
  RaceProgressDetail,
  RaceProgressEvent,
  RacersChangeDetail,
  RacersChangeEvent,
} from './events';
export { RacerEditor } from './racer-editor';
export type { PresetChoice, PresetId, RacerSpec } from './racers';
export type { RacerHistory } from '../../race/engine';

if (!customElements.get('optimizer-race')) customElements.define('optimizer-race', OptimizerRace);

declare global {
  interface HTMLElementTagNameMap {
    'optimizer-race': OptimizerRace;
  }
}
