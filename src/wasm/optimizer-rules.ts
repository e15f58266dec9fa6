/**
 * Which WebAssembly rule (src/wasm/assembly/optim/<id>.ts) runs each registry optimizer. The table
 * comes with the compiled module (src/wasm/optimizer-rule-files.ts reads it from the rule files at
 * build time); here it is checked against the registry entry, whose `step(h, t)` gives the scalars
 * in float64 (schedules and bias corrections included): the rule must name its state vectors as the
 * entry's `state` and its scalars as the entry's `stepFields`, in that order, which is the order
 * the engine writes them in. An optimizer registered at run time (a test's, an embedder's) has no
 * rule in the compiled module, and the engine says so.
 */
import { optimizerRules } from 'virtual:race-wasm';
import type { OptimizerSpec } from '../optim/registry';
import type { OptimizerRuleSignature } from './optimizer-rule-files';

export type WasmOptimizerRule = Readonly<OptimizerRuleSignature>;

/** The ids with a WebAssembly rule, in the dispatch's order. */
export const kWasmOptimizerIds: readonly string[] = Object.keys(optimizerRules);

const same = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** Why the WebAssembly engine cannot run this optimizer, or undefined when its rule fits its registry entry. */
export function wasmRuleProblem(spec: OptimizerSpec): string | undefined {
  const file = `src/wasm/assembly/optim/${spec.id}.ts`;
  const rule = Object.hasOwn(optimizerRules, spec.id) ? optimizerRules[spec.id] : undefined;
  if (!rule) return `optimizer ${spec.id} has no WebAssembly rule (${file} is compiled into the module at build time); use --backend webgpu or cpu`;
  if (!same(rule.state, spec.state)) {
    return `the WebAssembly rule of ${spec.id} (${file}) takes the state vectors (${rule.state.join(', ')}), its registry entry has (${spec.state.join(', ')})`;
  }
  if (!same(rule.scalars, spec.stepFields)) {
    return `the WebAssembly rule of ${spec.id} (${file}) takes the step scalars (${rule.scalars.join(', ')}), its registry entry's stepFields are (${spec.stepFields.join(', ')}): name and order them alike`;
  }
  return undefined;
}

/** The rule of an optimizer; throws wasmRuleProblem's message. */
export function wasmRule(spec: OptimizerSpec): WasmOptimizerRule {
  const problem = wasmRuleProblem(spec);
  if (problem) throw new Error(problem);
  return optimizerRules[spec.id];
}
