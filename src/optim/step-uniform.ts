/**
 * The per-step uniform of the optimizer kernels, a named record: the racer's slice of the shared
 * buffers (offset, count) followed by the optimizer's own scalars, named in its registry entry
 * (`stepFields`: lr, beta1, beta2, correction, eps, ...). The WGSL struct is generated from the same
 * list, so a kernel reads `step.beta1` and the CPU writes `beta1`: no positional tuple to keep in sync.
 */
import { UniformRing } from '../gpu/uniform-ring';

/** Scalars an optimizer may put in its step (AdamW needs six: lr, beta1, beta2, weight decay, correction, eps). */
export const kMaxStepScalars = 10;
/** Two u32 words (offset, count), then the scalars. */
export const kStepBytes = 4 * (2 + kMaxStepScalars);

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

/** The WGSL `OptimStep` struct for these scalars (prepended to the kernel's source). */
export function stepStructWgsl(fields: readonly string[]): string {
  const lines = [
    "// Generated from the optimizer's registry entry (src/optim/step-uniform.ts): one slot per racer per step.",
    'struct OptimStep {',
    '  offset: u32, // first parameter of this racer in the shared buffers',
    '  count: u32,  // number of parameters of this racer',
    ...fields.map((f) => `  ${f}: f32,`),
    '}',
    '',
  ];
  return lines.join('\n');
}

/** What one slot says: which parameters, and the optimizer's scalars by name. */
export interface StepValues {
  offset: number;
  count: number;
  fields: readonly string[];
  scalars: Readonly<Record<string, number>>;
}

/** A ring of OptimStep slots: one per racer per step, many steps encoded before one submit. */
export class StepUniformRing extends UniformRing {
  constructor(device: GPUDevice, slots: number, label = 'Optimizer.steps') {
    super(device, slots, kStepBytes, label);
  }

  /** Fills a slot in CPU memory; flush() uploads it. */
  set(slot: number, values: StepValues): void {
    this.setU32(slot, 0, values.offset);
    this.setU32(slot, 1, values.count);
    values.fields.forEach((field, k) => {
      const value = values.scalars[field];
      if (typeof value !== 'number') throw new Error(`step scalar '${field}' has no value`);
      this.setF32(slot, 2 + k, value);
    });
  }
}
