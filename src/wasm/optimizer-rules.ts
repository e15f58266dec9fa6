/**
 * Which rule of src/wasm/assembly/optimizers.ts `optimize` runs each registry optimizer, and the step
 * fields it reads, in order (a..f). The scalars themselves come from the registry entry's
 * `step(h, t)` in float64 (schedules and bias corrections included), so the registry stays the one
 * owner of each rule's numbers; this table only names the WebAssembly kernel of each id.
 */
import type { OptimizerSpec } from '../optim/registry';

interface WasmRule {
  rule: number;
  fields: readonly string[];
}

const kWasmRules: Readonly<Record<string, WasmRule>> = {
  sgd: { rule: 0, fields: ['lr'] },
  momentum: { rule: 1, fields: ['lr', 'momentum'] },
  nesterov: { rule: 2, fields: ['lr', 'momentum'] },
  adagrad: { rule: 3, fields: ['lr', 'eps'] },
  rmsprop: { rule: 4, fields: ['lr', 'decay', 'eps'] },
  adam: { rule: 5, fields: ['lr', 'beta1', 'beta2', 'correction', 'eps'] },
  adamw: { rule: 6, fields: ['lr', 'beta1', 'beta2', 'weight_decay', 'correction', 'eps'] },
  lion: { rule: 7, fields: ['lr', 'beta1', 'beta2', 'weight_decay'] },
  adadelta: { rule: 8, fields: ['lr', 'rho', 'eps'] },
  adamax: { rule: 9, fields: ['lr', 'beta1', 'beta2', 'correction', 'eps'] },
};

/** The ids with a WebAssembly kernel. */
export const kWasmOptimizerIds: readonly string[] = Object.keys(kWasmRules);

/** The kernel rule of an optimizer; a clear message for one registered without a WebAssembly kernel. */
export function wasmRule(spec: OptimizerSpec): WasmRule {
  const rule = kWasmRules[spec.id];
  if (!rule) throw new Error(`optimizer ${spec.id} has no WebAssembly kernel; use --backend webgpu or cpu`);
  if (rule.fields.some((f) => !spec.stepFields.includes(f))) {
    throw new Error(
      `optimizer ${spec.id}: its step fields (${spec.stepFields.join(', ')}) no longer match the WebAssembly kernel's (${rule.fields.join(', ')})`,
    );
  }
  return rule;
}
