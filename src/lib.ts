/**
 * The library bundle (dist/lib/optimizer-race.js): one script registers every element.
 *
 *   <script type="module" src=".../optimizer-race.js"></script>
 *   <optimizer-race iterations="500" autostart></optimizer-race>
 *
 * The embedded MNIST subset ships beside the script (data/embedded/), found relative to it.
 * <chapter6-race> and <init-histograms> are chunks beside it, each loaded when the first such tag is
 * in the document (or by loadChapter6Race(), loadInitHistograms()), so pages without one never
 * download it.
 */
import './lib-data-base';
import { defineChapter6RaceWhenUsed } from './ui/chapter6-race/lazy-chapter6-race';
import { defineInitHistogramsWhenUsed } from './ui/init-histograms/lazy-init-histograms';

export * from './ui/optimizer-race/optimizer-race';
export { TrajectoryRace } from './ui/trajectory-race/trajectory-race';
// Loaded when first shown (chunks beside the bundle): their classes are types here, their tags defined on first use.
export type { SurfaceView } from './ui/trajectory-race/surface-view/surface-view';
export type { SensitivityChart } from './ui/charts/sensitivity-chart';
export type { LrFinderChart } from './ui/charts/lr-finder-chart';
export { AdamSteps } from './ui/adam-steps/adam-steps';
export type { InitHistograms } from './ui/init-histograms/init-histograms';
export { loadInitHistograms } from './ui/init-histograms/lazy-init-histograms';
export type { Chapter6Race, BatchNormFigure, OverfitFigure } from './ui/chapter6-race/chapter6-race';
export { loadChapter6Race } from './ui/chapter6-race/lazy-chapter6-race';
export type { LossChart } from './ui/charts/loss-chart';
export type { AccuracyChart } from './ui/charts/accuracy-chart';
export { SweepPanel } from './ui/optimizer-race/sweep-panel';
export { kSeedRace, kInitRace, type RaceConfig, type RacerConfig } from './race/config';
export { optimizerIds, optimizers, optimizerSpec, registerOptimizer, type OptimizerDefinition, type OptimizerSpec } from './optim/registry';
export type { RacerSpec } from './optim/racer-spec';
export { scheduledLr, parseSchedule, formatSchedule, type Schedule } from './optim/schedule';
export type { BackendKind } from './gpu/backend-kind';

defineChapter6RaceWhenUsed();
defineInitHistogramsWhenUsed();
