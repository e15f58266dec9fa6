/**
 * A lost GPU device in each of the four elements, both ways a device goes: (a) destroy() from
 * outside, (b) a `lost` promise resolved with reason 'unknown' (a driver reset cannot be caused from
 * a test, so the shared device's `lost` is replaced, before the element subscribes, by a promise the
 * test resolves). Each element says the device was lost and why, and its "Restart on a new device"
 * asks sharedGpuDevice for a new device and computes (or races) again from its current settings.
 * Then two elements on one page: one on a device of its own keeps working while the other's is
 * lost; two on the shared device both show the notice, and each restarts onto the new device.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { requestGpuDevice, sharedGpuDevice } from '../src/gpu/device';
import '../src/ui/adam-steps/adam-steps';
import '../src/ui/init-histograms/init-histograms';
import '../src/ui/trajectory-race/trajectory-race';
import { kRestartLabel } from '../src/ui/device-loss';
import { hasWebGPU, mount as mountRace, useOptimizerRaceHarness } from './optimizer-race-harness';
import { until } from './fixtures/element-probes';
import { shadow } from './fixtures/own-property';

useOptimizerRaceHarness();

type LossKind = 'destroy' | 'unknown';
const kKinds: LossKind[] = ['destroy', 'unknown'];
const kExpected: Record<LossKind, RegExp> = {
  destroy: /The GPU device was lost \(destroyed\)/,
  unknown: /The GPU device was lost \(unknown\): test\./,
};

/** Devices a test made or left alive (a fake loss leaves the device working): destroyed afterwards. */
const alive: GPUDevice[] = [];
afterEach(async () => {
  const devices = alive.splice(0);
  for (const device of devices) device.destroy();
  // The next test's sharedGpuDevice() must not hand out a device whose loss is still on its way.
  await Promise.all(devices.map((d) => d.lost));
  await new Promise((resolve) => setTimeout(resolve, 0));
});

/** The page's shared device, with `lose()` taking it away the `kind` way. */
async function armLoss(kind: LossKind): Promise<{ device: GPUDevice; lose: () => void }> {
  const device = await sharedGpuDevice();
  if (kind === 'destroy') return { device, lose: () => device.destroy() };
  alive.push(device);
  let resolve!: (info: GPUDeviceLostInfo) => void;
  const lost = new Promise<GPUDeviceLostInfo>((r) => {
    resolve = r;
  });
  shadow(device, 'lost', lost);
  return { device, lose: () => resolve({ reason: 'unknown', message: 'test' } as GPUDeviceLostInfo) };
}

interface ComputingElement extends HTMLElement {
  readonly backend: 'webgpu' | 'cpu' | null;
  updateComplete: Promise<boolean>;
}

interface ElementSpec {
  tag: string;
  attributes: Record<string, string>;
  /** The event each computation fires. */
  event: string;
  /** Changes a setting (a new computation follows). */
  change(el: HTMLElement): void;
}

const kElements: ElementSpec[] = [
  {
    tag: 'trajectory-race',
    attributes: { steps: '5' },
    event: 'race-finished',
    change: (el) => el.setAttribute('steps', '6'),
  },
  {
    tag: 'adam-steps',
    attributes: { steps: '2' },
    event: 'steps-computed',
    change: (el) => el.setAttribute('steps', '3'),
  },
  {
    tag: 'init-histograms',
    attributes: { layers: '2', nodes: '16', samples: '32' },
    event: 'histograms-computed',
    change: (el) => el.setAttribute('samples', '33'),
  },
];

const next = (el: HTMLElement, event: string): Promise<Event> => new Promise((resolve) => el.addEventListener(event, resolve, { once: true }));
const notice = (el: HTMLElement): HTMLElement | null => el.shadowRoot!.querySelector<HTMLElement>('.device-lost');
const noticeText = (el: HTMLElement): string => (notice(el)?.textContent ?? '').replace(/\s+/g, ' ');
const restartButton = (el: HTMLElement): HTMLButtonElement => {
  const button = notice(el)?.querySelector<HTMLButtonElement>('[data-action="restart-device"]');
  if (!button) throw new Error(`no restart button in <${el.localName}>`);
  return button;
};

async function mountComputing(spec: ElementSpec, extra: Partial<Record<string, unknown>> = {}): Promise<ComputingElement> {
  const el = document.createElement(spec.tag) as ComputingElement;
  for (const [name, value] of Object.entries(spec.attributes)) el.setAttribute(name, value);
  Object.assign(el, extra);
  const computed = next(el, spec.event);
  document.body.append(el);
  await computed;
  return el;
}

describe('a lost GPU device', () => {
  for (const spec of kElements) {
    for (const kind of kKinds) {
      it(`<${spec.tag}>: ${kind === 'destroy' ? 'destroy() from outside' : "lost with reason 'unknown'"} shows the notice; the restart computes again on a new device`, async (ctx) => {
        if (!hasWebGPU()) return ctx.skip();
        const { device, lose } = await armLoss(kind);
        const el = await mountComputing(spec);
        expect(el.backend).toBe('webgpu');
        expect(notice(el)).toBeNull();

        lose();
        await until('the device-lost notice', () => notice(el));
        expect(noticeText(el)).toMatch(kExpected[kind]);
        expect(notice(el)!.dataset.reason).toBe(kind === 'destroy' ? 'destroyed' : 'unknown');
        expect(restartButton(el).textContent?.trim()).toBe(kRestartLabel);

        const again = next(el, spec.event);
        restartButton(el).click();
        await again;
        await el.updateComplete;
        expect(el.backend).toBe('webgpu');
        expect(notice(el)).toBeNull();
        const replacement = await sharedGpuDevice();
        expect(replacement).not.toBe(device);
        alive.push(replacement);
      });
    }
  }

  for (const kind of kKinds) {
    it(`<optimizer-race>: ${kind === 'destroy' ? 'destroy() from outside' : "lost with reason 'unknown'"} mid-race shows the notice; the restart races again on a new device`, async (ctx) => {
      if (!hasWebGPU()) return ctx.skip();
      const { device, lose } = await armLoss(kind);
      const el = await mountRace({ iterations: '500', 'batch-size': '8', 'eval-every': '500', racers: '[{"optimizer":"adam"}]' });
      const progressed = next(el, 'race-progress');
      const run = el.start();
      await progressed;
      lose();
      await run;
      await until('the device-lost notice', () => notice(el));
      expect(el.status).toBe('error');
      expect(noticeText(el)).toMatch(kExpected[kind]);
      const buttons = [...notice(el)!.querySelectorAll('button')].map((b) => b.textContent?.trim());
      expect(buttons).toEqual([kRestartLabel, 'Race on WebAssembly', 'Race on the CPU']);
      // The engine's DeviceLostError is not repeated as an error notice under the device-lost one.
      expect(el.shadowRoot!.querySelector('.notice.error')).toBeNull();

      const racing = next(el, 'race-progress');
      restartButton(el).click();
      await racing;
      await el.updateComplete;
      expect(notice(el)).toBeNull();
      expect(el.activeBackend).toBe('webgpu');
      expect(['running', 'finished']).toContain(el.status);
      expect(el.history[0].losses.length).toBeGreaterThan(0);
      expect(el.iterations).toBe(500);
      const replacement = await sharedGpuDevice();
      expect(replacement).not.toBe(device);
      el.pause();
      alive.push(replacement);
    }, 120_000);
  }
});

describe('two elements on one page', () => {
  it('one on a device of its own keeps computing on WebGPU while the shared device is lost', async (ctx) => {
    if (!hasWebGPU()) return ctx.skip();
    const own = await requestGpuDevice({ label: 'own' });
    alive.push(own);
    const { lose } = await armLoss('destroy');
    const race = await mountComputing(kElements[0]);
    const steps = await mountComputing(kElements[1], { deviceSource: () => Promise.resolve(own) });
    expect([race.backend, steps.backend]).toEqual(['webgpu', 'webgpu']);

    lose();
    await until('the notice in <trajectory-race>', () => notice(race));
    const recomputed = next(steps, 'steps-computed');
    kElements[1].change(steps);
    await recomputed;
    await steps.updateComplete;
    expect(steps.backend).toBe('webgpu');
    expect(notice(steps)).toBeNull();

    const again = next(race, 'race-finished');
    restartButton(race).click();
    await again;
    expect(race.backend).toBe('webgpu');
    alive.push(await sharedGpuDevice());
  });

  it('both on the shared device show the notice; one restarts, the other moves to the new device on its next computation', async (ctx) => {
    if (!hasWebGPU()) return ctx.skip();
    const { device, lose } = await armLoss('unknown');
    const race = await mountComputing(kElements[0]);
    const histograms = await mountComputing(kElements[2]);

    lose();
    await until('both notices', () => notice(race) && notice(histograms));
    expect(noticeText(race)).toMatch(kExpected.unknown);
    expect(noticeText(histograms)).toMatch(kExpected.unknown);

    const raced = next(race, 'race-finished');
    restartButton(race).click();
    await raced;
    await race.updateComplete;
    expect(race.backend).toBe('webgpu');
    expect(notice(race)).toBeNull();
    const replacement = await sharedGpuDevice();
    expect(replacement).not.toBe(device);
    alive.push(replacement);
    // Its own notice and button stay until it computes again.
    expect(notice(histograms)).not.toBeNull();

    const computed = next(histograms, 'histograms-computed');
    kElements[2].change(histograms);
    await computed;
    await histograms.updateComplete;
    expect(histograms.backend).toBe('webgpu');
    expect(notice(histograms)).toBeNull();
    expect(await sharedGpuDevice()).toBe(replacement);
  });
});
