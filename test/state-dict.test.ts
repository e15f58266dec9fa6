/**
 * src/nn/state-dict.ts: a racer's MLP under PyTorch's nn.Sequential names, worked out by hand for a
 * tiny network, its messages, and PyTorch itself: our file loads into an nn.Sequential with
 * load_state_dict(strict=True) and computes our forward pass; a state dict PyTorch saved loads into
 * our layout and computes PyTorch's. Under CI=true a missing torch or safetensors fails; elsewhere
 * that test is skipped (.ci/install-system installs both).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors, type SafetensorsTensor } from '../src/data/safetensors';
import { networkLayout } from '../src/nn/layout';
import { mlpToStateDict, sequentialText, StateDictError, stateDictToMlp, stateDictToRacer } from '../src/nn/state-dict';

/** Our forward pass in float64, straight from the layout's definition: ReLU between layers, no softmax. */
function forward(sizes: number[], params: Float32Array, x: number[]): number[] {
  const layout = networkLayout(sizes);
  let acts = x;
  layout.layers.forEach((layer, l) => {
    const out = Array.from({ length: layer.outputs }, (_, o) => {
      let sum = params[layer.biasOffset + o];
      for (let i = 0; i < layer.inputs; i++) sum += acts[i] * params[layer.weightOffset + i * layer.outputs + o];
      return sum;
    });
    acts = l + 1 < layout.layers.length ? out.map((v) => Math.max(0, v)) : out;
  });
  return acts;
}

const asMap = (tensors: ReturnType<typeof mlpToStateDict>): Map<string, SafetensorsTensor> => new Map(tensors.map(({ name, ...t }) => [name, t]));

describe("a racer's MLP as PyTorch's nn.Sequential state dict", () => {
  // sizes 3-2-2: layer 0's W (3 x 2) at 0..5, b at 8..9 (16-byte aligned); layer 1's W (2 x 2) at
  // 12..15, b at 16..17; P = 64. Every float holds its index + 1, padding included.
  const sizes = [3, 2, 2];
  const params = Float32Array.from({ length: 64 }, (_, k) => k + 1);

  it('names and transposes each Linear as PyTorch does (worked out by hand)', () => {
    const tensors = mlpToStateDict(sizes, params);
    expect(tensors).toEqual([
      // Ours is I x O: rows [1, 2], [3, 4], [5, 6]; PyTorch's is O x I.
      { name: '0.weight', dtype: 'F32', shape: [2, 3], data: new Float32Array([1, 3, 5, 2, 4, 6]) },
      { name: '0.bias', dtype: 'F32', shape: [2], data: new Float32Array([9, 10]) },
      { name: '2.weight', dtype: 'F32', shape: [2, 2], data: new Float32Array([13, 15, 14, 16]) },
      { name: '2.bias', dtype: 'F32', shape: [2], data: new Float32Array([17, 18]) },
    ]);
    const back = stateDictToMlp(sizes, asMap(tensors));
    const padding = new Set([6, 7, 10, 11, ...Array.from({ length: 64 - 18 }, (_, k) => 18 + k)]);
    expect(back).toEqual(params.map((v, k) => (padding.has(k) ? 0 : v)));
    // A racer's block of all racers' buffer works as well as its own array.
    const all = new Float32Array(3 * 64);
    all.set(params, 64);
    expect(mlpToStateDict(sizes, all.subarray(64, 128))).toEqual(tensors);
  });

  it('says which tensor does not fit the network, and why', () => {
    const good = asMap(mlpToStateDict(sizes, params));
    const fails = (change: (m: Map<string, SafetensorsTensor>) => void): string => {
      const tensors = new Map(good);
      change(tensors);
      try {
        stateDictToMlp(sizes, tensors);
      } catch (e) {
        expect(e).toBeInstanceOf(StateDictError);
        return (e as Error).message;
      }
      throw new Error('accepted');
    };
    expect(fails((m) => m.delete('2.bias'))).toBe('no tensor 2.bias: the network 3-2-2 needs 0.weight, 0.bias, 2.weight, 2.bias');
    expect(fails((m) => m.set('0.weight', { dtype: 'F32', shape: [3, 2], data: new Float32Array(6) }))).toBe(
      'tensor 0.weight is [3, 2]; the network 3-2-2 needs [2, 3]',
    );
    expect(fails((m) => m.set('0.bias', { dtype: 'F32', shape: [2, 1], data: new Float32Array(2) }))).toBe(
      'tensor 0.bias is [2, 1]; the network 3-2-2 needs [2]',
    );
    expect(fails((m) => m.set('0.bias', { dtype: 'F64', shape: [2], data: new Float64Array(2) }))).toBe("tensor 0.bias is F64; the race's weights are F32");
    expect(fails((m) => m.set('4.weight', { dtype: 'F32', shape: [1], data: new Float32Array(1) }))).toBe('the network 3-2-2 has no "4.weight"');
    expect(() => mlpToStateDict(sizes, new Float32Array(63))).toThrow('the network 3-2-2 has 64 parameters per racer, got 63');
  });
});

describe('batch norm and dropout in the nn.Sequential', () => {
  // sizes 3-2-2 with batch norm: W0 at 0..5, b0 at 8..9, W1 at 12..15, b1 at 16..17, then γ at 20..21,
  // β at 24..25 (src/nn/layout.ts); statistics: mean at 0..1, variance at 2..3.
  const sizes = [3, 2, 2];
  const params = Float32Array.from({ length: 64 }, (_, k) => k + 1);
  const stats = Float32Array.from([0.5, -0.5, 2, 3]);

  it('puts BatchNorm1d after the Linear and counts the activation and Dropout (worked out by hand)', () => {
    // Linear(3, 2), BatchNorm1d(2), ReLU(), Dropout(0.5), Linear(2, 2): indices 0, 1, 2, 3, 4.
    expect(sequentialText(sizes, 'relu', { bn: true, dropout: 0.5 })).toBe('Linear(3, 2), BatchNorm1d(2), ReLU(), Dropout(0.5), Linear(2, 2)');
    const tensors = mlpToStateDict(sizes, params, { bn: true, dropout: 0.5, stats });
    expect(tensors.map((t) => [t.name, t.shape, Array.from(t.data)])).toEqual([
      ['0.weight', [2, 3], [1, 3, 5, 2, 4, 6]],
      ['0.bias', [2], [9, 10]],
      ['4.weight', [2, 2], [13, 15, 14, 16]],
      ['4.bias', [2], [17, 18]],
      ['1.weight', [2], [21, 22]],
      ['1.bias', [2], [25, 26]],
      ['1.running_mean', [2], [0.5, -0.5]],
      ['1.running_var', [2], [2, 3]],
    ]);
    const back = stateDictToRacer(sizes, asMap(tensors), { bn: true, dropout: 0.5 });
    expect(Array.from(back.stats)).toEqual([0.5, -0.5, 2, 3]);
    expect([back.params[20], back.params[25], back.params[17]]).toEqual([21, 26, 18]);
    // PyTorch's step count is read past; a plain racer in a race with batch norm keeps γ = 1, β = 0.
    const withCount = asMap(tensors).set('1.num_batches_tracked', { dtype: 'I64', shape: [], data: new BigInt64Array([5n]) });
    expect(stateDictToRacer(sizes, withCount, { bn: true, dropout: 0.5 }).params).toEqual(back.params);
    const plain = stateDictToRacer(sizes, asMap(mlpToStateDict(sizes, params)), { layoutBatchNorm: true });
    expect([plain.params[20], plain.params[21], plain.params[24], plain.stats.length]).toEqual([1, 1, 0, 4]);
    // Without the statistics a bn racer's state dict cannot be written.
    expect(() => mlpToStateDict(sizes, params, { bn: true })).toThrow('with batch norm has 4 running statistics per racer, got 0');
  });
});

function python(script: string, ...args: string[]): { status: number | null; out: string; err: string } {
  const result = spawnSync('python3', ['-c', script, ...args], { encoding: 'utf8' });
  return { status: result.status, out: result.stdout, err: `${result.stderr}${result.error?.message ?? ''}` };
}

// find_spec, not an import: importing torch takes seconds.
const hasTorch = python('import importlib.util, sys; sys.exit(any(importlib.util.find_spec(m) is None for m in ("torch", "safetensors")))').status === 0;
const kDir = mkdtempSync(join(tmpdir(), 'state-dict-test-'));
afterAll(() => rmSync(kDir, { recursive: true, force: true }));

describe('the state dict in PyTorch', () => {
  it("loads strictly into nn.Sequential and computes our forward pass; PyTorch's saved weights compute its", (ctx) => {
    if (!hasTorch) {
      if (process.env.CI === 'true') throw new Error('python3 cannot import torch and safetensors: .ci/install-system installs them');
      return ctx.skip();
    }
    const sizes = [5, 4, 3, 2];
    const layout = networkLayout(sizes);
    // Weights from a small LCG, so every value differs and each transposition error shows.
    let state = 12345;
    const params = Float32Array.from({ length: layout.paramsPerRacer }, () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state / 2 ** 31 - 0.5;
    });
    const x = [0.3, -1.2, 0.7, 2, -0.4];
    const ours = join(kDir, 'ours.safetensors');
    const theirs = join(kDir, 'theirs.safetensors');
    writeFileSync(ours, encodeSafetensors(mlpToStateDict(sizes, params), { sizes: sizes.join('-') }));
    const { status, out, err } = python(
      `
import json, sys, torch
from torch import nn
from safetensors.torch import load_file, save_file
sizes, x = json.loads(sys.argv[3]), torch.tensor(json.loads(sys.argv[4]), dtype=torch.float64)
def mlp():
    layers = []
    for i, o in zip(sizes, sizes[1:]):
        layers += [nn.Linear(i, o), nn.ReLU()]
    return nn.Sequential(*layers[:-1])
model = mlp()
model.load_state_dict(load_file(sys.argv[1]), strict=True)
ours = model.double()(x).tolist()
torch.manual_seed(7)
saved = mlp()
save_file(saved.state_dict(), sys.argv[2])
print(json.dumps({"ours": ours, "theirs": saved.double()(x).tolist()}))`,
      ours,
      theirs,
      JSON.stringify(sizes),
      JSON.stringify(x),
    );
    expect(status, err).toBe(0);
    const result = JSON.parse(out) as { ours: number[]; theirs: number[] };
    // PyTorch computes in float64 from the same float32 weights: only summation order differs.
    const expectClose = (actual: number[], expected: number[]) => actual.forEach((v, k) => expect(v).toBeCloseTo(expected[k], 12));
    expectClose(result.ours, forward(sizes, params, x));
    const loaded = stateDictToMlp(sizes, decodeSafetensors(readFileSync(theirs)).tensors);
    expectClose(forward(sizes, loaded, x), result.theirs);
  });

  it("loads PyTorch's BatchNorm1d state dict (int64 num_batches_tracked read past) float for float", (ctx) => {
    if (!hasTorch) {
      if (process.env.CI === 'true') throw new Error('python3 cannot import torch and safetensors: .ci/install-system installs them');
      return ctx.skip();
    }
    const sizes = [5, 4, 3];
    const path = join(kDir, 'torch-bn.safetensors');
    const { status, out, err } = python(
      `
import json, sys, torch
from torch import nn
from safetensors.torch import save_file
torch.manual_seed(3)
model = nn.Sequential(nn.Linear(5, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 3))
with torch.no_grad():
    model[1].weight.uniform_(0.5, 1.5)
    model[1].bias.uniform_(-0.5, 0.5)
model.train()
model(torch.randn(6, 5))  # moves the running statistics and num_batches_tracked
state = model.state_dict()
save_file(state, sys.argv[1])
print(json.dumps({k: {"dtype": str(v.dtype), "values": v.reshape(-1).tolist()} for k, v in state.items()}))`,
      path,
    );
    expect(status, err).toBe(0);
    const expected = JSON.parse(out) as Record<string, { dtype: string; values: number[] }>;
    expect(expected['1.num_batches_tracked']).toEqual({ dtype: 'torch.int64', values: [1] });
    const { tensors } = decodeSafetensors(readFileSync(path));
    expect(tensors.get('1.num_batches_tracked')?.data).toEqual(new BigInt64Array([1n]));
    const back = stateDictToRacer(sizes, tensors, { bn: true });
    const again = asMap(mlpToStateDict(sizes, back.params, { bn: true, stats: back.stats }));
    expect([...again.keys()].sort()).toEqual(
      Object.keys(expected)
        .filter((k) => !k.endsWith('num_batches_tracked'))
        .sort(),
    );
    for (const [name, tensor] of again) expect(Array.from(tensor.data as Float32Array), name).toEqual(Array.from(new Float32Array(expected[name].values)));
  });
});
