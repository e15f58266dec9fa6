/**
 * A lost GPUDevice, the same way in every element: DeviceLossWatcher watches each device an element
 * computed on (`device.lost`), turns the report into a DeviceLostError and tells the page's shared
 * device to be replaced (sharedGpuDevice then asks for a new one); renderDeviceLost is the notice
 * with the one "Restart on a new device" button, worded here for all four elements.
 *
 * Several elements share the page's device, so one loss reaches each of them: each shows the notice
 * and its own button. A restart (or, for the elements that recompute on every change, the next
 * computation that succeeds on a new device) clears that element's notice only.
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { forgetLostDevice } from '../gpu/device';
import { DeviceLostError } from '../gpu/device-lost';

export interface DeviceLossOptions {
  /** A loss the element need not report (e.g. destroy() while nothing runs on the device). */
  ignore?(info: GPUDeviceLostInfo): boolean;
  /** Called after `lost` is set, before the host re-renders. */
  onLost?(error: DeviceLostError, device: GPUDevice): void;
}

export class DeviceLossWatcher implements ReactiveController {
  /** The loss the notice reports, or null. */
  lost: DeviceLostError | null = null;
  private readonly watched = new WeakSet<GPUDevice>();
  private readonly gone = new WeakSet<GPUDevice>();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: DeviceLossOptions = {},
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** Watches `device` (once per device) for its loss. */
  watch(device: GPUDevice): void {
    if (this.watched.has(device)) return;
    this.watched.add(device);
    // Weakly: the shared device outlives a removed element, and its lost promise would keep it alive.
    const watcher = new WeakRef(this);
    void device.lost.then((info) => {
      forgetLostDevice(device);
      watcher.deref()?.deviceLost(device, info);
    });
  }

  private deviceLost(device: GPUDevice, info: GPUDeviceLostInfo): void {
    this.gone.add(device);
    if (this.options.ignore?.(info)) return;
    this.lost = new DeviceLostError(info);
    this.options.onLost?.(this.lost, device);
    this.host.requestUpdate();
  }

  /** Whether `device` was seen lost (a source handing it out again gives a dead device). */
  isGone(device: GPUDevice): boolean {
    return this.gone.has(device);
  }

  /** The element runs again on a live device: the notice goes. */
  clear(): void {
    if (!this.lost) return;
    this.lost = null;
    this.host.requestUpdate();
  }
}

export interface DeviceLostNotice {
  /** The element's `part` for notices ('message' or 'notice'). */
  part: string;
  /** What the element shows meanwhile, one sentence (e.g. "The table shows the last result."). */
  meanwhile?: string;
  restart(): void;
  /** More buttons after the restart one (the race's "Race on the CPU"). */
  actions?: TemplateResult;
}

export const kRestartLabel = 'Restart on a new device';

/** The notice for a lost device: what was lost and why, and the restart button. Nothing when `lost` is null. */
export function renderDeviceLost(lost: DeviceLostError | null, notice: DeviceLostNotice): TemplateResult | typeof nothing {
  if (!lost) return nothing;
  return html`<div class="notice warn device-lost" part=${notice.part} role="alert" data-reason=${lost.reason}>
    <p><strong>${lost.message}</strong> ${notice.meanwhile ?? ''} ${kRestartLabel} asks for a new GPU device and
      starts again from the current settings; the page need not be reloaded.</p>
    <div class="notice-actions">
      <button type="button" class="primary" data-action="restart-device" @click=${() => notice.restart()}>${kRestartLabel}</button>
      ${notice.actions ?? nothing}
    </div>
  </div>`;
}
