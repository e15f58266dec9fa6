/**
 * What batch norm costs a racer on the wasm engine (issue 20: at most 1.5x): ms per iteration of a
 * race of `racers` SGD racers with `bn` against the same race without, on the book's
 * batch_norm_test shape (hidden 100x5, batch 100), alternated `rounds` times in one run, each
 * timing after a warm-up iteration; the best of each is compared (a shared machine only adds time).
 * Besides wall time, the process's CPU time per iteration (process.cpuUsage: user + system, all
 * threads), which a loaded machine disturbs less than the wall clock.
 * Run by scripts/bench-wasm-bn.mjs (`node scripts/bench-wasm-bn.mjs [ITERATIONS] [RACERS] [THREADS]`).
 */
import { join } from 'node:path';
import { loadEmbeddedMnistFromDisk } from '../src/data/node/mnist-dir';
import { resolveRace, type RaceConfig } from '../src/race/config';
import { WasmRaceBackend } from '../src/wasm/wasm-backend';
import type { RaceBackend } from '../src/race/backend';

const kRounds = 4;

/** Wall and CPU ms per iteration of `count` iterations after one warm-up iteration. */
async function timed(backend: RaceBackend, count: number): Promise<{ wall: number; cpu: number }> {
  const active = backend.race.racers.map(() => true);
  await backend.run({ first: 0, count: 1, active, evaluate: false });
  const cpu = process.cpuUsage();
  const started = performance.now();
  await backend.run({ first: 1, count, active, evaluate: false });
  const used = process.cpuUsage(cpu);
  return { wall: (performance.now() - started) / count, cpu: (used.user + used.system) / 1000 / count };
}

export async function runWasmBatchNormBench(iterations: number, racers: number, threads: number, root: string, log: (line: string) => void): Promise<void> {
  const data = await loadEmbeddedMnistFromDisk({ publicDir: join(root, 'public') });
  const race = (bn: boolean): RaceConfig => ({
    sizes: [784, 100, 100, 100, 100, 100, 10],
    iterations: iterations + 1,
    batchSize: 100,
    seed: 1,
    evalEvery: iterations + 1,
    trainLimit: 1000,
    racers: Array.from({ length: racers }, () => ({ optimizer: 'sgd', hyperparameters: { lr: 0.01 }, bn })),
  });
  const best = { plain: { wall: Infinity, cpu: Infinity }, bn: { wall: Infinity, cpu: Infinity } };
  for (let round = 0; round < kRounds; round++) {
    for (const bn of [false, true]) {
      const wasm = await WasmRaceBackend.create(resolveRace(race(bn)), data, { threads });
      const ms = await timed(wasm, iterations);
      wasm.destroy();
      log(`round ${round + 1}: ${bn ? 'bn   ' : 'plain'} ${ms.wall.toFixed(2)} ms/iteration wall, ${ms.cpu.toFixed(2)} ms CPU`);
      const b = bn ? best.bn : best.plain;
      b.wall = Math.min(b.wall, ms.wall);
      b.cpu = Math.min(b.cpu, ms.cpu);
    }
  }
  const { plain, bn } = best;
  log(
    `hidden 100x5, batch 100, ${racers} SGD racers, ${threads} thread(s), best of ${kRounds}: ` +
      `wall plain ${plain.wall.toFixed(2)} ms, bn ${bn.wall.toFixed(2)} ms (${(bn.wall / plain.wall).toFixed(3)}x); ` +
      `CPU plain ${plain.cpu.toFixed(2)} ms, bn ${bn.cpu.toFixed(2)} ms (${(bn.cpu / plain.cpu).toFixed(3)}x)`,
  );
}
