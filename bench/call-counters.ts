/**
 * Counts GPU work the way any page could: by wrapping the WebGPU (and WebGL) prototype methods
 * before the code under test runs. It counts TF.js's dispatches and submits, and ours as a
 * cross-check of GpuRaceBackend.stats. Works in the browser and in Node once the `webgpu`
 * package's globals are installed (nodeGpu()).
 */

export interface CallCounts {
  dispatches: number;
  submits: number;
  /** WebGL draw calls (TF.js's WebGL backend runs each op as a draw). */
  draws: number;
}

const counts: CallCounts = { dispatches: 0, submits: 0, draws: 0 };
let installed = false;

type Method = (...args: unknown[]) => unknown;

function wrap(owner: { prototype: object } | undefined, names: string[], key: keyof CallCounts): void {
  if (!owner) return;
  const proto = owner.prototype as Record<string, Method>;
  for (const name of names) {
    const original = proto[name];
    if (typeof original !== 'function') continue;
    proto[name] = function counted(this: unknown, ...args: unknown[]): unknown {
      counts[key] += 1;
      return original.apply(this, args);
    };
  }
}

/** Wraps the prototypes once; later calls do nothing. Returns false when WebGPU's classes are missing. */
export function installCallCounters(): boolean {
  const g = globalThis as unknown as Record<string, { prototype: object } | undefined>;
  if (!g.GPUComputePassEncoder || !g.GPUQueue) return false;
  if (installed) return true;
  installed = true;
  wrap(g.GPUComputePassEncoder, ['dispatchWorkgroups', 'dispatchWorkgroupsIndirect'], 'dispatches');
  wrap(g.GPUQueue, ['submit'], 'submits');
  wrap(g.WebGL2RenderingContext, ['drawArrays', 'drawElements'], 'draws');
  wrap(g.WebGLRenderingContext, ['drawArrays', 'drawElements'], 'draws');
  return true;
}

export function callCounts(): CallCounts {
  return { ...counts };
}

export function countsSince(start: CallCounts): CallCounts {
  return { dispatches: counts.dispatches - start.dispatches, submits: counts.submits - start.submits, draws: counts.draws - start.draws };
}
