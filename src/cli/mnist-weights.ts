/**
 * `mnist`'s weight files (issue 22): `--save-weights DIR` writes one `.safetensors` per racer at the
 * end of the race (or at Ctrl-C), `--init-weights FILE` starts every racer from one file instead of
 * its init. Every problem with the options or the file (a folder that cannot be made, a missing,
 * oversized or malformed file, tensors that do not fit a racer's network) is a UsageError (exit 2)
 * raised before the race starts, so a rejected file changes nothing.
 */
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { writeFileAtomic } from '../data/node/files';
import { kSafetensorsMaxBytes } from '../data/safetensors';
import type { RacerBlocks } from '../nn/state-dict';
import type { ResolvedRace } from '../race/config';
import type { RaceEngine } from '../race/engine';
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
