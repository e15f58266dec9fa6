/**
 * The weight-initialisation experiment: the histogram kernel against its TypeScript reference,
 * the GPU experiment against the float64 one, the seed's conclusions and the CLI command. The
 * element on the built demo page is checked on test/page.test.ts's laptop page (one page load).
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initHistogramsCommand } from '../src/cli/init-histograms';
import { createBuffer, readFloat32, storageUsage } from '../src/gpu/buffers';
import {
  allInitSettings,
  kSeedInitExperiment,
  parseInit,
  resolveInitConfig,
  type InitActivation,
  type InitExperimentConfig,
  type InitSetting,
} from '../src/init/config';
import { InitHistogramPipelines, runInitExperimentCpu, runInitExperimentGpu, type InitExperimentResult } from '../src/init/experiment';
import { activationEdges, binEdges, binIndex, histogramReference, kHistogramExtras } from '../src/init/histogram';
import { HistogramPass, packRanges, unpackHistogram, type HistogramTuning } from '../src/init/histogram-pass';
import { seededRandom, testDevice, withValidation } from './gpu';
import { copyBuiltCli } from './fixtures/cli-bundle';
import { runInProcess } from './fixtures/cli-in-process';

let device: GPUDevice | undefined;
let pipelines: InitHistogramPipelines | undefined;
beforeAll(async () => {
  device = await testDevice();
  if (device) pipelines = new InitHistogramPipelines(device);
});
afterAll(() => device?.destroy());

const seedRun = (settings: InitSetting[], overrides: Partial<InitExperimentConfig> = {}): InitExperimentConfig => ({
  ...kSeedInitExperiment,
  settings,
  ...overrides,
});

describe('histogram reference', () => {
  it('bins as numpy.histogram: edges to the upper bin, the maximum to the last', () => {
    const edges = binEdges(0, 1, 4); // 0, .25, .5, .75, 1
    expect(edges).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect([0, 0.1, 0.25, 0.5, 0.7499, 0.75, 1].map((v) => binIndex(v, edges))).toEqual([0, 0, 1, 2, 2, 3, 3]);
    const h = histogramReference([-2, 0, 0, 0.3, 1, 7, 0.75], edges, 0.5);
    expect(h.counts).toEqual([3, 1, 0, 3]);
    expect([h.below, h.above, h.zeros]).toEqual([1, 1, 2]);
    expect(h.sum).toBeCloseTo(-2.5 - 0.5 - 0.5 - 0.2 + 0.5 + 6.5 + 0.25, 12);
    expect(activationEdges('relu', 30)).toHaveLength(31);
    expect(activationEdges('tanh', 30)[15]).toBe(0);
    expect(activationEdges('sigmoid', 30)[30]).toBe(1);
  });

  it('rejects bad settings with messages that say what is allowed', () => {
    const base = seedRun([{ init: 1, activation: 'sigmoid' }]);
    expect(() => resolveInitConfig({ ...base, layers: 0 })).toThrow(/layers must be a whole number from 1 to 10, got 0/);
    expect(() => resolveInitConfig({ ...base, nodes: 2.5 })).toThrow(/nodes must be a whole number from 1 to 1000/);
    expect(() => resolveInitConfig({ ...base, settings: [{ init: 5, activation: 'relu' }] })).toThrow(/standard deviation in \(0, 1\], got 5/);
    expect(() => resolveInitConfig({ ...base, settings: [{ init: 1, activation: 'identity' as InitActivation }] })).toThrow(
      /Unknown activation 'identity'. Allowed: sigmoid, relu, tanh/,
    );
    expect(() => resolveInitConfig({ ...base, samples: 10_000, nodes: 1000, layers: 10 })).toThrow(/MiB of activations/);
    expect(() => parseInit('0.5')).toThrow(/Unknown init '0.5'. Allowed: 1, 0.01, xavier, he/);
    expect(parseInit('Xavier')).toBe('xavier');
  });
});

interface KernelCase {
  name: string;
  racers: number;
  M: number;
  bins: number;
  slots: number;
  tuning?: HistogramTuning;
  /** Most values in one bin (a bad init's histogram): long runs in each thread. */
  clumped?: boolean;
}

const kKernelCases: KernelCase[] = [
  { name: 'one racer, 30 bins', racers: 1, M: 5000, bins: 30, slots: 1 },
  { name: 'three racers, odd sizes, slot 2 of 3', racers: 3, M: 4099, bins: 30, slots: 3 },
  { name: 'one value', racers: 2, M: 1, bins: 7, slots: 1 },
  { name: '256 bins, small workgroups', racers: 2, M: 1000, bins: 256, slots: 2, tuning: { workgroupSize: 32, itemsPerThread: 3 } },
  { name: 'one bin', racers: 1, M: 300, bins: 1, slots: 1, tuning: { workgroupSize: 64, itemsPerThread: 1 } },
  { name: 'clumped values, two racers', racers: 2, M: 9000, bins: 30, slots: 2, clumped: true },
];

/** Values that hit every edge exactly, straddle them by one float32 ulp, leave the range, and are 0. */
function kernelValues(M: number, edges: Float32Array, seed: number, clumped = false): Float32Array {
  const random = seededRandom(seed);
  const lo = edges[0];
  const hi = edges[edges.length - 1];
  const pick = (): number => {
    if (clumped && random() < 0.9) return random() < 0.7 ? 0 : (lo + hi) / 2;
    const u = random();
    const e = edges[Math.floor(random() * edges.length)];
    if (u < 0.2) return e;
    if (u < 0.3) return e * (1 + 2 ** -23);
    if (u < 0.4) return e * (1 - 2 ** -23);
    if (u < 0.45) return 0;
    if (u < 0.55) return lo - random() * 3;
    if (u < 0.65) return hi + random() * 3;
    return lo + random() * (hi - lo);
  };
  return Float32Array.from({ length: M }, pick);
}

describe('histogram kernel', () => {
  const passes = new Map<string, HistogramPass>();

  it.for(kKernelCases)('matches the reference exactly: $name', async (c, ctx) => {
    if (!device) return ctx.skip();
    const gpu = device;
    const key = JSON.stringify(c.tuning ?? {});
    if (!passes.has(key)) passes.set(key, new HistogramPass(gpu, c.tuning));
    const pass = passes.get(key)!;
    const ranges: [number, number][] = [
      [0, 1],
      [-1, 1],
      [0, 5],
    ];
    // Edges as the kernel sees them (float32), so that the comparisons are the same on both sides.
    const edges = Array.from({ length: c.racers }, (_, r) => Float32Array.from(binEdges(...ranges[r % 3], c.bins)));
    const pivots = edges.map((_, r) => [0.5, 0, 0][r % 3]);
    const values = new Float32Array(c.racers * c.M);
    edges.forEach((e, r) => values.set(kernelValues(c.M, e, 17 + r, c.clumped), r * c.M));
    const slot = c.slots - 1;
    const groups = pass.groupsFor(c.M);
    const buffers = {
      values: createBuffer(gpu, 'test.values', storageUsage(), values),
      ranges: createBuffer(gpu, 'test.ranges', storageUsage(), packRanges(edges, pivots)),
      counts: createBuffer(gpu, 'test.counts', storageUsage(), 4 * c.racers * c.slots * (c.bins + kHistogramExtras)),
      moments: createBuffer(gpu, 'test.moments', storageUsage(), 8 * c.racers * c.slots * groups),
    };
    const shape = { valuesPerRacer: c.M, racers: c.racers, bins: c.bins, slot, slots: c.slots };
    const binding = pass.bindGroup(buffers, shape, groups);
    await withValidation(gpu, () => {
      const encoder = gpu.createCommandEncoder({ label: 'test.encoder' });
      const compute = encoder.beginComputePass({ label: 'test.pass' });
      // Twice: the counts accumulate.
      pass.encode(compute, binding);
      pass.encode(compute, binding);
      compute.end();
      gpu.queue.submit([encoder.finish()]);
    });
    const counts = new Uint32Array((await readFloat32(gpu, buffers.counts)).buffer);
    const momentSums = await readFloat32(gpu, buffers.moments);
    binding.destroy();
    Object.values(buffers).forEach((b) => b.destroy());

    for (let r = 0; r < c.racers; r++) {
      const expected = histogramReference(values.subarray(r * c.M, (r + 1) * c.M), edges[r], pivots[r]);
      const actual = unpackHistogram(counts, momentSums, { bins: c.bins, slots: c.slots, momentGroups: groups }, r, slot);
      expect(actual.counts).toEqual(expected.counts.map((n) => 2 * n));
      expect([actual.below, actual.above, actual.zeros]).toEqual([2 * expected.below, 2 * expected.above, 2 * expected.zeros]);
      // Moments are written, not added: one dispatch's worth, in float32 partial sums.
      const scale = expected.sumSquares + 1e-6;
      expect(Math.abs(actual.sum - expected.sum) / Math.sqrt(scale * c.M)).toBeLessThan(1e-5);
      expect(Math.abs(actual.sumSquares - expected.sumSquares) / scale).toBeLessThan(1e-5);
      // Other slots untouched.
      for (let s = 0; s < slot; s++) {
        expect(unpackHistogram(counts, momentSums, { bins: c.bins, slots: c.slots, momentGroups: groups }, r, s).counts.every((n) => n === 0)).toBe(true);
      }
    }
  });

  it('rejects a bad shape with a message', (ctx) => {
    if (!device) return ctx.skip();
    const pass = new HistogramPass(device);
    const b = createBuffer(device, 'test.small', storageUsage(), 64);
    const buffers = { values: b, ranges: b, counts: b, moments: b };
    expect(() => pass.bindGroup(buffers, { valuesPerRacer: 10, racers: 1, bins: 300, slot: 0, slots: 1 }, 1)).toThrow(
      /bins must be a whole number from 1 to 256, got 300/,
    );
    expect(() => pass.bindGroup(buffers, { valuesPerRacer: 10, racers: 1, bins: 30, slot: 1, slots: 1 }, 1)).toThrow(/slot 1 is outside 0..0/);
    expect(() => pass.bindGroup(buffers, { valuesPerRacer: 100, racers: 1, bins: 30, slot: 0, slots: 1 }, 1)).toThrow(
      /values \('test.small'\) has 64 bytes, needs at least 400/,
    );
    expect(() => new HistogramPass(device!, { workgroupSize: 100 })).toThrow(/power of two/);
    b.destroy();
  });
});

/** Counts may differ from the reference only by values within 1e-6 (relative) of an inner edge. */
function expectCountsMatch(values: ArrayLike<number>, edges: number[], counts: number[]): number {
  const expected = histogramReference(values, edges).counts;
  const B = edges.length - 1;
  // Per bin, how many values near one of its edges could have gone to (or come from) a neighbour.
  const slack = new Array<number>(B).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    for (let k = 1; k < B; k++) {
      if (Math.abs(v - edges[k]) <= 1e-6 * Math.max(Math.abs(edges[k]), 1e-30) || (edges[k] === 0 && Math.abs(v) < 1e-12)) {
        slack[k - 1] += 1;
        slack[k] += 1;
      }
    }
  }
  let moved = 0;
  counts.forEach((n, k) => {
    expect(Math.abs(n - expected[k]), `bin ${k}: ${n} counted, reference ${expected[k]}, ${slack[k]} values near its edges`).toBeLessThanOrEqual(slack[k]);
    moved += Math.abs(n - expected[k]);
  });
  expect(counts.reduce((a, b) => a + b, 0)).toBe(values.length);
  return moved / 2;
}

describe('the experiment on the GPU', () => {
  it('counts every layer of all 12 settings as the reference counts the same activations', async (ctx) => {
    if (!pipelines) return ctx.skip();
    const config = seedRun(allInitSettings(), { samples: 300 });
    const result = await withValidation(pipelines.device, () => runInitExperimentGpu(pipelines!, config, { keepActivations: true }));
    expect(result.backend).toBe('webgpu');
    const perRacer = config.samples * config.nodes;
    let moved = 0;
    result.settings.forEach((s, r) =>
      s.layers.forEach((layer, l) => {
        const values = result.activations![l].subarray(r * perRacer, (r + 1) * perRacer);
        moved += expectCountsMatch(values, layer.edges, layer.counts);
        const expected = histogramReference(values, layer.edges);
        expect([layer.below, layer.above, layer.zeros]).toEqual([expected.below, expected.above, expected.zeros]);
      }),
    );
    expect(moved).toBeLessThan(10);
  });

  it('agrees with the float64 experiment (forward and histograms) up to float32 rounding', async (ctx) => {
    if (!pipelines) return ctx.skip();
    const config = seedRun(allInitSettings(), { samples: 200, layers: 3, nodes: 40, seed: 7 });
    const gpu = await runInitExperimentGpu(pipelines, config);
    const cpu = runInitExperimentCpu(config);
    gpu.settings.forEach((s, r) =>
      s.layers.forEach((layer, l) => {
        const ref = cpu.settings[r].layers[l];
        expect(layer.edges).toEqual(ref.edges);
        const moved = layer.counts.reduce((a, n, k) => a + Math.abs(n - ref.counts[k]), 0) / 2;
        expect(moved, `${r} ${l}`).toBeLessThanOrEqual(3);
        expect(Math.abs(layer.std - ref.std)).toBeLessThanOrEqual(1e-4 * ref.std + 1e-7);
        expect(Math.abs(layer.mean - ref.mean)).toBeLessThanOrEqual(1e-4 * (Math.abs(ref.mean) + ref.std) + 1e-7);
      }),
    );
  });
});

/** The seed's conclusions, on whichever backend is here (GPU when present, else the float64 reference). */
async function run(settings: InitSetting[]): Promise<InitExperimentResult> {
  return pipelines ? runInitExperimentGpu(pipelines, seedRun(settings)) : runInitExperimentCpu(seedRun(settings));
}
const fraction = (counts: number[], bins: number[], total: number): number => bins.reduce((a, k) => a + counts[k], 0) / total;
const outer = [0, 1, 2, 27, 28, 29];
const middle = [12, 13, 14, 15, 16, 17];

describe("the seed's conclusions (5 layers of 100 nodes, 1000 samples)", () => {
  it('std 1 + sigmoid: most outputs in the outer bins; std 0.01: in the middle bins', async () => {
    const [wide, narrow] = (
      await run([
        { init: 1, activation: 'sigmoid' },
        { init: 0.01, activation: 'sigmoid' },
      ])
    ).settings;
    for (const layer of wide.layers) expect(fraction(layer.counts, outer, layer.total)).toBeGreaterThan(0.6);
    for (const layer of narrow.layers) {
      expect(fraction(layer.counts, middle, layer.total)).toBeGreaterThan(0.9);
      expect(fraction(layer.counts, outer, layer.total)).toBe(0);
    }
  });

  it('He + ReLU keeps the spread across layers; std 0.01 + ReLU collapses towards 0', async () => {
    const [he, tiny] = (
      await run([
        { init: 'he', activation: 'relu' },
        { init: 0.01, activation: 'relu' },
      ])
    ).settings;
    const first = he.layers[0];
    const last = he.layers[4];
    const nonZero = (l: typeof first): number => 1 - l.zeros / l.total;
    expect(nonZero(last) / nonZero(first)).toBeGreaterThan(0.5);
    expect(nonZero(last) / nonZero(first)).toBeLessThan(2);
    expect(last.std / first.std).toBeGreaterThan(0.5);
    expect(last.std / first.std).toBeLessThan(2);
    // Spread over several bins in every layer.
    for (const layer of he.layers) expect(layer.counts.filter((n) => n > layer.total / 1000).length).toBeGreaterThan(10);
    // std 0.01: each layer shrinks the spread ~7-fold; layer 5 sits entirely in the first bin.
    expect(tiny.layers[4].std / tiny.layers[0].std).toBeLessThan(1e-3);
    expect(tiny.layers[4].counts[0]).toBe(tiny.layers[4].total);
  });

  it('Xavier keeps sigmoid and tanh spread, std 1 + tanh saturates at -1 and 1', async () => {
    const [sigmoid, tanh, saturated] = (
      await run([
        { init: 'xavier', activation: 'sigmoid' },
        { init: 'xavier', activation: 'tanh' },
        { init: 1, activation: 'tanh' },
      ])
    ).settings;
    for (const layer of [...sigmoid.layers, ...tanh.layers]) {
      expect(layer.counts.filter((n) => n > layer.total / 1000).length).toBeGreaterThan(8);
    }
    for (const layer of saturated.layers) expect(fraction(layer.counts, outer, layer.total)).toBeGreaterThan(0.6);
  });
});

interface HistogramsJson {
  config: { init: number | string; activation: string; weightStd: number; layers: number; nodes: number; samples: number; seed: number; bins: number };
  backend: string;
  device: string;
  layers: { layer: number; edges: number[]; counts: number[]; below: number; above: number; zeros: number; mean: number; std: number }[];
}

describe('init-histograms on the command line', () => {
  let outDir: string;
  beforeAll(() => {
    outDir = copyBuiltCli('init-histograms-test');
  });
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  const cli = (...args: string[]) => spawnSync(process.execPath, [join(outDir, 'cli.js'), 'init-histograms', ...args], { encoding: 'utf8', timeout: 60_000 });

  function json(...args: string[]): HistogramsJson {
    const run = cli('--json', ...args);
    expect(run.stderr.split('\n').filter((l) => l.startsWith('error'))).toEqual([]);
    expect(run.status).toBe(0);
    return JSON.parse(run.stdout) as HistogramsJson;
  }

  function expectShape(result: HistogramsJson, layers: number, total: number): void {
    expect(result.layers).toHaveLength(layers);
    for (const layer of result.layers) {
      expect(layer.edges).toHaveLength(31);
      expect(layer.counts).toHaveLength(30);
      expect(layer.counts.reduce((a, b) => a + b, 0)).toBe(total);
    }
  }

  it('prints the seed experiment as JSON: 31 edges and 30 counts per layer, summing to samples x nodes', () => {
    const result = json('--backend', 'cpu');
    expect(result.config).toEqual({ init: 1, activation: 'sigmoid', weightStd: 1, layers: 5, nodes: 100, samples: 1000, seed: 1, bins: 30 });
    expect(result.backend).toBe('cpu');
    expectShape(result, 5, 100_000);
    expect(result.layers[0].edges[0]).toBe(0);
    expect(result.layers[0].edges[30]).toBe(1);
  });

  it('takes every option', () => {
    const result = json('--backend', 'cpu', '--activation', 'relu', '--init', 'he', '--layers', '3', '--nodes', '20', '--samples', '50', '--seed', '9');
    expect(result.config).toMatchObject({ init: 'he', activation: 'relu', layers: 3, nodes: 20, samples: 50, seed: 9 });
    expect(result.config.weightStd).toBeCloseTo(Math.sqrt(2 / 20), 12);
    expectShape(result, 3, 1000);
    expect(result.layers[0].edges[30]).toBe(5);
    expect(result.layers[0].zeros).toBeGreaterThan(300);
  });

  it('prints a table with a row per bin and a column per layer', () => {
    const run = cli('--backend', 'cpu', '--activation', 'tanh', '--init', 'xavier');
    expect(run.status).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/Xavier: std √\(1\/100\) = 0.1, tanh: 5 layers of 100 nodes, 1000 samples, seed 1, backend: cpu/);
    expect(run.stdout).toMatch(/bin\s+layer 1\s+layer 2\s+layer 3\s+layer 4\s+layer 5/);
    expect(run.stdout).toMatch(/^\[-1, -0.933\)\s+\d+/m);
    expect(run.stdout).toMatch(/^\[0.933, 1\]\s+\d+/m);
    expect(run.stdout).toMatch(/^std\s+0\.\d+/m);
  });

  const badInput = [
    { args: '--init 0.5', message: /Unknown init '0.5'. Allowed: 1, 0.01, xavier, he/ },
    { args: '--activation softmax', message: /Unknown activation 'softmax'. Allowed: sigmoid, relu, tanh/ },
    { args: '--layers 0', message: /layers must be a whole number from 1 to 10, got 0/ },
    { args: '--nodes 2.5', message: /nodes must be a whole number from 1 to 1000, got 2.5/ },
    { args: '--samples many', message: /--samples must be a number, got 'many'/ },
    { args: '--seed -1', message: /seed must be a whole number from 0 to 4294967295, got -1/ },
    { args: '--backend tpu', message: /Unknown backend 'tpu'. Allowed: webgpu, cpu/ },
    { args: '--bins 10', message: /Unknown option '--bins'. Options: --activation, --init, --layers, --nodes, --samples, --seed, --backend, --json/ },
  ];
  // In this process: the usage error (exit 2) each gives, before any device is opened (the mock
  // above) or anything is printed; the built command below shows one as one stderr line.
  it.for(badInput)('rejects `$args` as a usage error, before touching the GPU', async ({ args, message }) => {
    const run = await runInProcess(initHistogramsCommand, args.split(' '));
    expect(run).toMatchObject({ stdout: '', code: 2 });
    expect(run.touchedGpu).toBe(false);
    expect(run.line).toMatch(message);
  });

  it('rejects `--bins 10` with one line on stderr and exit 2, printing nothing', () => {
    const run = cli('--bins', '10');
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(badInput.at(-1)!.message);
  });

  it('on WebGPU gives the reference counts, up to values within float rounding of an edge', async (ctx) => {
    if (!device) return ctx.skip();
    const args = ['--activation', 'relu', '--init', 'xavier', '--samples', '300'];
    const gpu = json(...args);
    expect(gpu.backend).toBe('webgpu');
    expect(gpu.device).toMatch(/^webgpu/);
    expectShape(gpu, 5, 30_000);
    const cpu = json('--backend', 'cpu', ...args);
    gpu.layers.forEach((layer, l) => {
      expect(layer.edges).toEqual(cpu.layers[l].edges);
      const moved = layer.counts.reduce((a, n, k) => a + Math.abs(n - cpu.layers[l].counts[k]), 0) / 2;
      expect(moved).toBeLessThanOrEqual(3);
      expect(layer.std).toBeCloseTo(cpu.layers[l].std, 4);
    });
  });
});
