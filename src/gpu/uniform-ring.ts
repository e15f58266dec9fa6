/**
 * A uniform buffer of equal slots, each at an offset aligned for use as a dynamic offset: fill many
 * slots in CPU memory, flush() once, then encode many dispatches (one per slot) before one submit.
 * The optimizer steps, the MLP's iteration uniforms and the 2D race's gradient steps are all rings.
 */
export class UniformRing {
  readonly buffer: GPUBuffer;
  /** Bytes between two slots: the slot size rounded up to the device's offset alignment. */
  readonly stride: number;
  private readonly staging: ArrayBuffer;
  private readonly u32: Uint32Array<ArrayBuffer>;
  private readonly f32: Float32Array<ArrayBuffer>;

  constructor(
    private readonly device: GPUDevice,
    readonly slots: number,
    /** Bytes each slot's struct occupies (the binding size of one slot). */
    readonly slotBytes: number,
    label = 'UniformRing',
  ) {
    if (!Number.isInteger(slots) || slots < 1) throw new Error(`${label}: a uniform ring needs at least one slot, got ${slots}`);
    if (!Number.isInteger(slotBytes) || slotBytes < 4 || slotBytes % 4 !== 0)
      throw new Error(`${label}: slot size must be a positive multiple of 4 bytes, got ${slotBytes}`);
    const align = device.limits.minUniformBufferOffsetAlignment;
    this.stride = Math.ceil(slotBytes / align) * align;
    this.buffer = device.createBuffer({ label, size: this.stride * slots, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    this.staging = new ArrayBuffer(this.stride * slots);
    this.u32 = new Uint32Array(this.staging);
    this.f32 = new Float32Array(this.staging);
  }

  /** Byte offset of a slot: the dynamic offset to bind it with. */
  offset(slot: number): number {
    if (!Number.isInteger(slot) || slot < 0 || slot >= this.slots) throw new Error(`ring slot ${slot} is outside 0..${this.slots - 1}`);
    return slot * this.stride;
  }

  /** Writes a u32 word of a slot (in CPU memory; flush() uploads). */
  setU32(slot: number, word: number, value: number): void {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff)
      throw new Error(`a u32 uniform value must be a whole number from 0 to 2^32-1, got ${value}`);
    this.u32[this.word(slot, word)] = value;
  }

  /** Writes an f32 word of a slot (in CPU memory; flush() uploads). */
  setF32(slot: number, word: number, value: number): void {
    this.f32[this.word(slot, word)] = value;
  }

  /** Uploads slots [first, first + n). */
  flush(first = 0, n = this.slots - first): void {
    if (n <= 0) return;
    const begin = this.offset(first);
    this.device.queue.writeBuffer(this.buffer, begin, this.staging, begin, n * this.stride);
  }

  destroy(): void {
    this.buffer.destroy();
  }

  private word(slot: number, word: number): number {
    if (!Number.isInteger(word) || word < 0 || 4 * word >= this.slotBytes) throw new Error(`word ${word} is outside a ${this.slotBytes}-byte slot`);
    return this.offset(slot) / 4 + word;
  }
}
