/**
 * The PyTorch peer (bench/gpu/torch_race.py) on the CPU, so a lent GPU's minutes go to measuring:
 * its table of defaults and eps is the registry's, and from our initial weights and minibatches its
 * first losses are our float64 CPU reference race's, within float32, for every registered optimizer.
 * Under CI=true a missing torch fails; elsewhere the test is skipped (.ci/install-system installs torch).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runTorchRace } from '../bench/torch-race';
import { kEmbeddedMnistPath } from '../src/data/mnist-files';
import { loadEmbeddedMnistFromDisk } from '../src/data/node/mnist-dir';
import { networkLayout } from '../src/nn/layout';
import { kAdaDeltaEps, kAdamaxEps, kEps, optimizers, resolveHyperparameters } from '../src/optim/registry';
import { kSeedRace, resolveRace, type RaceConfig } from '../src/race/config';
import { CpuRaceBackend } from '../src/race/cpu-backend';

const kRoot = fileURLToPath(new URL('..', import.meta.url));

function python(code: string): { status: number | null; out: string; err: string } {
  const script = `import json, sys; sys.path.insert(0, ${JSON.stringify(join(kRoot, 'bench/gpu'))}); import torch_race as t; ${code}`;
  const result = spawnSync('python3', ['-c', script], { encoding: 'utf8' });
  return { status: result.status, out: result.stdout, err: `${result.stderr}${result.error?.message ?? ''}` };
}

// find_spec, not an import: importing torch takes seconds.
const hasTorch = python('import importlib.util; sys.exit(importlib.util.find_spec("torch") is None)').status === 0;

describe('the PyTorch peer (bench/gpu/torch_race.py)', () => {
  it("repeats the registry's defaults, labels, eps and our parameter layout", () => {
    const { status, out, err } = python(
      'print(json.dumps({"defaults": t.DEFAULTS, "eps": [t.EPS, t.ADADELTA_EPS, t.ADAMAX_EPS], "layout": t.layer_offsets([784, 30, 7, 10])}))',
    );
    expect(status, err).toBe(0);
    const script = JSON.parse(out) as { defaults: Record<string, [string, Record<string, number>]>; eps: number[]; layout: [[number, number][], number] };
    expect(script.defaults).toEqual(Object.fromEntries(optimizers().map((s) => [s.id, [s.label, resolveHyperparameters(s)]])));
    expect(script.eps).toEqual([kEps, kAdaDeltaEps, kAdamaxEps]);
    const layout = networkLayout([784, 30, 7, 10]);
    expect(script.layout).toEqual([layout.layers.map((l) => [l.weightOffset, l.biasOffset]), layout.paramsPerRacer]);
  });

  it('starts from our weights and batches and loses what our CPU reference loses, for every registered optimizer', async (ctx) => {
    if (!hasTorch) {
      if (process.env.CI === 'true') throw new Error('python3 cannot import torch: .ci/install-system installs it (pip, the CPU build)');
      return ctx.skip();
    }
    const data = await loadEmbeddedMnistFromDisk({ publicDir: join(kRoot, 'public') });
    const iterations = 3;
    const config: RaceConfig = { ...kSeedRace, sizes: [784, 32, 16, 10], batchSize: 32, iterations, racers: optimizers().map((s) => ({ optimizer: s.id })) };
    const racers = config.racers.length;
    const ours = await new CpuRaceBackend(resolveRace(config), data).run({
      first: 0,
      count: iterations,
      active: config.racers.map(() => true),
      evaluate: false,
    });
    // A warm-up race of 2 iterations first: the timed race must start again from our weights.
    const report = await runTorchRace(config, data.trainCount, { root: kRoot, dataDir: join(kRoot, 'public', kEmbeddedMnistPath), warmup: 2, threads: 1 });
    expect(report.race.racers).toEqual(resolveRace(config).racers.map((r) => r.name));
    expect(report.race.batchesMatchPort).toBe(true);
    const eager = report.modes.eager;
    expect(eager.error).toBeUndefined();
    expect(eager.headLosses).toHaveLength(iterations);
    // float32 against float64: the loss itself rounds at ~1e-7; the adaptive rules amplify rounding
    // to ~6e-7 by iteration 3. Torch's own Adam (eps after the bias correction) is off by 1.3e-5 from
    // the first step, and backpropagating through log(y + 1e-7) RMSprop by 1e-4 at iteration 2.
    for (let i = 0; i < iterations; i++) {
      for (let r = 0; r < racers; r++) {
        const mine = ours.losses[i * racers + r];
        const theirs = eager.headLosses[i][r];
        expect(Math.abs(theirs - mine) / mine, `${report.race.racers[r]} at iteration ${i + 1}: torch ${theirs}, ours ${mine}`).toBeLessThan(3e-6);
      }
    }
  }, 300_000);
});
