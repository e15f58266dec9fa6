/**
 * Counts a GPUDevice's live buffers: wraps the device's createBuffer and each buffer's destroy,
 * live = created minus destroyed (a buffer destroyed twice counts once). Node (Dawn) and the
 * browser alike; restore() puts createBuffer back.
 */
export interface LiveBuffers {
  /** Buffers created since the wrap and not destroyed yet. */
  count(): number;
  /** Their labels, sorted (what a leak is made of). */
  labels(): string[];
  restore(): void;
}

export function countLiveBuffers(device: GPUDevice): LiveBuffers {
  const live = new Set<GPUBuffer>();
  const own = Object.hasOwn(device, 'createBuffer');
  const original = device.createBuffer;
  device.createBuffer = function (this: GPUDevice, descriptor: GPUBufferDescriptor): GPUBuffer {
    const buffer = original.call(this, descriptor);
    live.add(buffer);
    const destroy = buffer.destroy;
    buffer.destroy = function (this: GPUBuffer): undefined {
      live.delete(buffer);
      return destroy.call(this);
    };
    return buffer;
  };
  return {
    count: () => live.size,
    labels: () => [...live].map((b) => b.label).sort(),
    restore: () => {
      if (own) device.createBuffer = original;
      else delete (device as { createBuffer?: unknown }).createBuffer;
    },
  };
}
