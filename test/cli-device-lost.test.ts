/**
 * `mnist` and `trajectory` on webgpu when the device is lost mid-run: the command's run() (what
 * main.ts calls) rejects with one line that names the loss and suggests running again or
 * `--backend cpu`; main prints it as `error: ...` with exit code 1 (it is not a UsageError).
 * The loss is real: the Dawn device the command opened is destroyed from inside the process, right
 * after the command's Nth queue.submit (the Dawn adapter's requestDevice is wrapped to reach the device).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../src/cli/args';
import { DeviceLostRunError } from '../src/cli/backend';
import { mnistCommand } from '../src/cli/mnist';
import { trajectoryCommand } from '../src/cli/trajectory';
import { nodeGpu } from '../src/gpu/node-gpu';
import { shadow } from './fixtures/own-property';
import { writeFakeMnistDir } from './fixtures/idx-fixtures';
import { testDevice } from './gpu';

let webgpu = false;
let dataDir: string;

beforeAll(async () => {
  const device = await testDevice();
  webgpu = device !== undefined;
  device?.destroy();
  dataDir = mkdtempSync(join(tmpdir(), 'cli-device-lost-'));
  writeFakeMnistDir(dataDir, 256, 64);
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/**
 * The next device the CLI opens is lost right after its `afterSubmits`-th queue.submit: destroyed,
 * or (`unknown`) its `lost` promise, replaced before anyone subscribes, resolves with reason 'unknown'.
 * The seam is the process's one Dawn GPU object (nodeGpu() caches it): its next adapter's next
 * requestDevice is wrapped, so the test needs no module mock (the node project shares modules
 * between files: isolate false).
 */
async function loseDeviceAfter(afterSubmits: number, kind: 'destroy' | 'unknown' = 'destroy'): Promise<void> {
  const gpu = await nodeGpu();
  const requestAdapter = gpu.requestAdapter.bind(gpu);
  // Back to the prototype's method once the device is made.
  const restore = shadow(gpu, 'requestAdapter', async (options?: GPURequestAdapterOptions) => {
    const adapter = await requestAdapter(options);
    if (!adapter) return adapter;
    const requestDevice = adapter.requestDevice.bind(adapter);
    shadow(adapter, 'requestDevice', async (descriptor?: GPUDeviceDescriptor) => {
      restore();
      const device = await requestDevice(descriptor);
      let resolveLost!: (info: GPUDeviceLostInfo) => void;
      const lost = new Promise<GPUDeviceLostInfo>((resolve) => {
        resolveLost = resolve;
      });
      if (kind === 'unknown') shadow(device, 'lost', lost);
      const lose = (): void => (kind === 'destroy' ? device.destroy() : resolveLost({ reason: 'unknown', message: 'test' } as GPUDeviceLostInfo));
      const queue = device.queue;
      const submit = queue.submit.bind(queue);
      let submits = 0;
      shadow(queue, 'submit', (buffers: Iterable<GPUCommandBuffer>) => {
        submit(buffers);
        if (++submits === afterSubmits) lose();
      });
      return device;
    });
    return adapter;
  });
}

async function failure(run: Promise<number>): Promise<Error> {
  const error = await run.then(
    () => new Error('the run did not fail'),
    (e: unknown) => e as Error,
  );
  return error;
}

describe('the CLI on a lost device', () => {
  const stdout: string[] = [];
  beforeAll(() => {
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdout.push(String(chunk));
      return true;
    });
  });
  afterAll(() => vi.restoreAllMocks());

  it('mnist: one line naming the loss and what to do, exit code 1', async (ctx) => {
    if (!webgpu) return ctx.skip();
    await loseDeviceAfter(3);
    const error = await failure(
      mnistCommand.run(['--backend', 'webgpu', '--data', dataDir, '--iterations', '200', '--batch', '8', '--eval-every', '200', '--optimizers', 'sgd,adam']),
    );
    expect(error).toBeInstanceOf(DeviceLostRunError);
    expect(error).not.toBeInstanceOf(UsageError);
    expect(error.message).toMatch(
      /^The GPU device was lost \(destroyed\): .*\. The run stopped; run it again, or use --backend cpu for the TypeScript reference\.$/,
    );
    expect(error.message).not.toMatch(/\n/);
    // It had started: the header lines were printed before the loss.
    expect(stdout.join('')).toMatch(/MNIST race: SGD, Adam/);
  });

  it("mnist: a loss with reason 'unknown' says so", async (ctx) => {
    if (!webgpu) return ctx.skip();
    await loseDeviceAfter(3, 'unknown');
    const error = await failure(
      mnistCommand.run(['--backend', 'webgpu', '--data', dataDir, '--iterations', '200', '--batch', '8', '--eval-every', '200', '--optimizers', 'adam']),
    );
    expect(error).toBeInstanceOf(DeviceLostRunError);
    expect(error.message).toBe('The GPU device was lost (unknown): test. The run stopped; run it again, or use --backend cpu for the TypeScript reference.');
  });

  it('trajectory: the same line, exit code 1', async (ctx) => {
    if (!webgpu) return ctx.skip();
    await loseDeviceAfter(1);
    const error = await failure(trajectoryCommand.run(['--steps', '50']));
    expect(error).toBeInstanceOf(DeviceLostRunError);
    expect(error.message).toMatch(/^The GPU device was lost \(destroyed\): .*--backend cpu for the TypeScript reference\.$/);
  });

  it("trajectory: a loss with reason 'unknown' during the run fails it, even when the read-back returned", async (ctx) => {
    if (!webgpu) return ctx.skip();
    await loseDeviceAfter(1, 'unknown');
    const error = await failure(trajectoryCommand.run(['--steps', '50']));
    expect(error).toBeInstanceOf(DeviceLostRunError);
    expect(error.message).toBe('The GPU device was lost (unknown): test. The run stopped; run it again, or use --backend cpu for the TypeScript reference.');
  });

  it('a run that is not hit by a loss is unchanged', async (ctx) => {
    if (!webgpu) return ctx.skip();
    await expect(trajectoryCommand.run(['--steps', '3'])).resolves.toBe(0);
  });
});
