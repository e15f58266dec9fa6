/**
 * Weights in from the `racers` attribute (issue 22): a racer whose JSON says `"init": {"weights": URL}`
 * starts from that `.safetensors` file (fresh optimizer state, iteration 0). The file is fetched,
 * refused over 100 MB before it is read where the server says its length, then checked like every
 * weights file (./weights.ts' racerBlocksFromFile). No DOM: fetch only. Loaded lazily, by a race
 * that has such a racer.
 */
import { decodeSafetensors, kSafetensorsMaxBytes } from '../data/safetensors';
import { stateDictToRacer, type RacerBlocks } from '../nn/state-dict';
import { errorMessage } from '../util/error-message';
import type { RaceConfig, ResolvedRace } from './config';
import type { RaceEngine } from './engine';
import { racerBlocksFromFile } from './weights';

/** A URL as a message shows it: a data: URL's bytes left out. */
export function shownUrl(url: string): string {
  return url.startsWith('data:') ? `${url.slice(0, url.indexOf(',') + 1 || 20)}…` : url;
}

/** A weights file's bytes from `url`; throws one line (the HTTP status, a refused size, a network failure). */
export async function fetchWeights(url: string, maxBytes = kSafetensorsMaxBytes): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`could not fetch it (${errorMessage(error)})`);
  }
  if (!response.ok) throw new Error(`the server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
  const length = Number(response.headers.get('content-length') ?? NaN);
  if (length > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new Error(`the file is ${length} bytes, over the limit of ${maxBytes} bytes`);
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length > maxBytes) throw new Error(`the file is ${bytes.length} bytes, over the limit of ${maxBytes} bytes`);
  return bytes;
}

/** Refuses a file of `size` bytes over the limit, before it is read. */
export function checkWeightsSize(size: number, name: string, maxBytes = kSafetensorsMaxBytes): void {
  if (size > maxBytes) throw new Error(`${name}: the file is ${size} bytes, over the limit of ${maxBytes} bytes`);
}

/** Who a message names: `racer 2 (Adam)`. */
const racerWho = (race: ResolvedRace, r: number): string => `racer ${r + 1} (${race.racers[r].name})`;

/**
 * Every racer of `config` with `initWeights`: its blocks, fetched and checked against its network.
 * Throws one line naming the racer, the URL and the reason; nothing is applied then.
 */
export async function startWeightsFromUrls(config: RaceConfig, race: ResolvedRace): Promise<Map<number, RacerBlocks>> {
  const blocks = new Map<number, RacerBlocks>();
  if (config.search) return blocks;
  for (const [r, racer] of config.racers.entries()) {
    if (racer.initWeights === undefined) continue;
    const where = `${racerWho(race, r)}: weights ${shownUrl(racer.initWeights)}`;
    try {
      blocks.set(r, racerBlocksFromFile(race, r, await fetchWeights(racer.initWeights)));
    } catch (error) {
      throw new Error(`${where}: ${errorMessage(error)}`);
    }
  }
  return blocks;
}

/** Loads `config`'s weights files into `engine` (not started): all or, on a problem, none. */
export async function applyStartWeightUrls(engine: RaceEngine, config: RaceConfig): Promise<void> {
  const blocks = await startWeightsFromUrls(config, engine.race);
  for (const [r, b] of blocks) await engine.setStartWeights(r, b);
}

/**
 * A weights file chosen for a racer in the editor, checked now so a bad one never becomes its init:
 * the format, and (when the race's layer sizes are known) the shapes of the racer's network. The
 * race checks it again when it is set up. Throws one line starting with `name`.
 */
export function checkWeightsFile(bytes: Uint8Array, name: string, sizes: readonly number[] | undefined, racer: { bn?: boolean; dropout?: number }): void {
  const { tensors } = decodeSafetensors(bytes, { name });
  if (!sizes) return;
  try {
    stateDictToRacer(sizes, tensors, { bn: racer.bn, dropout: racer.dropout, layoutBatchNorm: racer.bn });
  } catch (error) {
    throw new Error(`${name}: ${errorMessage(error)}`);
  }
}
