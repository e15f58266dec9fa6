/**
 * Every registered optimizer has a rule in every engine, and no engine holds a rule for an
 * optimizer that is not registered: the WGSL kernel (shaders/optim/<id>.wgsl, the registry entry's
 * `kernel`), the WebAssembly rule (src/wasm/assembly/optim/<id>.ts, compiled into the module with
 * its state vectors and step scalars named as the entry's) and the float64 reference (the entry's
 * `reference` and `step`). That each rule computes what its reference does is each engine's own
 * test: WGSL in test/optimizers.test.ts, WebAssembly in test/wasm-kernels-vs-float64.test.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { optimizerIds, optimizerSpec, resolveHyperparameters } from '../src/optim/registry';
import { kMaxStepScalars } from '../src/optim/step-records';
import { kMaxRuleScalars, parseRule } from '../src/wasm/optimizer-rule-files';
import { kWasmOptimizerIds, wasmRuleProblem } from '../src/wasm/optimizer-rules';

const kShaders = new URL('../shaders/optim/', import.meta.url);
const kWasmRules = new URL('../src/wasm/assembly/optim/', import.meta.url);

/** The names of a folder's files ending in `ending`, without it, sorted. */
const namesIn = (dir: URL, ending: string): string[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith(ending))
    .map((f) => f.slice(0, -ending.length))
    .sort();

describe.each(optimizerIds())('%s', (id) => {
  const spec = optimizerSpec(id);

  it('has a WGSL kernel, its own file, reading every step field it declares and no other', () => {
    expect(spec.kernel).toBe(readFileSync(new URL(`${id}.wgsl`, kShaders), 'utf8'));
    expect(spec.kernel).toMatch(/fn main\(at: OptimInvocation\)/);
    const read = new Set(Array.from(spec.kernel.matchAll(/\bstep\.(\w+)/g), (m) => m[1]));
    for (const always of ['offset', 'count']) read.delete(always);
    expect([...read].sort()).toEqual([...spec.stepFields].sort());
  });

  it('has a WebAssembly rule in the compiled module, its state and step scalars named and ordered as the entry', () => {
    expect(kWasmOptimizerIds).toContain(id);
    expect(wasmRuleProblem(spec)).toBeUndefined();
  });

  it('has a float64 reference that moves every parameter, and a finite number for every step field', () => {
    const h = resolveHyperparameters(spec);
    for (const t of [1, 2, 1000]) {
      const step = spec.step(h, t);
      for (const field of spec.stepFields) expect(Number.isFinite(step[field]), `${field} at step ${t}`).toBe(true);
    }
    const p = Float64Array.from([0.5, -0.25, 1]);
    spec.reference(
      p,
      [1, -2, 0.5],
      spec.state.map(() => new Float64Array(3)),
      h,
      1,
    );
    p.forEach((v, i) => expect(v).not.toBe([0.5, -0.25, 1][i]));
  });
});

describe('the engines', () => {
  it('hold no rule for an optimizer that is not registered', () => {
    const ids = optimizerIds().sort();
    expect(namesIn(kShaders, '.wgsl').filter((name) => name !== 'common')).toEqual(ids);
    expect(namesIn(kWasmRules, '.ts')).toEqual(ids);
    // The module was built from exactly these files.
    expect([...kWasmOptimizerIds].sort()).toEqual(ids);
  });

  it("say which file is missing or wrong when an optimizer's WebAssembly rule does not fit its entry", () => {
    const adam = optimizerSpec('adam');
    expect(wasmRuleProblem({ ...adam, id: 'mine' })).toBe(
      'optimizer mine has no WebAssembly rule (src/wasm/assembly/optim/mine.ts is compiled into the module at build time); use --backend webgpu or cpu',
    );
    expect(wasmRuleProblem({ ...adam, stepFields: ['lr', 'beta2', 'beta1', 'correction', 'eps'] })).toBe(
      "the WebAssembly rule of adam (src/wasm/assembly/optim/adam.ts) takes the step scalars (lr, beta1, beta2, correction, eps), its registry entry's stepFields are (lr, beta2, beta1, correction, eps): name and order them alike",
    );
    expect(wasmRuleProblem({ ...adam, state: ['v', 'm'] })).toMatch(/takes the state vectors \(m, v\), its registry entry has \(v, m\)/);
  });

  it('read a WebAssembly rule from its signature, and refuse one of another form with its file named', () => {
    const source = 'export function update(p: usize, g: usize, m: usize, count: i32, lr: f32, beta: f32): void {}';
    expect(parseRule(source, 'x.ts')).toEqual({ state: ['m'], scalars: ['lr', 'beta'] });
    expect(() => parseRule('export function step(p: usize): void {}', 'x.ts')).toThrow(/^x\.ts: no exported function update; a WebAssembly optimizer rule is/);
    expect(() => parseRule('export function update(g: usize, p: usize, count: i32, lr: f32): void {}', 'x.ts')).toThrow(
      /first parameters must be p: usize, g: usize/,
    );
    expect(() => parseRule('export function update(p: usize, g: usize, lr: f32): void {}', 'x.ts')).toThrow(/count: i32 must follow the state vectors/);
    expect(() => parseRule('export function update(p: usize, g: usize, count: i32, lr: f64): void {}', 'x.ts')).toThrow(/step scalar lr must be f32, got f64/);
    // As many scalars as the WGSL step record holds.
    expect(kMaxRuleScalars).toBe(kMaxStepScalars);
    const tooMany = Array.from({ length: kMaxStepScalars + 1 }, (_, i) => `s${i}: f32`).join(', ');
    expect(() => parseRule(`export function update(p: usize, g: usize, count: i32, ${tooMany}): void {}`, 'x.ts')).toThrow(
      `1 to ${kMaxStepScalars} step scalars, got ${kMaxStepScalars + 1}`,
    );
  });
});
