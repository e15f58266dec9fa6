/**
 * The UI's device-lost watches (src/ui/device-loss.ts, used by <optimizer-race>'s DeviceController
 * and by GpuTaskController under <trajectory-race> and <init-histograms>) watch the page's shared
 * device, which outlives them. Their device.lost handlers must not keep a removed element's
 * controllers (and so the element) alive.
 */
import { describe, expect, it } from 'vitest';
import { DeviceLossWatcher } from '../src/ui/device-loss';
import { DeviceController } from '../src/ui/optimizer-race/device-controller';
import { TrajectoryRaceController } from '../src/ui/trajectory-race/race-controller';
import { collectGarbage } from './gc';

/** A device that is never lost: its `lost` reactions live as long as it does. */
const device = { lost: new Promise<GPUDeviceLostInfo>(() => undefined) } as unknown as GPUDevice;
const host = { addController: () => undefined, requestUpdate: () => undefined } as never;

/** The watcher a controller holds (its `loss` field), watching the shared device. */
function watched<T extends object>(controller: T): WeakRef<T> {
  const loss = (controller as unknown as { loss: DeviceLossWatcher }).loss;
  expect(loss).toBeInstanceOf(DeviceLossWatcher);
  loss.watch(device);
  return new WeakRef(controller);
}

describe('the device-lost watches', () => {
  it('do not keep a DeviceLossWatcher alive through the shared device', async () => {
    const refs = [0, 1, 2].map(() => {
      const watcher = new DeviceLossWatcher(host);
      watcher.watch(device);
      return new WeakRef(watcher);
    });
    await collectGarbage();
    expect(refs.filter((r) => r.deref() !== undefined)).toHaveLength(0);
  });

  it("do not keep <optimizer-race>'s DeviceController alive", async () => {
    const refs = [0, 1, 2].map(() => watched(new DeviceController(host, { preference: () => 'auto', askedBy: () => 'backend="auto"', inUse: () => false })));
    await collectGarbage();
    expect(refs.filter((r) => r.deref() !== undefined)).toHaveLength(0);
  });

  it("do not keep <trajectory-race>'s controller alive", async () => {
    const source = { config: () => null, backendPreference: () => 'cpu' as const, finished: () => undefined };
    const refs = [0, 1, 2].map(() => watched(new TrajectoryRaceController(host, source)));
    await collectGarbage();
    expect(refs.filter((r) => r.deref() !== undefined)).toHaveLength(0);
  });
});
