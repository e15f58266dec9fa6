/**
 * The Firefox map pump (src/gpu/map-pump.ts): empty submits while a read-back map is pending, only
 * where the user agent says Firefox, stopping once the map settles. Real Firefox timing (whether
 * the map then resolves sooner than its ~100 ms poll) cannot be measured here and is not.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createBuffer, storageUsage } from '../src/gpu/buffers';
import { mapForReading, needsMapPump } from '../src/gpu/map-pump';
import { testDevice } from './gpu';

const kFirefox = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:141.0) Gecko/20100101 Firefox/141.0';
const kChrome = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';

let device: GPUDevice | undefined;
beforeAll(async () => {
  device = await testDevice();
});
afterAll(() => device?.destroy());

/** A device that counts submits and a buffer whose map settles when the test says. */
function fakes() {
  let submits = 0;
  let settle!: (error?: Error) => void;
  const device = { queue: { submit: () => void (submits += 1) } } as unknown as GPUDevice;
  const buffer = {
    mapAsync: () =>
      new Promise<undefined>((resolve, reject) => {
        settle = (error) => (error ? reject(error) : resolve(undefined));
      }),
  } as unknown as GPUBuffer;
  return { device, buffer, submits: () => submits, settle: (error?: Error) => settle(error) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the Firefox map pump', () => {
  beforeAll(() => {
    if (typeof GPUMapMode === 'undefined') vi.stubGlobal('GPUMapMode', { READ: 1, WRITE: 2 });
  });

  it('is needed only where the user agent says Firefox', () => {
    expect(needsMapPump(kFirefox)).toBe(true);
    expect(needsMapPump(kChrome)).toBe(false);
    expect(needsMapPump('')).toBe(false);
  });

  it('submits empty command buffers while the map is pending, and stops once it resolves', async () => {
    const f = fakes();
    const mapped = mapForReading(f.device, f.buffer, { userAgent: kFirefox });
    await sleep(50);
    const during = f.submits();
    expect(during).toBeGreaterThan(2);
    f.settle();
    await mapped;
    const atEnd = f.submits();
    await sleep(50);
    expect(f.submits()).toBe(atEnd);
  });

  it('stops when the map fails too, passing the failure on', async () => {
    const f = fakes();
    const mapped = mapForReading(f.device, f.buffer, { userAgent: kFirefox });
    await sleep(20);
    f.settle(new Error('device lost'));
    await expect(mapped).rejects.toThrow('device lost');
    const atEnd = f.submits();
    expect(atEnd).toBeGreaterThan(0);
    await sleep(50);
    expect(f.submits()).toBe(atEnd);
  });

  it('does not submit anything elsewhere', async () => {
    const f = fakes();
    const mapped = mapForReading(f.device, f.buffer, { userAgent: kChrome });
    await sleep(30);
    f.settle();
    await mapped;
    expect(f.submits()).toBe(0);
  });

  it('maps a real buffer with the pump on (Dawn told it is Firefox)', async (ctx) => {
    if (!device) return ctx.skip();
    const values = Float32Array.from({ length: 64 }, (_, i) => i / 4);
    const source = createBuffer(device, 'pump.source', storageUsage(), values);
    const staging = device.createBuffer({ label: 'pump.readback', size: values.byteLength, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(source, 0, staging, 0, values.byteLength);
    device.queue.submit([encoder.finish()]);
    const submit = vi.spyOn(device.queue, 'submit');
    await mapForReading(device, staging, { userAgent: kFirefox });
    expect(Array.from(new Float32Array(staging.getMappedRange()))).toEqual(Array.from(values));
    staging.unmap();
    const atEnd = submit.mock.calls.length;
    expect(submit.mock.calls.every(([buffers]) => [...buffers].length === 0)).toBe(true);
    await sleep(20);
    expect(submit.mock.calls.length).toBe(atEnd);
    submit.mockRestore();
    staging.destroy();
    source.destroy();
  });
});
