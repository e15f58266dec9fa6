/**
 * `mnist`'s weight files (issue 22): `--save-weights DIR` writes one `.safetensors` per racer at the
 * end of the race (or at Ctrl-C), `--init-weights FILE` starts every racer from one file instead of
 * its init, `--checkpoint FILE` writes the whole race (src/race/checkpoint.ts) at the end or at
 * Ctrl-C, and `--resume FILE` continues a checkpointed race at its next iteration. Every problem with the options or the file (a folder that cannot be made, a missing,
 * oversized or malformed file, tensors that do not fit a racer's network) is a UsageError (exit 2)
 * raised before the race starts, so a rejected file changes nothing.
 */
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { writeFileAtomic } from '../data/node/files';
import { kSafetensorsMaxBytes } from '../data/safetensors';
import type { RacerBlocks } from '../nn/state-dict';
import type { RaceSnapshot } from '../race/backend';
import { checkpointSnapshot, decodeCheckpoint, raceCheckpoint, type CheckpointInfo } from '../race/checkpoint';
import type { RaceConfig, ResolvedRace } from '../race/config';
import type { RaceEngine, RacerHistory } from '../race/engine';
import { racerBlocksFromFile, raceWeightsFiles } from '../race/weights';
import { errorMessage } from '../util/error-message';
import { UsageError } from './args';

/** `--save-weights DIR`'s folder, checked before a long race: an existing folder, or one whose parent exists (made at the end). */
export function saveWeightsDir(dir: string | undefined): string | undefined {
  if (dir === undefined) return undefined;
  const path = resolve(dir);
  if (existsSync(path)) {
    if (!statSync(path).isDirectory()) throw new UsageError(`--save-weights ${dir}: is a file; give a folder`);
    return path;
  }
  if (!existsSync(dirname(path)) || !statSync(dirname(path)).isDirectory())
    throw new UsageError(`--save-weights ${dir}: folder ${dirname(path)} does not exist`);
  return path;
}

/** A safetensors file's bytes for `option` (e.g. `--init-weights`): refused before reading when missing, a folder or over 100 MB. */
export async function readWeightsFile(option: string, file: string): Promise<Uint8Array> {
  const path = resolve(file);
  if (!existsSync(path)) throw new UsageError(`${option} ${file}: no such file`);
  const { size } = statSync(path);
  if (!statSync(path).isFile()) throw new UsageError(`${option} ${file}: is not a file`);
  if (size > kSafetensorsMaxBytes) throw new UsageError(`${option} ${file}: the file is ${size} bytes, over the limit of ${kSafetensorsMaxBytes} bytes`);
  return new Uint8Array(await readFile(path));
}

/** `--init-weights FILE` for every racer of the race: each racer's blocks, or a UsageError naming the racer that does not fit. */
export async function initWeights(file: string | undefined, race: ResolvedRace): Promise<RacerBlocks[] | undefined> {
  if (file === undefined) return undefined;
  const bytes = await readWeightsFile('--init-weights', file);
  return race.racers.map((racer, r) => {
    try {
      return racerBlocksFromFile(race, r, bytes);
    } catch (error) {
      const who = race.racers.length > 1 ? ` (racer ${r + 1}, ${racer.name})` : '';
      throw new UsageError(`--init-weights ${file}${who}: ${errorMessage(error)}`);
    }
  });
}

/** Every racer starts from its loaded weights (fresh optimizer state, iteration 0). */
export async function applyInitWeights(engine: RaceEngine, blocks: readonly RacerBlocks[] | undefined): Promise<void> {
  if (!blocks) return;
  for (const [r, b] of blocks.entries()) await engine.setStartWeights(r, b);
}

/** Writes every racer's weights into `dir` (made if missing); returns the paths written. */
export async function saveRaceWeights(engine: RaceEngine, dir: string, data: string): Promise<string[]> {
  const files = await raceWeightsFiles(engine, undefined, { data });
  const paths: string[] = [];
  for (const file of files) {
    const path = join(dir, file.name);
    await writeFileAtomic(path, file.bytes);
    paths.push(path);
  }
  return paths;
}

/** A `--checkpoint FILE` target whose folder exists (checked before a long race). */
export function checkpointPath(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  const path = resolve(file);
  if (existsSync(path) && statSync(path).isDirectory()) throw new UsageError(`--checkpoint ${file}: is a folder; give a file name`);
  if (!existsSync(dirname(path)) || !statSync(dirname(path)).isDirectory())
    throw new UsageError(`--checkpoint ${file}: folder ${dirname(path)} does not exist`);
  return path;
}

/** The options that describe a race: with `--resume` the checkpoint's race runs, so none of them may be given. */
const kRaceOptions = [
  'iterations',
  'batch',
  'optimizers',
  'optimizer',
  'seed',
  'eval-every',
  'hidden',
  'train-limit',
  'epochs',
  'train-accuracy',
  'no-train-accuracy',
  'preset',
  'sweep',
  'lr-finder',
  'init-weights',
] as const;

export interface ResumeFile {
  file: string;
  info: CheckpointInfo;
  tensors: ReturnType<typeof decodeCheckpoint>['tensors'];
}

/** `--resume FILE`, read and checked as a checkpoint, or undefined; a race option given beside it is a UsageError. */
export async function readResume(options: Partial<Record<(typeof kRaceOptions)[number] | 'resume', unknown>>): Promise<ResumeFile | undefined> {
  const file = options.resume;
  if (typeof file !== 'string') return undefined;
  const given = kRaceOptions.filter(
    (name) => options[name] !== undefined && !(Array.isArray(options[name]) && options[name].length === 0) && options[name] !== false,
  );
  if (given.length > 0) throw new UsageError(`--resume runs the checkpoint's race as it was set up; leave out ${given.map((n) => `--${n}`).join(', ')}`);
  const bytes = await readWeightsFile('--resume', file);
  try {
    return { file, ...decodeCheckpoint(bytes, `--resume ${file}`) };
  } catch (error) {
    throw new UsageError(errorMessage(error));
  }
}

/** The checkpoint's race config (the race `--resume` runs). */
export const resumedConfig = (resume: ResumeFile): RaceConfig => resume.info.config;

/** What RaceEngine.resumeFrom takes, checked against the race and the data before the race starts. */
export function resumeState(
  resume: ResumeFile | undefined,
  race: ResolvedRace,
  data: string,
): { snapshot: RaceSnapshot; iteration: number; history: RacerHistory[] } | undefined {
  if (!resume) return undefined;
  const { info, file } = resume;
  if (info.data !== '' && info.data !== data) throw new UsageError(`--resume ${file}: the race trained on ${info.data}; this run reads ${data} (give --data)`);
  try {
    const snapshot = checkpointSnapshot(race, info, resume.tensors, `--resume ${file}`);
    return { snapshot, iteration: info.iteration, history: info.history };
  } catch (error) {
    throw new UsageError(errorMessage(error));
  }
}

/** Writes the race now (finished or stopped at Ctrl-C) as a checkpoint to `path`. */
export async function writeCheckpoint(engine: RaceEngine, path: string, data: string): Promise<void> {
  await writeFileAtomic(path, await raceCheckpoint(engine, data));
}
