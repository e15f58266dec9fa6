/**
 * GPU plumbing shared by the MLP passes: the per-layer uniform, the per-iteration uniform ring
 * (dynamic offsets), the racers' activation codes, the bindings a pass's layout lists, and the
 * bind group + grid a pass records (./compute-pass.ts owns the pipeline and the dispatch).
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
    this.buffer = uniformBuffer(device, label, layerUniformWords(shape));
  }

  destroy(): void {
    this.buffer.destroy();
  }
}

/** A uniform buffer holding `words` (a pass's binding that uses it owns it). */
export function uniformBuffer(device: GPUDevice, label: string, words: Uint32Array<ArrayBuffer>): GPUBuffer {
  const buffer = device.createBuffer({ label, size: words.byteLength, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(buffer, 0, words);
  return buffer;
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

/**
 * One binding of a pass's layout, numbered by its place in the pass's list: a storage buffer's
 * access, or a uniform's layout (uniformLayout, kRingLayout).
 */
export type BindingKind = GPUBufferBindingType | GPUBufferBindingLayout;

export const uniformLayout = (minBindingSize: number): GPUBufferBindingLayout => ({ type: 'uniform', minBindingSize });
export const kLayerLayout = uniformLayout(kLayerBytes);
/** An IterationRing slot, bound with a dynamic offset. */
export const kRingLayout: GPUBufferBindingLayout = { type: 'uniform', hasDynamicOffset: true, minBindingSize: kIterationBytes };

/** The layout entries of `kinds`, bindings 0, 1, ... in order. */
export function layoutEntries(kinds: readonly BindingKind[]): GPUBindGroupLayoutEntry[] {
  return kinds.map((kind, binding) => ({ binding, visibility: GPUShaderStage.COMPUTE, buffer: typeof kind === 'string' ? { type: kind } : kind }));
}

/** One slot's worth of an IterationRing, the dynamic offset choosing which. */
export const ringSlot = (ring: IterationRing): GPUBufferBinding => ({ buffer: ring.buffer, size: kIterationBytes });
