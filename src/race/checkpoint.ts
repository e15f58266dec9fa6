/**
 * A whole race in one `.safetensors` file (issue 22): every racer's weights and running statistics
 * as `racer<k>.<name>` (k from 0, names as in its own weights file, src/nn/state-dict.ts), its
 * optimizer's state vectors as `racer<k>.state.<vector>.<name>` (e.g. `racer3.state.m.0.weight`,
 * laid out like the weights they belong to), and in `__metadata__` the race's config, the iteration
 * reached, each racer's optimizer step count and its history (losses, accuracy, divergence). Loaded
 * into a new engine of the same race (RaceEngine.resumeFrom), it continues at the next iteration on
 * the same minibatches, so its losses are those the uninterrupted race records. Float32 from the
 * wasm and WebGPU engines, float64 from the CPU reference (so it resumes bit for bit there too).
 */
import { decodeSafetensors, encodeSafetensors, type NamedSafetensorsTensor, type SafetensorsTensor } from '../data/safetensors';
import { networkLayout } from '../nn/layout';
import { mlpToStateDict, stateDictToRacer, StateDictError } from '../nn/state-dict';
import type { RaceSnapshot } from './backend';
import type { RaceConfig, ResolvedRace } from './config';
import type { AccuracyCheckpoint, RaceEngine, RacerHistory } from './engine';

export const kCheckpointFormat = 'optimizer-race checkpoint 1';

/** Thrown for a file that is a safetensors file but not a checkpoint of this race; one line. */
export class CheckpointError extends Error {
  override name = 'CheckpointError';
}

/** What a checkpoint holds besides the tensors. */
export interface CheckpointInfo {
  config: RaceConfig;
  iteration: number;
  steps: number[];
  history: RacerHistory[];
  /** The data it trained on, in words. */
  data: string;
}

interface HistoryJson {
  losses: (number | null)[];
  accuracy: AccuracyCheckpoint[];
  diverged: number | null;
  predictions: number[];
}

const f64 = (snapshot: RaceSnapshot): boolean => snapshot.params instanceof Float64Array;

/** The checkpoint's bytes for a snapshot taken at `source.iteration`. */
export function encodeCheckpoint(
  source: { race: ResolvedRace; iteration: number; history: readonly RacerHistory[] },
  snapshot: RaceSnapshot,
  data = '',
): Uint8Array {
  const { race } = source;
  const { sizes } = race.config;
  const { paramsPerRacer: P, statsPerRacer: S } = networkLayout(sizes, { batchNorm: race.batchNorm });
  const dtype = f64(snapshot) ? 'F64' : 'F32';
  const tensors: NamedSafetensorsTensor[] = [];
  race.racers.forEach((racer, r) => {
    const network = { bn: racer.bn, dropout: racer.dropout, layoutBatchNorm: race.batchNorm, dtype } as const;
    const block = (a: Float32Array | Float64Array) => a.subarray(r * P, (r + 1) * P);
    for (const t of mlpToStateDict(sizes, block(snapshot.params), { ...network, stats: snapshot.stats.subarray(r * S, (r + 1) * S) })) {
      tensors.push({ ...t, name: `racer${r}.${t.name}` });
    }
    racer.spec.state.forEach((vector, j) => {
      for (const t of mlpToStateDict(sizes, block(snapshot.state[j]), { ...network, noStats: true }))
        tensors.push({ ...t, name: `racer${r}.state.${vector}.${t.name}` });
    });
  });
  const history: HistoryJson[] = source.history.map((h) => ({
    losses: h.losses.map((l) => (Number.isFinite(l) ? l : null)),
    accuracy: h.accuracy,
    diverged: h.diverged,
    predictions: h.predictions,
  }));
  return encodeSafetensors(tensors, {
    format: kCheckpointFormat,
    iteration: String(source.iteration),
    config: JSON.stringify(race.config),
    steps: JSON.stringify(snapshot.steps),
    history: JSON.stringify(history),
    data,
    dtype,
  });
}

/** The engine's race now (paused, finished, or idle) as a checkpoint. */
export async function raceCheckpoint(engine: RaceEngine, data = ''): Promise<Uint8Array> {
  const snapshot = await engine.snapshot();
  return encodeCheckpoint({ race: engine.race, iteration: engine.iteration, history: engine.history }, snapshot, data);
}

/** A checkpoint's bytes, read: throws a SafetensorsError (a bad file) or a CheckpointError (not a checkpoint), each starting with `name`. */
export function decodeCheckpoint(bytes: Uint8Array, name?: string): { info: CheckpointInfo; tensors: Map<string, SafetensorsTensor> } {
  const { tensors, metadata } = decodeSafetensors(bytes, { name });
  const fail = (message: string): never => {
    throw new CheckpointError(name === undefined ? message : `${name}: ${message}`);
  };
  if (metadata.format !== kCheckpointFormat)
    fail(`not a race checkpoint (its __metadata__ format is ${JSON.stringify(metadata.format ?? null)}, not "${kCheckpointFormat}")`);
  const parse = <T>(key: string): T => {
    try {
      return JSON.parse(metadata[key] ?? '') as T;
    } catch {
      return fail(`its __metadata__ ${key} is not JSON`);
    }
  };
  const config = parse<RaceConfig>('config');
  const steps = parse<number[]>('steps');
  const iteration = Number(metadata.iteration);
  if (!Number.isInteger(iteration) || iteration < 0) fail(`its iteration ${JSON.stringify(metadata.iteration)} is not a whole number`);
  const history = parse<HistoryJson[]>('history');
  if (!Array.isArray(history) || !Array.isArray(steps) || !Array.isArray(config?.racers) || history.length !== config.racers.length) {
    fail('its __metadata__ config, steps and history do not agree on the racers');
  }
  return {
    info: {
      config,
      iteration,
      steps,
      data: metadata.data ?? '',
      history: history.map((h) => ({
        losses: h.losses.map((l) => l ?? Number.NaN),
        accuracy: h.accuracy,
        diverged: h.diverged,
        predictions: h.predictions,
      })) as RacerHistory[],
    },
    tensors,
  };
}

/** Every racer's numbers from a checkpoint's tensors for `race` (the checkpoint's own race, resolved); a tensor that does not fit is a CheckpointError. */
export function checkpointSnapshot(race: ResolvedRace, info: CheckpointInfo, tensors: ReadonlyMap<string, SafetensorsTensor>, name?: string): RaceSnapshot {
  const { sizes } = race.config;
  const { paramsPerRacer: P, statsPerRacer: S } = networkLayout(sizes, { batchNorm: race.batchNorm });
  const R = race.racers.length;
  const dtype = tensors.get('racer0.0.weight')?.dtype === 'F64' ? 'F64' : 'F32';
  const Typed = dtype === 'F64' ? Float64Array : Float32Array;
  const snapshot: RaceSnapshot = { params: new Typed(R * P), stats: new Typed(R * S), state: [new Typed(R * P), new Typed(R * P)], steps: [...info.steps] };
  if (info.steps.length !== R) throw new CheckpointError(`${name ? `${name}: ` : ''}its steps name ${info.steps.length} racers, the race has ${R}`);
  const prefixed = (prefix: string): Map<string, SafetensorsTensor> =>
    new Map([...tensors].filter(([n]) => n.startsWith(prefix) && !n.slice(prefix.length).startsWith('state.')).map(([n, t]) => [n.slice(prefix.length), t]));
  race.racers.forEach((racer, r) => {
    const network = { bn: racer.bn, dropout: racer.dropout, layoutBatchNorm: race.batchNorm, dtype } as const;
    try {
      const blocks = stateDictToRacer(sizes, prefixed(`racer${r}.`), network);
      snapshot.params.set(blocks.params, r * P);
      snapshot.stats.set(blocks.stats, r * S);
      racer.spec.state.forEach((vector, j) => {
        const state = stateDictToRacer(sizes, prefixed(`racer${r}.state.${vector}.`), { ...network, noStats: true });
        snapshot.state[j].set(state.params, r * P);
      });
    } catch (error) {
      if (!(error instanceof StateDictError)) throw error;
      throw new CheckpointError(`${name ? `${name}: ` : ''}racer ${r} (${racer.name}): ${error.message}`);
    }
  });
  return snapshot;
}

/**
 * Continues the checkpointed race in `engine`, which must run the checkpoint's race (built from
 * `info.config`) and not have started. Checks everything before it changes anything.
 */
export async function resumeCheckpoint(engine: RaceEngine, bytes: Uint8Array, name?: string): Promise<CheckpointInfo> {
  const { info, tensors } = decodeCheckpoint(bytes, name);
  if (JSON.stringify(info.config) !== JSON.stringify(engine.race.config)) {
    throw new CheckpointError(`${name ? `${name}: ` : ''}the checkpoint is of another race (its settings or racers differ from this one's)`);
  }
  const snapshot = checkpointSnapshot(engine.race, info, tensors, name);
  const history = info.history.map((h, r) => ({ ...engine.history[r], ...h }));
  await engine.resumeFrom({ snapshot, iteration: info.iteration, history });
  return info;
}
