/**
 * The error a GPU computation throws once its device is lost (driver reset, sleep, destroy()):
 * callers tell it apart with `instanceof DeviceLostError` instead of reading its message.
 */

/** The parts of a GPUDeviceLostInfo the error keeps (Node's WebGPU and tests pass plain objects). */
export interface DeviceLostReport {
  readonly reason: GPUDeviceLostReason;
  readonly message: string;
}

export class DeviceLostError extends Error {
  override name = 'DeviceLostError';
  /** Why the device went: 'destroyed' (by destroy()) or 'unknown' (driver reset and the like). */
  readonly reason: GPUDeviceLostReason;
  /** The implementation's own words, possibly empty. */
  readonly detail: string;

  constructor(info: DeviceLostReport) {
    super(`The GPU device was lost (${info.reason}): ${(info.message || 'no reason given').replace(/\.?\s*$/, '')}.`);
    this.reason = info.reason;
    this.detail = info.message;
  }
}

/** Whether a device is lost yet: `info` stays null until then. */
export interface DeviceLostState {
  readonly info: GPUDeviceLostInfo | null;
}

const lostStates = new WeakMap<GPUDevice, { info: GPUDeviceLostInfo | null }>();

/**
 * The device's loss, watched once per device: objects that only need to know whether their device
 * is gone read this instead of each adding a `device.lost.then(...)` of their own, whose closure
 * the device would keep (with everything it reaches) until it is lost.
 */
export function deviceLostState(device: GPUDevice): DeviceLostState {
  let state = lostStates.get(device);
  if (!state) {
    const created: { info: GPUDeviceLostInfo | null } = { info: null };
    lostStates.set(device, created);
    void device.lost.then((info) => {
      created.info = info;
    });
    state = created;
  }
  return state;
}
