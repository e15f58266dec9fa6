/**
 * The per-step record of the optimizer kernels, a named struct: the racer's slice of the shared
 * buffers (offset, count) followed by the optimizer's own scalars, named in its registry entry
 * (`stepFields`: lr, beta1, beta2, correction, eps, ...). The WGSL struct is generated from the same
 * list, so a kernel reads `step.beta1` and the CPU writes `beta1`: no positional tuple to keep in sync.
 * Records live in one storage buffer, records[slot * R + racer], so one dispatch per optimizer serves
 * all of its racers; every optimizer's struct is padded to the same size so they share the buffer.
 */

/** Scalars an optimizer may put in its step (AdamW needs six: lr, beta1, beta2, weight decay, correction, eps). */
export const kMaxStepScalars = 10;
/** Two u32 words (offset, count), then the scalars. */
export const kStepWords = 2 + kMaxStepScalars;
export const kStepBytes = 4 * kStepWords;

const kWgslIdentifier = /^[A-Za-z][A-Za-z0-9_]*$/;
const kReservedFields = ['offset', 'count'];

/** Throws unless `fields` can name the scalars of a step struct. */
export function checkStepFields(owner: string, fields: readonly string[]): void {
  if (fields.length > kMaxStepScalars) throw new Error(`${owner}: at most ${kMaxStepScalars} step scalars, got ${fields.length}`);
  for (const f of fields) {
    if (!kWgslIdentifier.test(f) || kReservedFields.includes(f))
      throw new Error(`${owner}: '${f}' cannot name a step scalar (a WGSL identifier other than offset and count)`);
  }
  if (new Set(fields).size !== fields.length) throw new Error(`${owner}: step scalars must have distinct names, got ${fields.join(', ')}`);
}

/** The WGSL `OptimStep` struct for these scalars (prepended to the kernel's source); `_pad` names cannot clash with a field. */
export function stepStructWgsl(fields: readonly string[]): string {
  const padding = Array.from({ length: kMaxStepScalars - fields.length }, (_, k) => `  _pad${k}: f32,`);
  const lines = [
    "// Generated from the optimizer's registry entry (src/optim/step-records.ts): one record per racer per step.",
    'struct OptimStep {',
    '  offset: u32, // first parameter of this racer in the shared buffers',
    '  count: u32,  // number of parameters of this racer',
    ...fields.map((f) => `  ${f}: f32,`),
    ...padding,
    '}',
    '',
  ];
  return lines.join('\n');
}

/** What one record says: which parameters, and the optimizer's scalars by name. */
export interface StepValues {
  offset: number;
  count: number;
  fields: readonly string[];
  scalars: Readonly<Record<string, number>>;
}

/** slots x racers OptimStep records, filled in CPU memory and uploaded by flush(). */
export class StepRecords {
  readonly buffer: GPUBuffer;
  private readonly u32: Uint32Array<ArrayBuffer>;
  private readonly f32: Float32Array<ArrayBuffer>;

  constructor(
    private readonly device: GPUDevice,
    readonly slots: number,
    readonly racers: number,
    label = 'Optimizer.steps',
  ) {
    if (!Number.isInteger(slots) || slots < 1 || !Number.isInteger(racers) || racers < 1)
      throw new Error(`${label}: step records need at least one slot and one racer, got ${slots} x ${racers}`);
    const staging = new ArrayBuffer(kStepBytes * slots * racers);
    this.u32 = new Uint32Array(staging);
    this.f32 = new Float32Array(staging);
    this.buffer = device.createBuffer({ label, size: staging.byteLength, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
  }

  /** Fills the record of `racer` at `slot` in CPU memory; flush() uploads it. */
  set(slot: number, racer: number, values: StepValues): void {
    if (!Number.isInteger(slot) || slot < 0 || slot >= this.slots) throw new Error(`step slot ${slot} is outside 0..${this.slots - 1}`);
    if (!Number.isInteger(racer) || racer < 0 || racer >= this.racers) throw new Error(`racer ${racer} is outside 0..${this.racers - 1}`);
    const base = (slot * this.racers + racer) * kStepWords;
    this.u32[base] = values.offset;
    this.u32[base + 1] = values.count;
    values.fields.forEach((field, k) => {
      const value = values.scalars[field];
      if (typeof value !== 'number') throw new Error(`step scalar '${field}' has no value`);
      this.f32[base + 2 + k] = value;
    });
  }

  /** Uploads slots [first, first + n). */
  flush(first = 0, n = this.slots - first): void {
    if (n <= 0) return;
    const bytes = kStepBytes * this.racers;
    this.device.queue.writeBuffer(this.buffer, first * bytes, this.u32.buffer, first * bytes, n * bytes);
  }

  destroy(): void {
    this.buffer.destroy();
  }
}
