/**
 * One object per GPUDevice (pipelines compile once per device and are shared by every element on
 * the page). Keyed weakly, so a lost or destroyed device takes its object with it.
 */
export function perDevice<T>(create: (device: GPUDevice) => T): (device: GPUDevice) => T {
  const byDevice = new WeakMap<GPUDevice, T>();
  return (device) => {
    let value = byDevice.get(device);
    if (value === undefined) {
      value = create(device);
      byDevice.set(device, value);
    }
    return value;
  };
}
