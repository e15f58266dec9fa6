/** Small helpers for labelled buffers and read-back. */
import { mapForReading } from './map-pump';

export function createBuffer(device: GPUDevice, label: string, usage: GPUBufferUsageFlags, dataOrSize: ArrayBufferView | number): GPUBuffer {
  const size = typeof dataOrSize === 'number' ? dataOrSize : dataOrSize.byteLength;
  // Buffers must be non-empty and 4-byte aligned.
  const buffer = device.createBuffer({ label, usage, size: Math.max(4, Math.ceil(size / 4) * 4) });
  if (typeof dataOrSize !== 'number' && size > 0) {
    device.queue.writeBuffer(buffer, 0, dataOrSize.buffer, dataOrSize.byteOffset, size);
  }
  return buffer;
}

/** Usage of a buffer that kernels read and write, that we fill from the CPU and read back. */
export function storageUsage(): GPUBufferUsageFlags {
  return GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
}

/** Copies `size` bytes of `source` to a mappable buffer and returns them as a Float32Array. */
export async function readFloat32(device: GPUDevice, source: GPUBuffer, size = source.size, offset = 0): Promise<Float32Array> {
  const staging = device.createBuffer({ label: `${source.label}.readback`, size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const encoder = device.createCommandEncoder({ label: 'readFloat32' });
  encoder.copyBufferToBuffer(source, offset, staging, 0, size);
  device.queue.submit([encoder.finish()]);
  await mapForReading(device, staging);
  const copy = new Float32Array(staging.getMappedRange().slice(0));
  staging.unmap();
  staging.destroy();
  return copy;
}
