/**
 * The run as files: two CSVs, a JSON document and downloads.
 *
 * losses CSV:   `iteration,<racer 1>,<racer 2>,…` — one row per completed iteration (1-based: the
 *               loss on that iteration's minibatch after its update, as the seed records it); an
 *               empty cell once a racer has diverged.
 * accuracy CSV: `iteration,<racer 1>,…` — one row per evaluation checkpoint, each racer's test
 *               accuracy (0..1); empty for a racer that had diverged by then. A race run by epochs
 *               has an `epoch` column after `iteration`; one that measures training accuracy has a
 *               `<racer> (train)` column per racer after the test columns. A race with a
 *               validation share (which never touches the test set) has `<racer> (validation)`
 *               columns of validation accuracy in place of the test columns.
 * JSON:         the CLI's `--json` shape, `{"config": RaceConfig, "racers": [{"name", "optimizer",
 *               "hyperparameters", "init", "activation", "bn", "dropout", "l2", "color", "losses",
 *               "accuracy": [{"iteration", "epoch"?, "train"?, "validation"?, "test"?}], "diverged"}]}`, plus
 *               `"dataset"` and `"backend"`; NaN losses are null. The config carries the race's
 *               `sizes`, `trainLimit`, `epochs` (its `iterations` are then theirs), `trainAccuracy` and
 *               `validation`. A racer that starts from a weights file has `"init": {"weights": URL}`
 *               (and its config entry `initWeights`) as given; one whose file was read in the racer
 *               editor, whose URL is a blob: URL that means nothing outside the page that made it,
 *               has the file's name instead (`{"weights": "racer-1.safetensors"}`: a relative URL,
 *               which resolves where the file is put beside the page).
 */
import type { BackendKind } from '../../gpu/backend-kind';
import type { RaceConfig } from '../../race/config';
import type { AccuracyCheckpoint, RacerHistory } from '../../race/engine';

/** Quotes a CSV field when it holds a comma, quote or line break (RFC 4180). */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const cell = (value: number | undefined): string => (value === undefined || !Number.isFinite(value) ? '' : String(value));

export function lossCsv(history: readonly RacerHistory[]): string {
  const rows = [['iteration', ...history.map((h) => csvField(h.name))].join(',')];
  const n = Math.max(0, ...history.map((h) => h.losses.length));
  for (let i = 0; i < n; i++) rows.push([String(i + 1), ...history.map((h) => cell(h.losses[i]))].join(','));
  return `${rows.join('\n')}\n`;
}

export function accuracyCsv(history: readonly RacerHistory[]): string {
  const checkpoints = history.flatMap((h) => h.accuracy);
  const epochs = checkpoints.some((a) => a.epoch !== undefined);
  const train = checkpoints.some((a) => a.train !== undefined);
  const measured = checkpoints.some((a) => a.validation !== undefined) ? 'validation' : 'test';
  const names = history.map((h) => csvField(measured === 'test' ? h.name : `${h.name} (validation)`));
  const rows = [['iteration', ...(epochs ? ['epoch'] : []), ...names, ...(train ? history.map((h) => csvField(`${h.name} (train)`)) : [])].join(',')];
  const iterations = [...new Set(checkpoints.map((a) => a.iteration))].sort((a, b) => a - b);
  for (const iteration of iterations) {
    const at = history.map((h) => h.accuracy.find((a) => a.iteration === iteration));
    const epoch = epochs ? [cell(at.find((a) => a?.epoch !== undefined)?.epoch)] : [];
    rows.push([String(iteration), ...epoch, ...at.map((a) => cell(a?.[measured])), ...(train ? at.map((a) => cell(a?.train)) : [])].join(','));
  }
  return `${rows.join('\n')}\n`;
}

/** A checkpoint as the CLI's --json writes it: `epoch` and `train` only where the race has them. */
function accuracyRecord(a: AccuracyCheckpoint): RaceJson['racers'][number]['accuracy'][number] {
  return {
    iteration: a.iteration,
    ...(a.epoch !== undefined ? { epoch: a.epoch } : {}),
    ...(a.train !== undefined ? { train: a.train } : {}),
    ...(a.validation !== undefined ? { validation: a.validation } : {}),
    ...(a.test !== undefined ? { test: a.test } : {}),
  };
}

export interface RaceJson {
  config: RaceConfig;
  racers: {
    name: string;
    optimizer: string;
    hyperparameters: Record<string, number>;
    init: string | number | { weights: string };
    activation: string;
    bn: boolean;
    dropout: number;
    l2: number;
    color: string;
    losses: (number | null)[];
    accuracy: { iteration: number; epoch?: number; train?: number; validation?: number; test?: number }[];
    diverged: number | null;
  }[];
  dataset: { source: string; trainCount: number; testCount: number };
  backend: BackendKind;
}

/** blob: URL → the name of the file it holds (the racer editor's loaded weights). */
export type WeightsFileNames = ReadonlyMap<string, string>;

/** `url`, or the name of the file a blob: URL holds: a link that can be followed outside this page. */
const weightsUrl = (url: string, files: WeightsFileNames): string => files.get(url) ?? url;

/** A racer's `init`: `{"weights": …}` for one that started from a file (its history holds the init the file replaced). */
function startOf(h: RacerHistory, initWeights: string | undefined, files: WeightsFileNames): RaceJson['racers'][number]['init'] {
  const url = initWeights ?? (typeof h.init === 'object' ? h.init.weights : undefined);
  return url === undefined ? h.init : { weights: weightsUrl(url, files) };
}

export function raceJson(
  config: RaceConfig,
  history: readonly RacerHistory[],
  colors: readonly string[],
  dataset: RaceJson['dataset'],
  backend: RaceJson['backend'],
  weightsFiles: WeightsFileNames = new Map(),
): RaceJson {
  const racers = config.racers.map((r) => (r.initWeights === undefined ? r : { ...r, initWeights: weightsUrl(r.initWeights, weightsFiles) }));
  return {
    config: { ...config, racers },
    racers: history.map((h, r) => ({
      name: h.name,
      optimizer: h.optimizer,
      hyperparameters: h.hyperparameters,
      init: startOf(h, config.racers[r]?.initWeights, weightsFiles),
      activation: h.activation,
      bn: h.bn,
      dropout: h.dropout,
      l2: h.l2,
      color: colors[r],
      losses: h.losses.map((l) => (Number.isFinite(l) ? l : null)),
      accuracy: h.accuracy.map(accuracyRecord),
      diverged: h.diverged,
    })),
    dataset,
    backend,
  };
}

/** Saves a blob as a file through a temporary object URL and a clicked <a download>. */
export function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked later: some browsers read the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadText(text: string, filename: string, type: string): void {
  download(new Blob([text], { type }), filename);
}
