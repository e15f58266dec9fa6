/** The notices above the toolbar: loading errors, WebGPU missing or lost (with the CPU offer), race errors, notes. */
import { html, nothing, type TemplateResult } from 'lit';
import { renderDeviceLost } from '../device-loss';
import type { BackendChoice } from '../../race/backend-choice';
import type { DataController } from './data-controller';
import type { DeviceController } from './device-controller';
import type { RaceError } from './race-controller';

export interface NoticesView {
  data: Pick<DataController, 'state' | 'error' | 'note'>;
  /** A `src` is set: offer the default data instead. */
  hasSrc: boolean;
  /** `blocked`: WebGPU failed and the CPU is not chosen yet, so offer it. */
  device: Pick<DeviceController, 'gpu' | 'gpuMessage' | 'blocked' | 'lost' | 'wasmOffered'>;
  /** The engine the next race gets and why (a fallback to the CPU reference is announced). */
  choice: BackendChoice;
  /** The user chose the CPU reference (not `force-cpu`). */
  onCpu: boolean;
  /** Iterations the CPU offer starts with. */
  cpuIterations: number;
  raceError: RaceError | null;
  /** Notes about the `racers` attribute and the link's settings. */
  notes: readonly string[];
}

export interface NoticesActions {
  data: Pick<DataController, 'retry' | 'useDefault' | 'dismiss'>;
  acceptCpu(): void;
  acceptWasm(): void;
  /** A new device and a new race from the current settings. */
  restartGpu(): void;
}

function renderDataNotice({ data, hasSrc }: NoticesView, actions: NoticesActions): TemplateResult | typeof nothing {
  if (data.error) {
    return html`<div class="notice error" part="message" role="alert">
      <p>${data.error}</p>
      ${data.note ? html`<p>${data.note}</p>` : nothing}
      <div class="notice-actions">
        <button type="button" @click=${() => actions.data.retry()}>Retry</button>
        ${hasSrc ? html`<button type="button" @click=${() => actions.data.useDefault()}>Use the default data</button>` : nothing}
        <button type="button" class="link" @click=${() => actions.data.dismiss()} aria-label="Dismiss the loading error">Dismiss</button>
      </div>
    </div>`;
  }
  if (data.state === 'error') {
    return html`<div class="notice error" part="message" role="alert">
      <p>MNIST could not be loaded. ${data.note ?? ''}</p>
      <div class="notice-actions"><button type="button" @click=${() => actions.data.retry()}>Retry</button></div>
    </div>`;
  }
  return nothing;
}

export function renderNotices(view: NoticesView, actions: NoticesActions): TemplateResult {
  const { gpu, gpuMessage, blocked, lost, wasmOffered } = view.device;
  const lostMidRace = gpu === 'lost';
  const wasmButton = (primary: boolean) =>
    wasmOffered
      ? html`<button type="button" class=${primary ? 'primary' : ''} data-action="accept-wasm" @click=${() => actions.acceptWasm()}>Race on WebAssembly</button>`
      : nothing;
  return html`
    ${renderDataNotice(view, actions)}
    ${
      blocked && lostMidRace
        ? renderDeviceLost(lost, {
            part: 'message',
            meanwhile: 'The race stopped; a restart is a new race (from iteration 0) with the current settings.',
            restart: () => actions.restartGpu(),
            actions: html`${wasmButton(false)}<button type="button" @click=${() => actions.acceptCpu()}>Race on the CPU</button>`,
          })
        : nothing
    }
    ${
      blocked && !lostMidRace
        ? html`<div class="notice warn" part="message" role="status">
      <p><strong>WebGPU is not available.</strong> ${gpuMessage}</p>
      <p>${wasmOffered ? html`The race can run on WebAssembly SIMD instead (float32 kernels on this CPU's cores, in a Web Worker), or on` : 'The race can run on'}
        the CPU reference (the same arithmetic in float64, in a Web Worker so the page stays responsive). The reference
        is slow, about a second per iteration for the seed's six racers, so it starts with ${view.cpuIterations} iterations.</p>
      <div class="notice-actions">
        ${wasmButton(true)}
        <button type="button" class=${wasmOffered ? '' : 'primary'} @click=${() => actions.acceptCpu()}>Race on the CPU</button>
      </div>
    </div>`
        : nothing
    }
    ${
      view.choice.kind === 'cpu' && view.choice.fellBack
        ? html`<p class="notice info" part="message" role="status">
      <strong>Racing on the CPU reference:</strong> ${view.choice.reason}. The float64 reference runs in a Web Worker at
      about a second per iteration for the seed's six racers: fewer iterations, racers or a smaller batch go faster.</p>`
        : nothing
    }
    ${
      view.onCpu
        ? html`<p class="notice info" part="message" role="status">
      Racing on the CPU reference: about a second per iteration for six racers. Fewer racers or a smaller batch go faster.</p>`
        : nothing
    }
    ${
      // While the device is lost, the race's own error (a DeviceLostError, or a read-back the loss aborted) is its consequence: the notice says it.
      view.raceError && !lostMidRace ? html`<div class="notice error" part="message" role="alert"><p>${view.raceError.text}</p></div>` : nothing
    }
    ${view.notes.map((n) => html`<div class="notice warn" part="message" role="status"><p>${n}</p></div>`)}`;
}
