/**
 * The UI's device-lost watches: <optimizer-race>'s DeviceController and <trajectory-race>'s
 * controller watch the page's shared device, which outlives them. Their device.lost handlers must
 * not keep a removed element's controller (and so the element) alive.
 */
import { describe, expect, it } from 'vitest';
import { DeviceController } from '../src/ui/optimizer-race/device-controller';
import { TrajectoryRaceController } from '../src/ui/trajectory-race/race-controller';
import { collectGarbage } from './gc';

/** A device that is never lost: its `lost` reactions live as long as it does. */
const device = { lost: new Promise<GPUDeviceLostInfo>(() => undefined) } as unknown as GPUDevice;
const host = { addController: () => undefined, requestUpdate: () => undefined } as never;

function watchedController(): WeakRef<DeviceController> {
  const controller = new DeviceController(host, { forceCpu: () => false, inUse: () => false });
  (controller as unknown as { watch(device: GPUDevice): void }).watch(device);
  return new WeakRef(controller);
}

describe("the optimizer race's device-lost watch", () => {
  it('does not keep a DeviceController alive through the shared device', async () => {
    const refs = [watchedController(), watchedController(), watchedController()];
    await collectGarbage();
    expect(refs.filter((r) => r.deref() !== undefined)).toHaveLength(0);
  });
});

function watchedTrajectoryController(): WeakRef<TrajectoryRaceController> {
  const source = { config: () => null, backendPreference: () => 'cpu' as const, finished: () => undefined };
  const controller = new TrajectoryRaceController(host, source);
  (controller as unknown as { deviceUsed(device: GPUDevice): void }).deviceUsed(device);
  return new WeakRef(controller);
}

describe("the trajectory race's device-lost watch", () => {
  it('does not keep a TrajectoryRaceController alive through the shared device', async () => {
    const refs = [watchedTrajectoryController(), watchedTrajectoryController(), watchedTrajectoryController()];
    await collectGarbage();
    expect(refs.filter((r) => r.deref() !== undefined)).toHaveLength(0);
  });
});
