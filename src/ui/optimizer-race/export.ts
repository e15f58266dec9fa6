/**
 * The run as files: two CSVs, a JSON document and downloads.
 *
 * losses CSV:   `iteration,<racer 1>,<racer 2>,…` — one row per completed iteration (1-based: the
 *               loss on that iteration's minibatch after its update, as the seed records it); an
 *               empty cell once a racer has diverged.
 * accuracy CSV: `iteration,<racer 1>,…` — one row per evaluation checkpoint, each racer's test
 *               accuracy (0..1); empty for a racer that had diverged by then.
 * JSON:         the CLI's `--json` shape, `{"config": RaceConfig, "racers": [{"name", "optimizer",
 *               "hyperparameters", "init", "activation", "color", "losses", "accuracy": [{"iteration",
 *               "test"}], "diverged"}]}`, plus `"dataset"` and `"backend"`; NaN losses are null.
 */
import type { BackendKind } from '../../gpu/backend-kind';
import type { RaceConfig } from '../../race/config';
import type { RacerHistory } from '../../race/engine';

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
  const rows = [['iteration', ...history.map((h) => csvField(h.name))].join(',')];
  const iterations = [...new Set(history.flatMap((h) => h.accuracy.map((a) => a.iteration)))].sort((a, b) => a - b);
  for (const iteration of iterations) {
    rows.push([String(iteration), ...history.map((h) => cell(h.accuracy.find((a) => a.iteration === iteration)?.test))].join(','));
  }
  return `${rows.join('\n')}\n`;
}

export interface RaceJson {
  config: RaceConfig;
  racers: {
    name: string;
    optimizer: string;
    hyperparameters: Record<string, number>;
    init: string | number;
    activation: string;
    color: string;
    losses: (number | null)[];
    accuracy: { iteration: number; test: number }[];
    diverged: number | null;
  }[];
  dataset: { source: string; trainCount: number; testCount: number };
  backend: BackendKind;
}

export function raceJson(
  config: RaceConfig,
  history: readonly RacerHistory[],
  colors: readonly string[],
  dataset: RaceJson['dataset'],
  backend: RaceJson['backend'],
): RaceJson {
  return {
    config,
    racers: history.map((h, r) => ({
      name: h.name,
      optimizer: h.optimizer,
      hyperparameters: h.hyperparameters,
      init: h.init,
      activation: h.activation,
      color: colors[r],
      losses: h.losses.map((l) => (Number.isFinite(l) ? l : null)),
      accuracy: h.accuracy.map((a) => ({ iteration: a.iteration, test: a.test })),
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
