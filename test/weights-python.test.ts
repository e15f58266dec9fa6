/**
 * Weights out and in, checked by a real client (issue 22 item 3): a tiny race mixing plain, bn,
 * dropout and bn + dropout racers runs on every engine (the float64 CPU reference, wasm, WebGPU);
 * each racer's file is read by Python's `safetensors` and its forward pass run in numpy (the book's
 * evaluation mode, from the file's tensors and `__metadata__` alone) over the test images, giving
 * the test accuracy the race reported. Then a file Python's `safetensors` wrote from numpy arrays
 * loads into a racer of each engine, float for float, with fresh optimizer state. Under CI=true a
 * missing numpy or safetensors fails; elsewhere these tests are skipped (.ci/install-system installs
 * both). GPU: skipped without an adapter, except under CI=true.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { networkLayout } from '../src/nn/layout';
import { kSeedRace, resolveRace, type RaceConfig } from '../src/race/config';
import { RaceEngine } from '../src/race/engine';
import { racerBlocksFromFile, raceWeightsFiles } from '../src/race/weights';
import { type BuildBackend, raceEngines } from './fixtures/race-engines';
import { syntheticRaceData } from './fixtures/synthetic-race-data';
import { testDevice } from './gpu';

function python(script: string, ...args: string[]): { status: number | null; out: string; err: string } {
  const result = spawnSync('python3', ['-c', script, ...args], { encoding: 'utf8' });
  return { status: result.status, out: result.stdout, err: `${result.stderr}${result.error?.message ?? ''}` };
}
const hasPython = python('import importlib.util, sys; sys.exit(any(importlib.util.find_spec(m) is None for m in ("numpy", "safetensors")))').status === 0;
const kCI = process.env.CI === 'true';

let device: GPUDevice | undefined;
beforeAll(async () => {
  device = await testDevice();
});
const kDir = mkdtempSync(join(tmpdir(), 'weights-python-test-'));
afterAll(() => {
  device?.destroy();
  rmSync(kDir, { recursive: true, force: true });
});

const data = syntheticRaceData(90, 41);
const config: RaceConfig = {
  ...kSeedRace,
  sizes: [784, 9, 5, 10],
  batchSize: 6,
  seed: 13,
  iterations: 12,
  evalEvery: 12,
  racers: [
    { optimizer: 'sgd', hyperparameters: { lr: 0.1 } },
    { optimizer: 'adam', bn: true },
    { optimizer: 'momentum', dropout: 0.25, activation: 'tanh' },
    { optimizer: 'rmsprop', bn: true, dropout: 0.1, activation: 'sigmoid' },
  ],
};

const engines = raceEngines(data, () => device);

async function withEngine<T>(build: BuildBackend, use: (engine: RaceEngine) => Promise<T>): Promise<T> {
  const race = resolveRace(config, data.trainCount);
  const engine = new RaceEngine(race, await build(race));
  try {
    return await use(engine);
  } finally {
    engine.destroy();
  }
}

/** The book's evaluation-mode forward pass in numpy, from each file's tensors and metadata only; prints each file's test accuracy. */
const kNumpyAccuracy = `
import json, os, sys, numpy as np
from safetensors import safe_open
folder, images, labels = sys.argv[1], sys.argv[2], sys.argv[3]
x0 = np.fromfile(images, dtype=np.uint8).reshape(-1, 784).astype(np.float32) * np.float32(1 / 255)
y = np.fromfile(labels, dtype=np.uint8)
acts = {"relu": lambda v: np.maximum(v, 0), "sigmoid": lambda v: 1 / (1 + np.exp(-v)), "tanh": np.tanh}
out = {}
for name in sorted(os.listdir(folder)):
    with safe_open(os.path.join(folder, name), framework="np") as f:
        meta = f.metadata()
        t = {k: f.get_tensor(k).astype(np.float64) for k in f.keys()}
    sizes = [int(s) for s in meta["sizes"].split("-")]
    bn, dropout, act = meta["bn"] == "true", float(meta["dropout"]), acts[meta["activation"]]
    x, index = x0.astype(np.float64), 0
    for l in range(len(sizes) - 1):
        x = x @ t[f"{index}.weight"].T + t[f"{index}.bias"]
        index += 1
        if l == len(sizes) - 2:
            break
        if bn:
            eps = float(meta["batch_norm_eps"])
            x = t[f"{index}.weight"] * (x - t[f"{index}.running_mean"]) / np.sqrt(t[f"{index}.running_var"] + eps) + t[f"{index}.bias"]
            index += 1
        x = act(x)
        index += 1
        if dropout > 0:
            x = x * (1 - dropout)
            index += 1
    out[name] = {"accuracy": float(np.mean(np.argmax(x, axis=1) == y)), "iteration": meta["iteration"], "optimizer": meta["optimizer"]}
print(json.dumps(out))
`;

function skipWithoutPython(ctx: { skip: () => void }): boolean {
  if (hasPython) return false;
  if (kCI) throw new Error('python3 cannot import numpy and safetensors: .ci/install-system installs them');
  ctx.skip();
  return true;
}

function skipWithoutDevice(name: string, ctx: { skip: () => void }): boolean {
  if (name !== 'webgpu' || device) return false;
  if (kCI) throw new Error('no GPU adapter');
  ctx.skip();
  return true;
}

describe("every racer's weights in Python's safetensors and numpy", () => {
  const images = join(kDir, 'test-images.u8');
  const labels = join(kDir, 'test-labels.u8');
  writeFileSync(images, data.testImages);
  writeFileSync(labels, data.testLabels);

  for (const [name, build] of engines) {
    it(`${name}: numpy's forward pass on the test images gives the accuracy the race reported`, async (ctx) => {
      if (skipWithoutPython(ctx) || skipWithoutDevice(name, ctx)) return;
      const folder = join(kDir, name);
      mkdirSync(folder);
      const reported = await withEngine(build, async (engine) => {
        await engine.start();
        for (const file of await raceWeightsFiles(engine)) writeFileSync(join(folder, file.name), file.bytes);
        return engine.history.map((h) => h.accuracy.at(-1)?.test);
      });
      const { status, out, err } = python(kNumpyAccuracy, folder, images, labels);
      expect(status, err).toBe(0);
      const accuracies = JSON.parse(out) as Record<string, { accuracy: number; iteration: string; optimizer: string }>;
      expect(Object.keys(accuracies)).toEqual(['1-SGD.safetensors', '2-Adam.safetensors', '3-Momentum.safetensors', '4-RMSprop.safetensors']);
      Object.values(accuracies).forEach((a, r) => {
        expect(a.iteration).toBe('12');
        expect(a.optimizer).toBe(config.racers[r].optimizer);
        expect(a.accuracy, `racer ${r}`).toBe(reported[r]);
      });
    });
  }
});

describe("a file Python's safetensors wrote from numpy arrays", () => {
  it('loads into a racer of every engine, float for float, with fresh optimizer state', async (ctx) => {
    if (skipWithoutPython(ctx)) return;
    const file = join(kDir, 'numpy.safetensors');
    // The bn racer's network (784-9-5-10 with BatchNorm1d after each hidden Linear): PyTorch's names and shapes.
    const { status, err } = python(
      `
import sys, numpy as np
from safetensors.numpy import save_file
rng = np.random.default_rng(3)
f = lambda *shape: rng.standard_normal(shape).astype(np.float32)
t = {"0.weight": f(9, 784), "0.bias": f(9), "1.weight": f(9), "1.bias": f(9), "1.running_mean": f(9), "1.running_var": np.abs(f(9)),
     "3.weight": f(5, 9), "3.bias": f(5), "4.weight": f(5), "4.bias": f(5), "4.running_mean": f(5), "4.running_var": np.abs(f(5)),
     "6.weight": f(10, 5), "6.bias": f(10)}
save_file(t, sys.argv[1], metadata={"written_by": "numpy"})`,
      file,
    );
    expect(status, err).toBe(0);
    const bytes = new Uint8Array(readFileSync(file));
    const race = resolveRace(config, data.trainCount);
    const blocks = racerBlocksFromFile(race, 1, bytes, 'numpy.safetensors');
    // Layer 1's W is 9 x 5 row-major here, PyTorch's 5 x 9: one value checked by hand through the transposition.
    const layout = networkLayout(config.sizes, { batchNorm: true });
    const tensors = python(
      `
import sys, json
from safetensors.numpy import load_file
t = load_file(sys.argv[1])
print(json.dumps({"w": float(t["3.weight"][4, 7]), "var": float(t["4.running_var"][2])}))`,
      file,
    );
    const picked = JSON.parse(tensors.out) as { w: number; var: number };
    expect(blocks.params[layout.layers[1].weightOffset + 7 * 5 + 4]).toBe(picked.w);
    expect(blocks.stats[layout.batchNorm[1].statsOffset + 5 + 2]).toBe(picked.var);
    // The plain racer's network has no BatchNorm1d: the file is refused, naming what does not fit.
    expect(() => racerBlocksFromFile(race, 0, bytes, 'numpy.safetensors')).toThrow(
      'numpy.safetensors: no tensor 2.weight: the network 784-9-5-10 needs 0.weight, 0.bias, 2.weight, 2.bias, 4.weight, 4.bias',
    );

    for (const [name, build] of engines) {
      if (name === 'webgpu' && !device) {
        if (kCI) throw new Error('no GPU adapter');
        continue;
      }
      await withEngine(build, async (engine) => {
        await engine.setStartWeights(1, blocks);
        const { paramsPerRacer: P, statsPerRacer: S } = layout;
        const snapshot = await engine.snapshot();
        expect(Array.from(snapshot.params.subarray(P, 2 * P)), name).toEqual(Array.from(blocks.params));
        expect(Array.from(snapshot.stats.subarray(S, 2 * S)), name).toEqual(Array.from(blocks.stats));
        expect(
          snapshot.state.every((s) => s.every((v) => v === 0)),
          name,
        ).toBe(true);
        expect(snapshot.steps, name).toEqual([0, 0, 0, 0]);
        // The other racers keep their init, and the loaded start outlives a reset.
        await engine.step();
        await engine.reset();
        const again = await engine.snapshot();
        expect(Array.from(again.params.subarray(P, 2 * P)), name).toEqual(Array.from(blocks.params));
        expect(again.steps, name).toEqual([0, 0, 0, 0]);
      });
    }
  });
});
