/** Registers <optimizer-race>. Import this module (not the .component) to use the tag. */
import { OptimizerRace } from './optimizer-race.component';
import type { OptimizerRaceEventMap } from './events';

export { OptimizerRace } from './optimizer-race.component';
export { kCpuIterations } from './engine-choice-controller';
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

/** Typed listeners: `race-finished` on this element carries {history, backend}. */
declare module './optimizer-race.component' {
  export interface OptimizerRace {
    addEventListener<K extends keyof OptimizerRaceEventMap>(
      type: K,
      listener: (this: OptimizerRace, ev: OptimizerRaceEventMap[K]) => unknown,
      options?: boolean | AddEventListenerOptions,
    ): void;
    addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
    removeEventListener<K extends keyof OptimizerRaceEventMap>(
      type: K,
      listener: (this: OptimizerRace, ev: OptimizerRaceEventMap[K]) => unknown,
      options?: boolean | EventListenerOptions,
    ): void;
    removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'optimizer-race': OptimizerRace;
  }
}
