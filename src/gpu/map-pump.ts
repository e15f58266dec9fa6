/**
 * Mapping a buffer for reading without Firefox's delay. Firefox resolves mapAsync only when it
 * polls the device, about every 100 ms, so a read-back there costs up to 100 ms however little the
 * GPU had to do. Submitting empty command buffers while the map is pending makes it poll sooner
 * (jax-js does the same). Elsewhere the map is awaited as is.
 *
 * Tested here only as far as "the pump runs when the user agent says Firefox and stops once the
 * map settles" (test/map-pump.test.ts); how much it saves on a real Firefox is not measured here.
 */

/** Milliseconds between empty submits while a map is pending (timers clamp nested ones to ~4 ms). */
export const kPumpIntervalMs = 1;

export interface MapPumpOptions {
  /** Defaults to navigator.userAgent ('' where there is no navigator, as in Node). */
  userAgent?: string;
}

/** Whether mapAsync needs the queue kept moving: Firefox. */
export function needsMapPump(userAgent = defaultUserAgent()): boolean {
  return userAgent.includes('Firefox');
}

/** buffer.mapAsync(READ), with empty submits every kPumpIntervalMs until it settles where the browser is Firefox. */
export async function mapForReading(device: GPUDevice, buffer: GPUBuffer, options: MapPumpOptions = {}): Promise<void> {
  const mapped = buffer.mapAsync(GPUMapMode.READ);
  if (!needsMapPump(options.userAgent)) return mapped;
  let settled = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const pump = (): void => {
    if (settled) return;
    device.queue.submit([]);
    timer = setTimeout(pump, kPumpIntervalMs);
  };
  timer = setTimeout(pump, 0);
  try {
    await mapped;
  } finally {
    settled = true;
    clearTimeout(timer);
  }
}

function defaultUserAgent(): string {
  return typeof navigator !== 'undefined' && typeof navigator.userAgent === 'string' ? navigator.userAgent : '';
}
