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
