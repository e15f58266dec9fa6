/**
 * GPU plumbing shared by the MLP passes: the per-layer uniform, the per-iteration uniform ring
 * (dynamic offsets), the racers' activation codes, and the bind group + grid a pass records.
 */
import { UniformRing } from '../gpu/uniform-ring';
import { activationCode, type Activation } from './layout';
import { layerUniformWords, type LayerShape } from './shape';

/** A pass's bind group and dispatch grid, plus uniform buffers it created (destroy() frees them). */
export class PassBinding {
  constructor(
    readonly bindGroup: GPUBindGroup,
    readonly groups: readonly [number, number, number],
    private readonly owned: readonly GPUBuffer[] = [],
  ) {}

  destroy(): void {
    for (const b of this.owned) b.destroy();
  }
}

const kLayerBytes = 48; // sizeof(Layer) in common.wgsl

/** The Layer uniform of one layer of all racers; one per layer serves all three affine passes. */
export class LayerUniform {
  readonly buffer: GPUBuffer;

  constructor(
    device: GPUDevice,
    readonly shape: LayerShape,
    label = 'Layer.uniform',
  ) {
    this.buffer = device.createBuffer({ label, size: kLayerBytes, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    device.queue.writeBuffer(this.buffer, 0, layerUniformWords(shape));
  }

  destroy(): void {
    this.buffer.destroy();
  }
}

/** One u32 activation code per racer (the kernels' racerActivations binding). */
export function createRacerActivations(device: GPUDevice, activations: readonly Activation[], label = 'racerActivations'): GPUBuffer {
  if (activations.length === 0) throw new Error('at least one racer activation is needed');
  const codes = Uint32Array.from(activations, (a) => {
    const code = activationCode(a);
    if (code < 0) throw new Error(`unknown activation '${a}'`);
    return code;
  });
  const buffer = device.createBuffer({ label, size: codes.byteLength, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(buffer, 0, codes);
  return buffer;
}

export interface IterationValues {
  /** 0-based training iteration: selects the minibatch. */
  iteration?: number;
  /** Row of the per-racer result buffers: losses[slot * R + r], correct[slot * R + r]. */
  slot?: number;
  /** First image of a sequential (evaluation) gather. */
  first?: number;
}

export const kIterationBytes = 16; // sizeof(Iteration) in iteration.wgsl

/**
 * Slots of the WGSL Iteration struct (a UniformRing): fill many with set(), flush() once, then
 * encode many iterations before one submit.
 */
export class IterationRing extends UniformRing {
  constructor(device: GPUDevice, slots: number, label = 'IterationRing') {
    super(device, slots, kIterationBytes, label);
  }

  /** Fills a slot in CPU memory; flush() uploads it. */
  set(slot: number, values: IterationValues): void {
    this.setU32(slot, 0, values.iteration ?? 0);
    this.setU32(slot, 1, values.slot ?? 0);
    this.setU32(slot, 2, values.first ?? 0);
  }
}

/** Throws a clear message when a buffer is too small for what a pass will touch. */
export function requireBytes(pass: string, what: string, buffer: GPUBuffer, bytes: number): void {
  if (buffer.size < bytes) {
    throw new Error(`${pass}: ${what} ('${buffer.label}') has ${buffer.size} bytes, needs at least ${bytes}`);
  }
}

export function requireGroups(pass: string, device: GPUDevice, groups: readonly number[]): readonly [number, number, number] {
  const limit = device.limits.maxComputeWorkgroupsPerDimension;
  if (groups.some((g) => g > limit)) throw new Error(`${pass}: grid ${groups.join('x')} exceeds ${limit} workgroups per dimension`);
  return [groups[0], groups[1], groups[2]];
}

export function storageEntry(binding: number, type: GPUBufferBindingType): GPUBindGroupLayoutEntry {
  return { binding, visibility: GPUShaderStage.COMPUTE, buffer: { type } };
}
