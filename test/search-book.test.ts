/**
 * What the book's figure 6-24 (hyperparameter_optimization.py) shows, on the embedded data, on
 * the wasm engine: only the top decade of lr (1e-3 to 1e-2) learns in 50 epochs, the best
 * validation accuracy is about 0.8, and weight decay in 1e-8..1e-4 matters far less than lr.
 *
 * A smaller but faithful version of the `hypersearch` preset: the same network, data, validation
 * split, batches and trial draws (seed 1), but only some of its 100 trials, chosen by their DRAWN
 * lr (not by how they did): the three highest lr of the 100 and the highest below 1e-3 and 1e-4. A trial's numbers depend only on (seed, trial), and racers share nothing but the batches,
 * so these racers compute what they compute in the whole race. Two more racers take the highest
 * lr with λ at each end of the book's range. Accuracy is measured once, after the last iteration.
 * Thresholds: our runs (the full preset on wasm, per epoch: best 0.80 at lr 7.0e-3, 9 of 100 above
 * 0.5, all with lr from 3.6e-3 to 7.2e-3, none below 1e-3 above 0.15; this test, after iteration
 * 200: 0.75, 0.74, 0.73 for the three highest lr, 0.14 and 0.07 below, 0.75 with either λ), with
 * room for another machine's float32 rounding (100 validation images: 0.01 each).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEmbeddedMnistFromDisk } from '../src/data/node/mnist-dir';
import { drawTrials } from '../src/optim/sweep';
import { kHypersearchPreset, kHypersearchSpec } from '../src/race/chapter6-presets';
import { resolveRace, type RaceConfig, type RacerConfig } from '../src/race/config';
import type { RaceData } from '../src/race/dataset';
import { RaceEngine } from '../src/race/engine';
import { kRaceLimits } from '../src/race/limits';
import { WasmRaceBackend } from '../src/wasm/wasm-backend';

let data: RaceData;
beforeAll(async () => {
  data = await loadEmbeddedMnistFromDisk();
});

describe("the book's hyperparameter search on the embedded data (wasm engine)", () => {
  it('only the top decade of lr learns in 50 epochs, the best reaches about 0.8, and λ matters far less than lr', async () => {
    const preset = kHypersearchPreset;
    const search = preset.search;
    if (!search) throw new Error('the hypersearch preset has no search');
    const trials = drawTrials(kHypersearchSpec, search.trials, preset.seed, 'sgd', kRaceLimits.racers.max);
    const byLr = [...trials].sort((a, b) => b.values.lr - a.values.lr);
    const highestBelow = (limit: number) => byLr.find((t) => t.values.lr < limit);
    const chosen = [...byLr.slice(0, 3), highestBelow(1e-3), highestBelow(1e-4)].filter((t) => t !== undefined);
    const racers: RacerConfig[] = chosen.map((t) => ({ name: t.racer.name, optimizer: 'sgd', hyperparameters: t.racer.hyperparameters, l2: t.network.l2 }));
    const lr = byLr[0].values.lr;
    racers.push(
      { name: 'λ 1e-8', optimizer: 'sgd', hyperparameters: { lr }, l2: 1e-8 },
      { name: 'λ 1e-4', optimizer: 'sgd', hyperparameters: { lr }, l2: 1e-4 },
    );
    // The preset's race (the same 400 trained and 100 validation images, the same 200 batches), measured once at the end.
    const config: RaceConfig = { ...preset, search: undefined, racers, epochs: undefined, iterations: 200, evalEvery: 200 };
    const race = resolveRace(config, data.trainCount);
    expect([race.trainSize, race.validationSize]).toEqual([400, 100]);
    const engine = new RaceEngine(race, await WasmRaceBackend.create(race, data, { threads: WasmRaceBackend.maxThreads > 1 ? 2 : 1 }));
    let validation: number[];
    try {
      await engine.start();
      validation = engine.history.map((h) => h.accuracy.at(-1)?.validation ?? Number.NaN);
    } finally {
      engine.destroy();
    }
    const rows = racers.map((r, k) => `${r.name}: lr ${r.hyperparameters?.lr}, λ ${r.l2}: validation ${validation[k]}`);
    console.log(rows.join('\n'));
    const top = validation.slice(0, 3);
    const lower = validation.slice(3, chosen.length);
    // The top decade learns: the three highest lr (all above 5e-3) reach 0.6 and more; the best about 0.8.
    expect(chosen.slice(0, 3).every((t) => t.values.lr > 5e-3)).toBe(true);
    for (const v of top) expect(v).toBeGreaterThan(0.6);
    expect(Math.max(...top)).toBeGreaterThan(0.7);
    expect(Math.max(...top)).toBeLessThan(0.9);
    // No lower decade learns: the best trial below 1e-3 stays near chance (1 in 10).
    expect(chosen.slice(3).every((t) => t.values.lr < 1e-3)).toBe(true);
    for (const v of lower) expect(v).toBeLessThan(0.2);
    // λ from 1e-8 to 1e-4 at the best lr moves validation accuracy by little; lr's decades by far more.
    const [small, large] = validation.slice(chosen.length);
    expect(Math.abs(small - large)).toBeLessThan(0.06);
    expect(Math.min(...top) - Math.max(...lower)).toBeGreaterThan(0.4);
  }, 240_000);
});
