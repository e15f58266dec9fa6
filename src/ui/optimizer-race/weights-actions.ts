/**
 * What `<optimizer-race>`'s weights row does (./weights-controller.ts loads this module on the first
 * save or load, so none of it, nor the safetensors reader and writer, weighs on the page's first
 * load): a racer's `.safetensors` (src/race/weights.ts), every racer's as one zip of those same
 * files (fflate, stored), the race's checkpoint, and resuming one (src/race/checkpoint.ts).
 */
import { describeDataset, type MnistDataset } from '../../data/dataset';
import { kSafetensorsMaxBytes } from '../../data/safetensors';
import { checkpointSnapshot, decodeCheckpoint, raceCheckpoint } from '../../race/checkpoint';
import { resolveRace, type RaceConfig } from '../../race/config';
import type { RaceEngine } from '../../race/engine';
import { raceWeightsFiles } from '../../race/weights';
import { loadChunk } from '../../util/load-chunk';

/** The zip of every racer's file. */
export const kAllWeightsFileName = 'optimizer-race-weights.zip';
/** A downloaded checkpoint. */
export const kCheckpointFileName = 'optimizer-race-checkpoint.safetensors';

/** What the actions need of the element. */
export interface WeightsSource {
  engine(): RaceEngine | null;
  dataset(): MnistDataset | null;
  /** The race Start would run now (settings, racers, data), or null while one is missing or invalid. */
  plan(): Promise<{ config: RaceConfig; dataset: MnistDataset } | null>;
  /** A new engine for that race, not started (the previous one dropped). */
  prepare(): Promise<RaceEngine | null>;
}

function engineOf(source: WeightsSource, what: string): RaceEngine {
  const engine = source.engine();
  if (!engine) throw new Error(`no race yet: start one, then pause it or let it finish to ${what}`);
  return engine;
}

/** Racer `racer`'s file, or (none given) the zip of every racer's, with its file name. */
export async function weightsFile(source: WeightsSource, racer?: number): Promise<{ name: string; bytes: Uint8Array }> {
  const engine = engineOf(source, 'save its weights');
  const dataset = source.dataset();
  const files = await raceWeightsFiles(engine, racer, dataset ? { data: describeDataset(dataset) } : {});
  if (racer !== undefined) return files[0];
  const { zipSync } = await loadChunk('the zip writer', () => import('fflate'));
  // Stored, not deflated: float32 weights barely compress, and the files come out as fast as they are read.
  return { name: kAllWeightsFileName, bytes: zipSync(Object.fromEntries(files.map((f) => [f.name, f.bytes])), { level: 0 }) };
}

/** The whole race now (paused or finished). */
export function checkpoint(source: WeightsSource): Promise<Uint8Array> {
  const engine = engineOf(source, 'checkpoint it');
  const dataset = source.dataset();
  return raceCheckpoint(engine, dataset ? describeDataset(dataset) : '');
}

/**
 * Continues a checkpointed race: its settings and racers must be the element's (the race Start
 * would run, on the same data). Everything is checked before the current race is dropped, so a
 * rejected file changes nothing; then a new race stands paused at the checkpoint's iteration.
 */
export async function loadCheckpoint(source: WeightsSource, bytes: Uint8Array, name = 'the checkpoint'): Promise<void> {
  if (source.engine()?.status === 'running') throw new Error('the race is running: pause it before loading a checkpoint');
  const { info, tensors } = decodeCheckpoint(bytes, name);
  const plan = await source.plan();
  if (!plan) throw new Error(`${name}: the element's settings are not ready (data loading, or an input invalid)`);
  const race = resolveRace(plan.config, plan.dataset.trainCount);
  if (JSON.stringify(info.config) !== JSON.stringify(race.config)) {
    throw new Error(`${name}: the checkpoint is of another race; set the element's iterations, batch, seed, network and racers to its own first`);
  }
  const data = describeDataset(plan.dataset);
  if (info.data !== '' && info.data !== data) throw new Error(`${name}: the race trained on ${info.data}, the element has ${data}`);
  const snapshot = checkpointSnapshot(race, info, tensors, name);
  const engine = await source.prepare();
  if (!engine) throw new Error(`${name}: the race could not be set up`);
  await engine.resumeFrom({ snapshot, iteration: info.iteration, history: info.history });
}

/** A picked file's checkpoint, refused before it is read when over the format's limit (a huge file never fills the page's memory). */
export async function loadCheckpointFile(source: WeightsSource, file: File): Promise<void> {
  if (file.size > kSafetensorsMaxBytes) throw new Error(`${file.name}: the file is ${file.size} bytes, over the limit of ${kSafetensorsMaxBytes} bytes`);
  await loadCheckpoint(source, new Uint8Array(await file.arrayBuffer()), file.name);
}
