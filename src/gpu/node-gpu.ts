/**
 * WebGPU in Node through Dawn (the `webgpu` npm package). Without a GPU it runs on a Vulkan
 * driver for the CPU: Mesa's lavapipe, or Chromium's SwiftShader via VK_ICD_FILENAMES.
 * Only Node code (the CLI, benchmarks, tests) imports this file.
 */
import { WebGPUUnavailableError } from './device';

let cached: GPU | undefined;

export async function nodeGpu(): Promise<GPU> {
  if (cached) return cached;
  let mod: typeof import('webgpu');
  try {
    mod = await import('webgpu');
  } catch (cause) {
    throw new WebGPUUnavailableError(`The 'webgpu' package (Dawn for Node) could not be loaded: ${String(cause)}`);
  }
  Object.assign(globalThis, mod.globals);
  cached = mod.create([]);
  return cached;
}
