/** The data bar (data set, loading progress, IDX file picker, backend badge) and the toolbar (settings, race controls, progress). */
import { kRaceLimits } from '../../race/limits';
import { html, nothing, type TemplateResult } from 'lit';
import type { RaceStatus } from '../../race/engine';
import type { DataController } from './data-controller';
import type { BackendBadge } from './backend-badge';
import { kPresets, type PresetChoice, type PresetId } from './racers';
import { kSettingFields, type RaceNumbers, type SettingField } from './settings';
import { renderNetworkProblems, renderNetworkSettings, type NetworkSettingsView } from './network-toolbar';
import type { NetworkDraft, NetworkField } from './network-draft';

export interface DataBarView {
  data: Pick<DataController, 'state' | 'progress'>;
  /** describeDataset() of the loaded data, or null. */
  dataset: string | null;
  /** Files cannot be picked while a race is under way. */
  locked: boolean;
  badge: BackendBadge;
}

export function renderDataBar(view: DataBarView, filesPicked: (files: FileList | null) => void): TemplateResult {
  const { loaded, total } = view.data.progress;
  const { state } = view.data;
  const { badge } = view;
  return html`
    <div class="databar">
      <span class="dataset" data-state=${state}>
        ${state === 'loading' ? 'Loading MNIST…' : (view.dataset ?? 'No data loaded')}
      </span>
      ${
        state === 'loading'
          ? html`
        <progress class="load" aria-label="Loading MNIST" max=${total ?? nothing} value=${total ? loaded : nothing}></progress>
        <span class="hint">${(loaded / 1e6).toFixed(1)}${total ? ` / ${(total / 1e6).toFixed(1)}` : ''} MB</span>`
          : nothing
      }
      <label class="button file-button" title="Pick the four MNIST IDX files (train/test images and labels, gzipped or raw), or drop them here">
        <input class="visually-hidden" type="file" multiple accept=".gz,.ubyte,.idx,.idx1-ubyte,.idx3-ubyte,application/gzip,application/octet-stream"
          aria-label="Load MNIST IDX files" ?disabled=${view.locked}
          @change=${(e: Event) => {
            const input = e.target as HTMLInputElement;
            filesPicked(input.files);
            input.value = '';
          }}>
        Load IDX files…
      </label>
      <span class="badge ${badge.kind}" part="backend"
        >${badge.label}${badge.reason ? html`<span class="why"> — ${badge.reason}</span>` : nothing}</span>
    </div>`;
}

export interface ToolbarView {
  preset: PresetChoice;
  numbers: RaceNumbers;
  /** Hidden sizes, training limit, epochs, training accuracy. */
  network: Omit<NetworkSettingsView, 'problems' | 'locked'>;
  /** Per setting, why its value is refused. */
  problems: Partial<Record<SettingField | NetworkField, string>>;
  /** Some racer has an invalid field. */
  racerProblems: boolean;
  locked: boolean;
  status: RaceStatus;
  /** An engine exists (Reset has something to clear). */
  engine: boolean;
  iteration: number;
  total: number;
  /** Iterations per second, 0 before the first report. */
  speed: number;
  /** Start could run a race now (data, valid settings and a backend). */
  ready: boolean;
}

/** The race's controls (the element's own methods). */
export interface RaceControls {
  start(): Promise<void>;
  pause(): void;
  resume(): Promise<void>;
  step(): Promise<void>;
  reset(): Promise<void>;
}

export interface ToolbarActions {
  preset(value: string): void;
  /** A setting typed in: NaN while the field is empty. */
  number(field: SettingField, value: number): void;
  /** A network setting typed in (./network-toolbar.ts). */
  network(change: Partial<NetworkDraft>): void;
  controls: RaceControls;
}

const kLabels: Record<SettingField, string> = { iterations: 'Iterations', batchSize: 'Batch size', seed: 'Seed', evalEvery: 'Evaluate every' };

function renderField(view: ToolbarView, actions: ToolbarActions, name: SettingField): TemplateResult {
  const { min, max } = kRaceLimits[name];
  const problem = view.problems[name];
  // With epochs, the iterations are theirs: shown, not typed.
  const epochs = view.network.draft.epochs.trim() !== '';
  const derived = name === 'iterations' && epochs;
  const value = derived ? (view.network.epochIterations ?? NaN) : view.numbers[name];
  const title = derived
    ? 'The epochs give the iterations: epochs × max(training images / batch size, 1)'
    : name === 'evalEvery' && epochs
      ? 'Unused while the race runs by epochs: accuracy is measured once per epoch'
      : nothing;
  return html`
    <label class="field narrow" title=${title}>
      <span>${derived ? 'Iterations (from epochs)' : kLabels[name]}</span>
      <input type="number" min=${min} max=${max} step="1" data-setting=${name} .value=${Number.isFinite(value) ? String(value) : ''}
        aria-invalid=${problem ? 'true' : 'false'} aria-describedby=${problem ? `${name}-error` : nothing}
        ?disabled=${view.locked} ?readonly=${derived} @input=${(e: Event) => {
          // Number inputs report '' while a value is half-typed ("1e", "-"): wait until it parses.
          const input = e.target as HTMLInputElement;
          if (!input.validity.badInput) actions.number(name, input.value.trim() === '' ? NaN : Number(input.value));
        }}>
    </label>`;
}

export function renderToolbar(view: ToolbarView, actions: ToolbarActions): TemplateResult {
  const { status, iteration, total, speed } = view;
  const { controls } = actions;
  const running = status === 'running';
  const paused = status === 'paused';
  const primaryLabel = running ? 'Pause' : paused ? 'Resume' : status === 'finished' ? 'Race again' : 'Start';
  const problems = kSettingFields.flatMap((name) => {
    const problem = view.problems[name];
    return problem ? [html`<p class="error" id="${name}-error">${problem}</p>`] : [];
  });
  return html`
    <div class="toolbar" part="toolbar">
      <div class="settings">
        <label class="field preset">
          <span>Preset</span>
          <select data-setting="preset" ?disabled=${view.locked} @change=${(e: Event) => actions.preset((e.target as HTMLSelectElement).value)}>
            ${(Object.keys(kPresets) as PresetId[]).map((id) => html`<option value=${id} ?selected=${view.preset === id}>${kPresets[id].label}</option>`)}
            <option value="custom" disabled ?selected=${view.preset === 'custom'}>Custom racers</option>
          </select>
        </label>
        ${kSettingFields.map((name) => renderField(view, actions, name))}
      </div>
      ${renderNetworkSettings({ ...view.network, problems: view.problems, locked: view.locked }, actions.network)}
      <div class="controls">
        <button type="button" class="primary" data-action="start" ?disabled=${!running && !paused && !view.ready}
          @click=${() => (running ? controls.pause() : paused ? void controls.resume() : void controls.start())}>${primaryLabel}</button>
        <button type="button" data-action="step" ?disabled=${running || (!paused && !view.ready)}
          title="Run exactly one more iteration" @click=${() => void controls.step()}>Step</button>
        <button type="button" data-action="reset" ?disabled=${!view.engine} @click=${() => void controls.reset()}>Reset</button>
        <div class="progress">
          <progress aria-label="Race progress" max=${total > 0 && Number.isFinite(total) ? total : 1} value=${iteration}></progress>
          <output class="counter" data-readout="iteration">iteration ${iteration} / ${Number.isFinite(total) ? total : '–'}</output>
          <output class="counter" data-readout="speed" title="Iterations per second, all racers together"
            >${speed > 0 ? `${speed.toFixed(speed < 10 ? 1 : 0)} it/s` : '– it/s'}</output>
        </div>
      </div>
      ${problems}
      ${renderNetworkProblems(view)}
      ${view.racerProblems ? html`<p class="error">Fix the highlighted racer settings to start.</p>` : nothing}
    </div>`;
}
