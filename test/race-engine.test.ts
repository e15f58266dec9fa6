/** The engine's control flow on a scripted backend: chunks, pause/resume/step/reset, divergence, errors. */
import { describe, expect, it } from 'vitest';
import type { ChunkRequest, ChunkResult, RaceBackend } from '../src/race/backend';
import { kSeedRace, type RaceConfig, type ResolvedRace } from '../src/race/config';
import { RaceEngine } from '../src/race/engine';

/** Loss of racer r at iteration i is 1/(i+1) + r; racer `divergeRacer` returns NaN from `divergeAt`. */
class ScriptedBackend implements RaceBackend {
  readonly kind = 'cpu' as const;
  race!: ResolvedRace;
  requests: ChunkRequest[] = [];
  resets = 0;
  failAt = Infinity;
  constructor(
    private readonly racers: number,
    private readonly divergeRacer = -1,
    private readonly divergeAt = Infinity,
  ) {}
  async run(request: ChunkRequest): Promise<ChunkResult> {
    this.requests.push(request);
    await new Promise((resolve) => setTimeout(resolve, 1));
    if (request.first + request.count > this.failAt) throw new Error('GPU device lost: test');
    const losses = new Float32Array(request.count * this.racers);
    for (let i = 0; i < request.count; i++) {
      for (let r = 0; r < this.racers; r++) {
        const it = request.first + i;
        losses[i * this.racers + r] = r === this.divergeRacer && it >= this.divergeAt ? NaN : 1 / (it + 1) + r;
      }
    }
    return { losses, accuracy: request.evaluate ? Array.from({ length: this.racers }, (_, r) => 0.5 + r / 100) : undefined };
  }
  async reset(): Promise<void> {
    this.resets += 1;
  }
  async testAccuracy(racers: readonly number[]): Promise<number[]> {
    return racers.map(() => 0.25);
  }
  destroy(): void {}
}

const config: RaceConfig = { ...kSeedRace, iterations: 250, evalEvery: 100 };

describe('RaceEngine', () => {
  it('runs every iteration once, in order, and evaluates every K iterations and at the end', async () => {
    const backend = new ScriptedBackend(6);
    const engine = RaceEngine.create(config, (race) => Object.assign(backend, { race }));
    const progress: number[] = [];
    engine.subscribe({ progress: (p) => progress.push(p.iteration) });
    await engine.start();
    expect(engine.status).toBe('finished');
    let next = 0;
    for (const r of backend.requests) {
      expect(r.first).toBe(next);
      next += r.count;
    }
    expect(next).toBe(250);
    expect(engine.history[0].losses).toHaveLength(250);
    expect(engine.history[2].losses[9]).toBeCloseTo(1 / 10 + 2, 6);
    expect(engine.history[0].accuracy.map((a) => a.iteration)).toEqual([100, 200, 250]);
    expect(progress.at(-1)).toBe(250);
    expect(engine.history.map((h) => h.name)).toEqual(['SGD', 'Momentum', 'AdaGrad', 'Adam', 'RMSprop', 'Nesterov']);
  });

  it('pauses, steps by one, resumes and resets', async () => {
    const backend = new ScriptedBackend(6);
    const engine = RaceEngine.create(config, (race) => Object.assign(backend, { race }));
    // Pause from the first progress report past iteration 50: deterministic, whatever the machine's load.
    const stop = engine.subscribe({
      progress: (p) => {
        if (p.iteration >= 50) engine.pause();
      },
    });
    await engine.start();
    stop();
    expect(engine.status).toBe('paused');
    const at = engine.iteration;
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(250);
    await engine.step();
    expect(engine.iteration).toBe(at + 1);
    expect(engine.history[5].losses).toHaveLength(at + 1);
    await engine.resume();
    expect(engine.iteration).toBe(250);
    await engine.reset();
    expect(backend.resets).toBe(1);
    expect(engine.iteration).toBe(0);
    expect(engine.history[0].losses).toHaveLength(0);
    expect(engine.status).toBe('idle');
  });

  it('marks a racer diverged at its first NaN loss, freezes it, and the others go on', async () => {
    const backend = new ScriptedBackend(6, 3, 42);
    const engine = RaceEngine.create(config, (race) => Object.assign(backend, { race }));
    const diverged: [number, number][] = [];
    engine.subscribe({ diverged: (r, i) => diverged.push([r, i]) });
    await engine.start();
    expect(diverged).toEqual([[3, 42]]);
    expect(engine.history[3].diverged).toBe(42);
    expect(engine.history[0].diverged).toBeNull();
    expect(engine.history[0].losses.every(Number.isFinite)).toBe(true);
    // Chunks queued after the divergence was seen leave the racer out.
    expect(backend.requests.at(-1)?.active).toEqual([true, true, true, false, true, true]);
    expect(engine.history[3].accuracy.every((a) => a.iteration < 42)).toBe(true);
  });

  it('ends with a clear error when the backend fails (e.g. a lost device), without hanging', async () => {
    const backend = new ScriptedBackend(6);
    backend.failAt = 60;
    const engine = RaceEngine.create(config, (race) => Object.assign(backend, { race }));
    const errors: string[] = [];
    engine.subscribe({ error: (e) => errors.push(e.message) });
    await expect(engine.start()).rejects.toThrow(/device lost/);
    expect(engine.status).toBe('error');
    expect(errors).toEqual(['GPU device lost: test']);
  });

  it('rejects bad configurations', () => {
    const backend = new ScriptedBackend(1);
    expect(() => RaceEngine.create({ ...config, batchSize: 0 }, (race) => Object.assign(backend, { race }))).toThrow(
      /batch size must be a whole number from 1/,
    );
    expect(() => RaceEngine.create({ ...config, racers: [] }, (race) => Object.assign(backend, { race }))).toThrow(/at least one racer/);
    expect(() => RaceEngine.create({ ...config, racers: [{ optimizer: 'adam', init: -1 }] }, (race) => Object.assign(backend, { race }))).toThrow(
      /init must be/,
    );
    expect(() =>
      RaceEngine.create({ ...config, racers: [{ optimizer: 'adam', hyperparameters: { lr: 0 } }] }, (race) => Object.assign(backend, { race })),
    ).toThrow(/Adam: lr/);
  });
});
