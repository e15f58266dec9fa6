/**
 * Getting a GPUDevice, in the browser (navigator.gpu) or in Node (pass the `GPU` from ./node-gpu).
 * Every failure becomes a WebGPUUnavailableError whose message says what to enable.
 */

export class WebGPUUnavailableError extends Error {
  override name = 'WebGPUUnavailableError';
  constructor(
    message: string,
    /** What was missing: the API (`navigator.gpu`), an adapter, or something else. */
    readonly missing: 'api' | 'adapter' | 'other' = 'other',
  ) {
    super(message);
  }
}

const kHowToEnable =
  'WebGPU is available in Chrome and Edge 113+ (desktop and Android), Safari 26+, and Firefox 141+ on Windows. ' +
  'On Linux Chrome, start it with --enable-unsafe-webgpu --enable-features=Vulkan. ' +
  'In Node, install a Vulkan driver (Mesa lavapipe works without a GPU).';

/** Throws a readable error unless a WebGPU entry point exists. */
export function assertWebGPU(gpu: GPU | undefined): asserts gpu is GPU {
  if (!gpu) throw new WebGPUUnavailableError(`This browser does not expose WebGPU (navigator.gpu is missing). ${kHowToEnable}`, 'api');
}

export function browserGpu(): GPU | undefined {
  return typeof navigator !== 'undefined' ? (navigator as Navigator & { gpu?: GPU }).gpu : undefined;
}

export interface DeviceOptions {
  gpu?: GPU;
  label?: string;
  /** Called once if the device is lost (driver reset, tab in background on some systems, destroy()). */
  onLost?: (info: GPUDeviceLostInfo) => void;
}

export async function requestGpuDevice(options: DeviceOptions = {}): Promise<GPUDevice> {
  const gpu = options.gpu ?? browserGpu();
  assertWebGPU(gpu);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new WebGPUUnavailableError(`WebGPU is present but no GPU adapter was found. ${kHowToEnable}`, 'adapter');
  const limits = adapter.limits;
  const device = await adapter.requestDevice({
    label: options.label ?? 'optimizer-race',
    requiredLimits: {
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxBufferSize: limits.maxBufferSize,
      maxStorageBuffersPerShaderStage: Math.min(limits.maxStorageBuffersPerShaderStage, 10),
    },
  });
  if (options.onLost) void device.lost.then(options.onLost);
  return device;
}

let shared: Promise<GPUDevice> | undefined;
/** The device `shared` resolved to, once it has. */
let sharedDevice: GPUDevice | undefined;

/** One device for the whole page: several components share it. A lost device is replaced on the next call. */
export function sharedGpuDevice(options: DeviceOptions = {}): Promise<GPUDevice> {
  if (!shared) {
    const attempt = requestGpuDevice(options);
    shared = attempt;
    sharedDevice = undefined;
    attempt.then(
      (device) => {
        if (shared === attempt) sharedDevice = device;
        void device.lost.then(() => forgetLostDevice(device));
      },
      () => {
        if (shared === attempt) shared = undefined;
      },
    );
  }
  return shared;
}

/**
 * Someone saw `device` lost (through a `lost` promise of its own, e.g. a wrapped one): if it is the
 * shared device, the next sharedGpuDevice() asks for a new one.
 */
export function forgetLostDevice(device: GPUDevice): void {
  if (sharedDevice !== device) return;
  shared = undefined;
  sharedDevice = undefined;
}

/** Runs `body` inside a validation error scope and throws the first validation error it raised. */
export async function withValidation<T>(device: GPUDevice, body: () => T | Promise<T>): Promise<T> {
  device.pushErrorScope('validation');
  let result: T;
  try {
    result = await body();
  } finally {
    const error = await device.popErrorScope();
    if (error) throw new Error(`WebGPU validation error: ${error.message}`);
  }
  return result;
}
