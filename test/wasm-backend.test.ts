/** The WebAssembly engine against the float64 CPU reference, and its matmul kernel at odd shapes. */
import { describe, expect, it } from 'vitest';
import type { RaceBackend } from '../src/race/backend';
import { resolveRace, type RaceConfig } from '../src/race/config';
import { CpuRaceBackend } from '../src/race/cpu-backend';
import { instantiateRaceWasm } from '../src/wasm/module';
import { WasmRaceBackend } from '../src/wasm/wasm-backend';
import { everyOptimizerRace, relativeError } from './fixtures/every-optimizer-race';
import { syntheticRaceData } from './fixtures/synthetic-race-data';

const data = syntheticRaceData(300, 37);

async function runBoth(config: RaceConfig, active: boolean[], count: number, threads = 1) {
  const race = resolveRace(config);
  const backends: RaceBackend[] = [new CpuRaceBackend(race, data), await WasmRaceBackend.create(race, data, { threads })];
  try {
    const [cpu, wasm] = await Promise.all(backends.map((b) => b.run({ first: 0, count, active, evaluate: true })));
    return { cpu, wasm };
  } finally {
    for (const b of backends) b.destroy();
  }
}

const everyOptimizer = everyOptimizerRace;

describe('WasmRaceBackend', () => {
  it.each([1, 2])('matches the float64 reference for every optimizer and hidden activation (%i threads)', async (threads) => {
    const config = everyOptimizer();
    const { cpu, wasm } = await runBoth(
      config,
      config.racers.map(() => true),
      6,
      threads,
    );
    expect(wasm.losses.every(Number.isFinite)).toBe(true);
    expect(relativeError(wasm.losses, cpu.losses)).toBeLessThan(2e-3);
    wasm.accuracy!.forEach((a, r) => expect(Math.abs(a - cpu.accuracy![r])).toBeLessThanOrEqual(2 / 37));
    expect(wasm.predictions!.length).toBe(config.racers.length);
  });

  it('gives bit-identical losses, accuracies and predictions on 1 and 3 threads', async () => {
    const race = resolveRace({ ...everyOptimizer(), sizes: [784, 40, 24, 10], batchSize: 21 });
    const active = race.racers.map((_, r) => r !== 2);
    const results = [];
    for (const threads of [1, 3]) {
      const wasm = await WasmRaceBackend.create(race, data, { threads });
      expect(wasm.threads).toBe(threads);
      const first = await wasm.run({ first: 0, count: 5, active, evaluate: true });
      const second = await wasm.run({ first: 5, count: 4, active: race.racers.map(() => true), evaluate: true });
      wasm.destroy();
      results.push({ first, second });
    }
    expect(results[1]).toEqual(results[0]);
  });

  it('ends its threads on destroy: a later chunk fails with a message instead of hanging', async () => {
    const race = resolveRace({ ...everyOptimizer(), racers: [{ optimizer: 'sgd' }, { optimizer: 'adam' }] });
    const wasm = await WasmRaceBackend.create(race, data, { threads: 2 });
    await wasm.run({ first: 0, count: 1, active: [true, true], evaluate: false });
    wasm.destroy();
    await expect(wasm.run({ first: 1, count: 1, active: [true, true], evaluate: false })).rejects.toThrow('the WebAssembly thread pool was disposed');
  });

  it('says how many threads it can run on and rejects more', async () => {
    const race = resolveRace({ sizes: [784, 3, 10], iterations: 1, batchSize: 1, seed: 1, evalEvery: 1, racers: [{ optimizer: 'sgd' }] });
    expect(WasmRaceBackend.maxThreads).toBeGreaterThanOrEqual(2); // Node shares memory between worker_threads
    await expect(WasmRaceBackend.create(race, data, { threads: WasmRaceBackend.maxThreads + 1 })).rejects.toThrow(/runs on 1 to \d+ threads/);
    await expect(WasmRaceBackend.create(race, data, { threads: 0 })).rejects.toThrow(/asked for 0/);
    // One racer is one unit of work: a second thread would idle, so none starts.
    const one = await WasmRaceBackend.create(race, data, { threads: 2 });
    expect(one.threads).toBe(1);
    one.destroy();
  });

  it('runs every activation with a schedule, and freezes inactive racers as the reference does', async () => {
    const config: RaceConfig = {
      sizes: [784, 33, 10],
      iterations: 8,
      batchSize: 5,
      seed: 1,
      evalEvery: 4,
      racers: [
        { optimizer: 'adam', activation: 'relu', schedule: { kind: 'warmup', steps: 3, floor: 0 } },
        { optimizer: 'momentum', activation: 'tanh' },
        { optimizer: 'sgd', activation: 'sigmoid', hyperparameters: { lr: 0.5 }, schedule: { kind: 'step', factor: 0.5, every: 2 } },
      ],
    };
    const { cpu, wasm } = await runBoth(config, [true, false, true], 8);
    expect(relativeError(wasm.losses, cpu.losses)).toBeLessThan(2e-3);
  });

  it('names the optimizer a user registered without a WebAssembly rule', async () => {
    const race = resolveRace({ sizes: [784, 3, 10], iterations: 1, batchSize: 1, seed: 1, evalEvery: 1, racers: [{ optimizer: 'sgd' }] });
    const fake = { ...race, racers: [{ ...race.racers[0], spec: { ...race.racers[0].spec, id: 'mine' } }] };
    await expect(WasmRaceBackend.create(fake, data)).rejects.toThrow(
      'optimizer mine has no WebAssembly rule (src/wasm/assembly/optim/mine.ts is compiled into the module at build time); use --backend webgpu or cpu',
    );
  });

  it('multiplies at odd shapes, plain and with A transposed in place, as a float64 product does', async () => {
    const memory = new WebAssembly.Memory({ initial: 4 });
    const k = await instantiateRaceWasm(memory);
    const sizes = [1, 3, 5, 17, 33, 100];
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
    const f32 = (at: number, values: Float32Array) => new Float32Array(memory.buffer, at, values.length).set(values);
    for (const m of sizes) {
      for (const [kk, n] of [
        [3, 17],
        [33, 5],
        [100, 1],
        [17, 100],
      ]) {
        const a = Float32Array.from({ length: m * kk }, random);
        const b = Float32Array.from({ length: kk * n }, random);
        const bias = Float32Array.from({ length: n }, random);
        const A = 65536;
        const B = A + a.byteLength;
        const C = B + b.byteLength;
        const Bias = C + m * n * 4;
        const At = Bias + n * 4;
        f32(A, a);
        f32(B, b);
        f32(Bias, bias);
        // Aᵀ (K x M) in memory, read back as A through the strides (the backward-weights product).
        f32(
          At,
          Float32Array.from({ length: m * kk }, (_, idx) => a[(idx % m) * kk + Math.floor(idx / m)]),
        );
        const expected = Float64Array.from({ length: m * n }, (_, idx) => {
          let s = 0;
          for (let i = 0; i < kk; i++) s += a[Math.floor(idx / n) * kk + i] * b[i * n + (idx % n)];
          return s;
        });
        const c = new Float32Array(memory.buffer, C, m * n);
        const close = (want: (i: number) => number) => {
          for (let i = 0; i < m * n; i++) expect(Math.abs(c[i] - want(i))).toBeLessThan(1e-5 * (1 + kk));
        };
        k.gemm(A, kk * 4, 4, B, n, C, n, m, kk, n, 0, 0, 0, 0);
        close((i) => expected[i]);
        k.gemm(At, 4, m * 4, B, n, C, n, m, kk, n, 0, 0, 0, 0);
        close((i) => expected[i]);
        // Bias + ReLU epilogue (forward), then the sigmoid slope mask with X = the ReLU output.
        k.gemm(A, kk * 4, 4, B, n, C, n, m, kk, n, 1, Bias, 0, 1);
        const relu = Float64Array.from(expected, (v, i) => Math.max(0, v + bias[i % n]));
        close((i) => relu[i]);
        const X = At + m * kk * 4;
        f32(X, new Float32Array(memory.buffer, C, m * n).slice());
        k.gemm(A, kk * 4, 4, B, n, C, n, m, kk, n, 2, 0, X, 2);
        close((i) => expected[i] * relu[i] * (1 - relu[i]));
        // And the transpose the backward-data product uses: (Bᵀ)ᵀ = B.
        const T = X + m * n * 4;
        k.transpose(B, T, kk, n);
        const t = new Float32Array(memory.buffer, T, kk * n);
        expect(t[(n - 1) * kk + (kk - 1)]).toBe(b[kk * n - 1]);
        expect(t[kk - 1]).toBe(b[(kk - 1) * n]);
      }
    }
  });
});
